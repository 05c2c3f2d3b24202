/**
 * The scan client's calls on its worker channel. Both sides import this file. Everything here
 * is plain data: sources travel as descriptors and are opened inside the thread.
 */
import type { SerializedError } from '../../core/errors';
import type { FileScan } from '../../core/scan/file-scan';
import type { GcsSourceOptions } from '../../core/sources/gcs/source';
import type { AuditFile } from '../../core/sources/types';
import type { Finding, ValidationSummary } from '../../core/validate/types';
import type { Call } from '../channel/messages';

/** What the thread needs to open a source the way the caller would. */
export interface SourceDescriptor {
  uri: string;
  gcsEndpoint?: string;
  /** Options for gs:// sources; `env` stays out (the thread has its own copy of the environment). */
  gcs?: Omit<GcsSourceOptions, 'env' | 'endpoint'>;
}

export interface ScanRequest {
  source: SourceDescriptor;
  files: AuditFile[];
  /** The scan cache's directory; no cache when absent. */
  cacheDirectory?: string;
  concurrency?: number;
}

export interface ValidateRequest {
  source: SourceDescriptor;
  file: AuditFile;
  maxLineBytes?: number;
  /** Findings sent back at most; the summary still counts every one. No limit when absent. */
  maxFindings?: number;
}

/** A scan's outcome; files are named by their index in the request's `files`. */
export interface SerializedScanResult {
  scanned: { index: number; scan: FileScan; cached: boolean }[];
  skipped: { index: number; error: SerializedError }[];
}

export type ScanProtocol = {
  scan: Call<ScanRequest, SerializedScanResult>;
  /** Findings stream as chunks in line order, a batch at a time. */
  validate: Call<ValidateRequest, { file: string; summary: ValidationSummary }, Finding[]>;
};

/** Findings gathered in the thread before they are sent as one chunk. */
export const FINDINGS_BATCH_SIZE = 1000;
