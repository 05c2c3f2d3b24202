/**
 * A query session: a sql.js database in a worker thread, driven by typed messages.
 * Requests run one at a time. Cancelling a query terminates the worker (sql.js cannot interrupt
 * a statement) and starts a new one from the snapshot the worker saved after the last statement
 * that changed data, then replays the loads made since; loads and exports stop cooperatively,
 * with the same fallback if the worker does not answer.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { AuditLensError, cancelled } from '../errors';
import type { ProgressSink, WorkOptions } from '../progress';
import { SqlError } from './dialect';
import { DEFAULT_QUERY_MAX_ROWS, type QueryResult } from './database';
import type { ExportFormat } from './export';
import { defaultRowBudget } from './budget';
import type { LoadRequest, LoadSummary } from './loader';
import type { FromWorker, RequestBody, RequestResults, ToWorker } from './protocol';

export type { QueryResult } from './database';
export type { LoadSummary, LoadProblem } from './loader';
export type { ExportFormat } from './export';

export interface QuerySessionOptions {
  /** The bundled worker; defaults to `worker.js` next to this (bundled) file. */
  workerPath?: string;
  wasmPath?: string;
  /** Row budget for loading (default: what this machine's memory allows, see budget). */
  maxRows?: number;
  /** Budget of source bytes a load may read. */
  maxBytes?: number;
  /** Folder in which the session makes its own folder for snapshots (default: the OS temp folder). */
  tempRoot?: string;
}

/** What a session loads: the loader's request, passed to the worker as it is. */
export type SessionLoadRequest = LoadRequest;

/** How long a new worker may take to open its database (restoring a large snapshot takes a while). */
const START_TIMEOUT_MS = 60_000;

/** How long a load or export may take to stop on its own before the worker is terminated. */
const COOPERATIVE_CANCEL_MS = 1000;

interface Pending {
  resolve(value: unknown): void;
  reject(error: AuditLensError): void;
  onProgress?: ProgressSink;
  onChunk?: (chunk: string) => Promise<void>;
}

export class QuerySession {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private queue: Promise<unknown> = Promise.resolve();
  private rows = 0;
  private disposed = false;
  /** A worker being started after a cancel. */
  private starting: Promise<void> | undefined;
  /** Loads made since the worker's last snapshot: a new worker replays them. */
  private loadsSinceSnapshot: SessionLoadRequest[] = [];

  private constructor(
    private readonly options: Required<Pick<QuerySessionOptions, 'workerPath' | 'maxRows'>> & QuerySessionOptions,
    private readonly folder: string,
  ) {}

  static async open(options: QuerySessionOptions = {}): Promise<QuerySession> {
    const folder = mkdtempSync(path.join(options.tempRoot ?? tmpdir(), 'audit-lens-session-'));
    const session = new QuerySession(
      { ...options, workerPath: options.workerPath ?? path.join(__dirname, 'worker.js'), maxRows: options.maxRows ?? defaultRowBudget() },
      folder,
    );
    try {
      await session.start();
    } catch (error) {
      await session.dispose();
      throw error;
    }
    return session;
  }

  /** Records in `audit_logs` after the last load or change. */
  get loadedRows(): number {
    return this.rows;
  }

  /** Replaces what was loaded with the files the request selects. */
  async load(request: SessionLoadRequest, options: WorkOptions = {}): Promise<LoadSummary> {
    const summary = await this.enqueue({ type: 'load', request }, options, 'cooperative');
    this.loadsSinceSnapshot = request.append ? [...this.loadsSinceSnapshot, request] : [request];
    return summary;
  }

  query(sql: string, options: { maxRows?: number; signal?: AbortSignal } = {}): Promise<QueryResult> {
    return this.enqueue({ type: 'query', sql, maxRows: options.maxRows ?? DEFAULT_QUERY_MAX_ROWS }, options, 'terminate');
  }

  /** Streams all rows of a query to `sink`, one chunk at a time (the next waits for the sink). */
  exportQuery(sql: string, format: ExportFormat, sink: (chunk: string) => Promise<void>, options: WorkOptions = {}): Promise<{ rowCount: number }> {
    return this.enqueue({ type: 'export', sql, format }, { ...options }, 'cooperative', sink);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const worker = this.worker;
    this.worker = undefined;
    this.failAll(new AuditLensError('cancelled', 'The query session was closed.'));
    if (worker) await worker.terminate();
    rmSync(this.folder, { recursive: true, force: true });
  }

  private get snapshotPath(): string {
    return path.join(this.folder, 'snapshot.sqlite');
  }

  private async start(): Promise<void> {
    const workerPath = path.resolve(this.options.workerPath);
    let worker: Worker;
    try {
      worker = new Worker(workerPath);
    } catch (error) {
      throw new AuditLensError('internal', `Could not start the query worker ${workerPath}.`, String(error), { cause: error });
    }
    this.worker = worker;
    worker.on('message', (message: FromWorker) => this.receive(message));
    worker.on('error', (error) => {
      if (this.worker === worker) {
        this.worker = undefined;
        this.failAll(new AuditLensError('internal', `The query worker failed: ${error.message}`, error.stack));
      }
    });
    worker.on('exit', (code) => {
      if (this.worker === worker) {
        this.worker = undefined;
        this.failAll(new AuditLensError('internal', `The query worker stopped unexpectedly (exit code ${code}).`));
      }
    });
    const init = this.send({
      type: 'init',
      wasmPath: this.options.wasmPath,
      snapshotPath: this.snapshotPath,
      maxRows: this.options.maxRows,
      maxBytes: this.options.maxBytes,
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new AuditLensError('internal', `The query worker did not start within ${START_TIMEOUT_MS / 1000} s.`)), START_TIMEOUT_MS);
    });
    try {
      this.rows = (await Promise.race([init, timeout])).loadedRows;
    } catch (error) {
      if (this.worker === worker) this.worker = undefined;
      await worker.terminate();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Terminates the worker at once and starts a new one from the last snapshot in the background;
   * the next request waits for it (restoring a large snapshot takes seconds).
   */
  private async restart(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
    if (this.disposed) return;
    const starting = this.start()
      .then(() => this.replayLoads())
      .finally(() => {
        if (this.starting === starting) this.starting = undefined;
      });
    starting.catch(() => undefined); // the next request starts a worker again and reports why
    this.starting = starting;
  }

  /** Brings a new worker (started from the last snapshot) back to what the session had loaded since. */
  private async replayLoads(): Promise<void> {
    for (const request of this.loadsSinceSnapshot) await this.send({ type: 'load', request });
  }

  private enqueue<T extends RequestBody>(
    body: T,
    options: WorkOptions,
    cancelMode: 'terminate' | 'cooperative',
    onChunk?: (chunk: string) => Promise<void>,
  ): Promise<RequestResults[T['type']]> {
    const run = async (): Promise<RequestResults[T['type']]> => {
      if (this.disposed) throw new AuditLensError('cancelled', 'The query session was closed.');
      if (options.signal?.aborted) throw cancelled();
      await this.starting?.catch(() => undefined);
      if (!this.worker) {
        await this.start();
        await this.replayLoads();
      }
      return this.sendCancellable(body, options, cancelMode, onChunk);
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async sendCancellable<T extends RequestBody>(
    body: T,
    options: WorkOptions,
    cancelMode: 'terminate' | 'cooperative',
    onChunk?: (chunk: string) => Promise<void>,
  ): Promise<RequestResults[T['type']]> {
    const { signal } = options;
    let id = 0;
    const request = this.send(body, options.onProgress, onChunk, (assigned) => (id = assigned));
    if (!signal) return request;
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => {
        void this.stop(id, cancelMode, request).then(() => reject(cancelled()), reject);
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([request, aborted]);
    } finally {
      if (onAbort) signal.removeEventListener('abort', onAbort);
    }
  }

  /** Stops request `id`: cooperatively when it can, else by replacing the worker. */
  private async stop(id: number, mode: 'terminate' | 'cooperative', request: Promise<unknown>): Promise<void> {
    if (mode === 'cooperative' && this.worker) {
      this.post({ type: 'cancel', id });
      let timer: NodeJS.Timeout | undefined;
      const settled = await Promise.race([
        request.then(
          () => true,
          () => true,
        ),
        new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), COOPERATIVE_CANCEL_MS))),
      ]);
      clearTimeout(timer);
      if (settled) return;
    }
    const entry = this.pending.get(id);
    this.pending.delete(id);
    try {
      await this.restart();
    } finally {
      entry?.reject(cancelled());
    }
  }

  private send<T extends RequestBody>(
    body: T,
    onProgress?: ProgressSink,
    onChunk?: (chunk: string) => Promise<void>,
    onId?: (id: number) => void,
  ): Promise<RequestResults[T['type']]> {
    const id = this.nextId++;
    onId?.(id);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, onProgress, onChunk });
      this.post({ ...body, id } as ToWorker);
    });
  }

  private post(message: ToWorker): void {
    if (!this.worker) throw new AuditLensError('internal', 'The query worker is not running.');
    this.worker.postMessage(message);
  }

  private receive(message: FromWorker): void {
    const entry = this.pending.get(message.id);
    if (!entry) return;
    switch (message.type) {
      case 'progress':
        entry.onProgress?.(message.update);
        return;
      case 'chunk': {
        const sink = entry.onChunk;
        const ack = (): void => {
          if (this.pending.has(message.id) && this.worker) this.post({ type: 'ack', id: message.id });
        };
        if (!sink) return ack();
        sink(message.chunk).then(ack, (error: unknown) => {
          this.pending.delete(message.id);
          entry.reject(AuditLensError.from(error, 'data'));
          if (this.worker) this.post({ type: 'cancel', id: message.id });
        });
        return;
      }
      case 'result':
        this.pending.delete(message.id);
        this.rows = message.loadedRows;
        if (message.snapshotSaved) this.loadsSinceSnapshot = [];
        entry.resolve(message.value);
        return;
      case 'error':
        this.pending.delete(message.id);
        entry.reject(SqlError.revive(message.error));
        return;
    }
  }

  private failAll(error: AuditLensError): void {
    const entries = [...this.pending.values()];
    this.pending.clear();
    for (const entry of entries) entry.reject(error);
  }
}
