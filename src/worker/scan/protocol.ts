/**
 * Messages between a ScanClient (main thread) and the scan worker. Both sides import this file.
 * Everything here is plain data: sources travel as descriptors and are opened inside the worker.
 */
import type { SerializedError } from '../../core/errors';
import type { ProgressUpdate } from '../../core/progress';
import type { GcsSourceOptions } from '../../core/sources/gcs/source';
import type { AuditFile } from '../../core/sources/types';
import type { Finding, ValidationSummary } from '../../core/validate/types';
import type { FileScan } from '../../core/scan/file-scan';

/** What the worker needs to open a source the way the caller would. */
export interface SourceDescriptor {
  uri: string;
  gcsEndpoint?: string;
  /** Options for gs:// sources; `env` stays out (the worker has its own copy of the environment). */
  gcs?: Omit<GcsSourceOptions, 'env' | 'endpoint'>;
}

export interface ScanMessage {
  type: 'scan';
  source: SourceDescriptor;
  files: AuditFile[];
  /** The scan cache's directory; no cache when absent. */
  cacheDirectory?: string;
  concurrency?: number;
}

export interface ValidateMessage {
  type: 'validate';
  source: SourceDescriptor;
  file: AuditFile;
  maxLineBytes?: number;
  /** Findings sent back at most; the summary still counts every one. No limit when absent. */
  maxFindings?: number;
}

/**
 * Test-only faults, so recovery can be tested: `crash` kills the thread as an uncaught exception
 * would; `hang` blocks it (for at most `ms`) so it cannot answer a cancel.
 */
export interface FaultMessage {
  type: 'fault';
  fault: 'crash' | 'hang';
  ms?: number;
}

/** A scan's outcome; files are named by their index in the request's `files`. */
export interface SerializedScanResult {
  scanned: { index: number; scan: FileScan; cached: boolean }[];
  skipped: { index: number; error: SerializedError }[];
}

/** Requests that get exactly one `result` or `error` reply, with the value type of each. */
export interface ScanRequestResults {
  scan: SerializedScanResult;
  /** The findings themselves arrive before it in `findings` messages. */
  validate: { file: string; summary: ValidationSummary };
  fault: never;
}

export type ScanRequestBody = ScanMessage | ValidateMessage | FaultMessage;
export type ScanRequestType = ScanRequestBody['type'];

export type ToScanWorker =
  | (ScanRequestBody & { id: number })
  /** Stop request `id` at the next safe point. */
  | { type: 'cancel'; id: number };

export type FromScanWorker =
  | { type: 'result'; id: number; value: ScanRequestResults[ScanRequestType] }
  | { type: 'error'; id: number; error: SerializedError }
  | { type: 'progress'; id: number; update: ProgressUpdate }
  /** A batch of validation findings of request `id`, in line order. */
  | { type: 'findings'; id: number; findings: Finding[] };

/** Findings gathered in the worker before they are posted as one message. */
export const FINDINGS_BATCH_SIZE = 1000;
