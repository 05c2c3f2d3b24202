/**
 * Scans and validates files in a worker thread, so reading and validating every line never runs
 * on the caller's thread. The worker starts on first use and serves requests concurrently. A
 * cancelled request is asked to stop; if it does not within a grace period the worker is
 * replaced. If the worker dies, its requests fail and the next request starts a new one.
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { AuditLensError, cancelled } from '../../core/errors';
import type { ProgressSink, WorkOptions } from '../../core/progress';
import type { AuditFile } from '../../core/sources/types';
import type { Finding, ValidationResult } from '../../core/validate/types';
import { reviveScan } from '../../core/scan/scan-cache';
import type { ScanFilesResult } from '../../core/scan/scan-files';
import type { FromScanWorker, ScanRequestBody, ScanRequestResults, SourceDescriptor, ToScanWorker } from './protocol';

export type { SourceDescriptor } from './protocol';

export interface ScanClientOptions {
  /** The bundled worker; defaults to `scan-worker.js` next to this (bundled) file. */
  workerPath?: string;
  /** How long a cancelled request may take to stop before the worker is replaced; default 1 s. */
  cancelGraceMs?: number;
}

export interface ClientScanOptions extends WorkOptions {
  /** The scan cache's directory (the worker opens the cache there); no cache when absent. */
  cacheDirectory?: string;
  /** Files read at once; default 4. */
  concurrency?: number;
}

export interface ClientValidateOptions extends WorkOptions {
  maxLineBytes?: number;
  /** Findings to send back at most (the summary counts them all); default all. */
  maxFindings?: number;
  /** Receives findings batch by batch; when given, the result's `findings` stays empty. */
  onFindings?: (findings: Finding[]) => void;
}

interface Pending {
  worker: Worker;
  resolve(value: unknown): void;
  reject(error: AuditLensError): void;
  onProgress?: ProgressSink;
  onFindings?: (findings: Finding[]) => void;
  /** Undoes the abort listener and any cancel timer. */
  cleanup(): void;
}

const DEFAULT_CANCEL_GRACE_MS = 1000;

export class ScanClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private disposed = false;
  private readonly workerPath: string;
  private readonly cancelGraceMs: number;

  constructor(options: ScanClientOptions = {}) {
    this.workerPath = path.resolve(options.workerPath ?? path.join(__dirname, 'scan-worker.js'));
    this.cancelGraceMs = options.cancelGraceMs ?? DEFAULT_CANCEL_GRACE_MS;
  }

  /** The running worker's thread id (tests use it to see a worker replaced); undefined when none runs. */
  get workerThreadId(): number | undefined {
    return this.worker?.threadId;
  }

  /** Scans files as core `scanFiles` does; the result holds the caller's own file objects. */
  async scanFiles(source: SourceDescriptor, files: readonly AuditFile[], options: ClientScanOptions = {}): Promise<ScanFilesResult> {
    const value = await this.request<'scan'>(
      { type: 'scan', source, files: files.map(plainFile), cacheDirectory: options.cacheDirectory, concurrency: options.concurrency },
      options,
    );
    const fileAt = (index: number): AuditFile => {
      const file = files[index];
      if (!file) throw new AuditLensError('internal', 'The scan worker answered about a file it was not given.', `index ${index} of ${files.length}`);
      return file;
    };
    return {
      scanned: value.scanned.map(({ index, scan, cached }) => ({ file: fileAt(index), scan: reviveScan(scan), cached })),
      skipped: value.skipped.map(({ index, error }) => ({ file: fileAt(index), error: AuditLensError.from(error) })),
    };
  }

  /** Validates one file as core `validateFile` does, findings arriving in batches. */
  async validateFile(source: SourceDescriptor, file: AuditFile, options: ClientValidateOptions = {}): Promise<ValidationResult> {
    const kept: Finding[] = [];
    const onFindings = options.onFindings ?? ((batch: Finding[]) => kept.push(...batch));
    const value = await this.request<'validate'>(
      { type: 'validate', source, file: plainFile(file), maxLineBytes: options.maxLineBytes, maxFindings: options.maxFindings },
      options,
      onFindings,
    );
    return { file: value.file, summary: value.summary, findings: kept };
  }

  /** Test-only: crashes the worker (`crash`) or blocks it for `ms` (`hang`); the promise rejects. */
  injectFaultForTests(fault: 'crash' | 'hang', options: WorkOptions & { ms?: number } = {}): Promise<never> {
    return this.request<'fault'>({ type: 'fault', fault, ms: options.ms }, options);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const worker = this.worker;
    this.worker = undefined;
    this.failWhere(() => true, new AuditLensError('cancelled', 'The scan worker was closed.'));
    if (worker) await worker.terminate();
  }

  private request<T extends ScanRequestBody['type']>(
    body: Extract<ScanRequestBody, { type: T }>,
    options: WorkOptions,
    onFindings?: (findings: Finding[]) => void,
  ): Promise<ScanRequestResults[T]> {
    if (this.disposed) return Promise.reject(new AuditLensError('cancelled', 'The scan worker was closed.'));
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(cancelled());
    let worker: Worker;
    try {
      worker = this.ensureWorker();
    } catch (error) {
      return Promise.reject(AuditLensError.from(error));
    }
    const id = this.nextId++;
    return new Promise<ScanRequestResults[T]>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const onAbort = (): void => {
        if (!this.pending.has(id)) return;
        worker.postMessage({ type: 'cancel', id } satisfies ToScanWorker);
        timer = setTimeout(() => this.forceStop(id, worker), this.cancelGraceMs);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        worker,
        resolve: resolve as (value: unknown) => void,
        reject,
        onProgress: options.onProgress,
        onFindings,
        cleanup: () => {
          signal?.removeEventListener('abort', onAbort);
          clearTimeout(timer);
        },
      });
      worker.ref();
      try {
        worker.postMessage({ ...body, id } satisfies ToScanWorker);
      } catch (error) {
        this.settle(id);
        reject(new AuditLensError('internal', 'Could not send the request to the scan worker.', String(error), { cause: error }));
      }
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    let worker: Worker;
    try {
      worker = new Worker(this.workerPath);
    } catch (error) {
      throw new AuditLensError('internal', `Could not start the scan worker ${this.workerPath}.`, String(error), { cause: error });
    }
    this.worker = worker;
    worker.on('message', (message: FromScanWorker) => this.receive(message));
    worker.on('error', (error) => this.lost(worker, new AuditLensError('internal', `The scan worker failed: ${error.message}`, error.stack)));
    worker.on('exit', (code) => this.lost(worker, new AuditLensError('internal', `The scan worker stopped unexpectedly (exit code ${code}).`)));
    return worker;
  }

  /** A worker died: its requests fail with `error`, and the next request starts a new one. */
  private lost(worker: Worker, error: AuditLensError): void {
    if (this.worker === worker) this.worker = undefined;
    this.failWhere((entry) => entry.worker === worker, error);
  }

  /** A cancelled request did not stop in time: it is cancelled, and its worker replaced. */
  private forceStop(id: number, worker: Worker): void {
    const entry = this.settle(id);
    if (!entry) return;
    entry.reject(cancelled());
    if (this.worker === worker) this.worker = undefined;
    this.failWhere(
      (other) => other.worker === worker,
      new AuditLensError('internal', 'The scan worker was restarted because a cancelled request did not stop; run this again.'),
    );
    void worker.terminate();
  }

  private receive(message: FromScanWorker): void {
    const entry = this.pending.get(message.id);
    if (!entry) return;
    switch (message.type) {
      case 'progress':
        entry.onProgress?.(message.update);
        return;
      case 'findings':
        try {
          entry.onFindings?.(message.findings);
        } catch (error) {
          this.settle(message.id);
          entry.reject(AuditLensError.from(error));
          entry.worker.postMessage({ type: 'cancel', id: message.id } satisfies ToScanWorker);
        }
        return;
      case 'result':
        this.settle(message.id);
        entry.resolve(message.value);
        return;
      case 'error':
        this.settle(message.id);
        entry.reject(AuditLensError.from(message.error));
        return;
    }
  }

  /** Removes a request from the pending ones; lets the worker idle without keeping the process alive. */
  private settle(id: number): Pending | undefined {
    const entry = this.pending.get(id);
    if (!entry) return undefined;
    this.pending.delete(id);
    entry.cleanup();
    if (![...this.pending.values()].some((other) => other.worker === entry.worker)) entry.worker.unref();
    return entry;
  }

  private failWhere(matches: (entry: Pending) => boolean, error: AuditLensError): void {
    for (const [id, entry] of [...this.pending]) {
      if (!matches(entry)) continue;
      this.settle(id);
      entry.reject(error);
    }
  }
}

/** Only the fields of an AuditFile: a source's own file objects may carry more than can be posted. */
function plainFile(file: AuditFile): AuditFile {
  const { sourceUri, uri, relativePath, workspaceId, date, size, version } = file;
  return { sourceUri, uri, relativePath, workspaceId, date, size, version };
}
