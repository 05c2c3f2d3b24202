/**
 * Scans and validates files in a worker thread, so reading and validating every line never runs
 * on the caller's thread. The thread starts on first use and serves requests concurrently. A
 * cancelled request is asked to stop; if it does not within a grace period the thread is
 * replaced. If the thread dies, its requests fail and the next request starts a new one.
 */
import * as path from 'node:path';
import { AuditLensError } from '../../core/errors';
import type { WorkOptions } from '../../core/progress';
import { reviveScan } from '../../core/scan/scan-cache';
import type { ScanFilesResult } from '../../core/scan/scan-files';
import type { AuditFile } from '../../core/sources/types';
import type { Finding, ValidationResult } from '../../core/validate/types';
import { WorkerChannel } from '../channel/client';
import { SCAN_WORKER_FILE } from '../entries';
import type { ScanProtocol, SourceDescriptor } from './protocol';

export type { SourceDescriptor } from './protocol';

export interface ScanClientOptions {
  /** The bundled thread; defaults to the scan worker bundle next to this (bundled) file. */
  workerPath?: string;
  /** How long a cancelled request may take to stop before the thread is replaced; default 1 s. */
  cancelGraceMs?: number;
}

export interface ClientScanOptions extends WorkOptions {
  /** The scan cache's directory (the thread opens the cache there); no cache when absent. */
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

export class ScanClient {
  private readonly channel: WorkerChannel<ScanProtocol>;

  constructor(options: ScanClientOptions = {}) {
    this.channel = new WorkerChannel<ScanProtocol>({
      workerPath: options.workerPath ?? path.join(__dirname, SCAN_WORKER_FILE),
      name: 'scan worker',
      cancelGraceMs: options.cancelGraceMs,
      policy: { restart: 'on-next-request' },
    });
  }

  /** The running thread's id (tests use it to see a thread replaced); undefined when none runs. */
  get workerThreadId(): number | undefined {
    return this.channel.threadId;
  }

  /** Scans files as core `scanFiles` does; the result holds the caller's own file objects. */
  async scanFiles(source: SourceDescriptor, files: readonly AuditFile[], options: ClientScanOptions = {}): Promise<ScanFilesResult> {
    const value = await this.channel.request(
      'scan',
      { source, files: files.map(plainFile), cacheDirectory: options.cacheDirectory, concurrency: options.concurrency },
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
    const onFindings = options.onFindings ?? ((batch: Finding[]) => batch.forEach((f) => kept.push(f)));
    const value = await this.channel.request(
      'validate',
      { source, file: plainFile(file), maxLineBytes: options.maxLineBytes, maxFindings: options.maxFindings },
      { ...options, onChunk: onFindings },
    );
    return { file: value.file, summary: value.summary, findings: kept };
  }

  dispose(): Promise<void> {
    return this.channel.dispose();
  }
}

/** Only the fields of an AuditFile: a source's own file objects may carry more than can be posted. */
function plainFile(file: AuditFile): AuditFile {
  const { sourceUri, uri, relativePath, workspaceId, date, size, version } = file;
  return { sourceUri, uri, relativePath, workspaceId, date, size, version };
}
