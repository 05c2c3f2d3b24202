/** Scans many files at once (bounded), through the cache; a file that vanished is skipped and reported. */
import { AuditLensError } from '../errors';
import type { WorkOptions } from '../progress';
import type { AuditFile, AuditSource } from '../sources/types';
import { mapWithConcurrency } from './concurrency';
import { scanFile, type FileScan } from './file-scan';
import { LineIndexBuilder } from './line-index';
import type { ScanCache } from './scan-cache';

export interface ScanFilesOptions extends WorkOptions {
  cache?: ScanCache;
  /** Files read at once; default 4. */
  concurrency?: number;
}

export interface ScannedFile {
  file: AuditFile;
  scan: FileScan;
  /** True when the scan came from the cache and the file was not read. */
  cached: boolean;
}

export interface SkippedFile {
  file: AuditFile;
  error: AuditLensError;
}

export interface ScanFilesResult {
  scanned: ScannedFile[];
  /** Files that vanished or changed between listing and reading. */
  skipped: SkippedFile[];
}

/** Scans one file, or returns its cached scan when this version was scanned before. */
export async function scanFileCached(source: AuditSource, file: AuditFile, options: ScanFilesOptions = {}): Promise<ScannedFile> {
  const hit = await options.cache?.get(file);
  if (hit) return { file, scan: hit, cached: true };
  const index = options.cache ? new LineIndexBuilder() : undefined;
  const scan = await scanFile(source, file, { ...options, ...(index ? { index } : {}) });
  await options.cache?.set(file, scan, index?.build());
  return { file, scan, cached: false };
}

export async function scanFiles(source: AuditSource, files: readonly AuditFile[], options: ScanFilesOptions = {}): Promise<ScanFilesResult> {
  const result: ScanFilesResult = { scanned: [], skipped: [] };
  let done = 0;
  const outcomes = await mapWithConcurrency(
    files,
    async (file): Promise<ScannedFile | SkippedFile> => {
      try {
        return await scanFileCached(source, file, options);
      } catch (error) {
        const failure = AuditLensError.from(error);
        if (failure.code !== 'not-found') throw failure;
        return { file, error: failure };
      } finally {
        done++;
        options.onProgress?.({ message: `Scanning ${source.uri}`, done, total: files.length, unit: 'files' });
      }
    },
    { concurrency: options.concurrency, signal: options.signal },
  );
  for (const outcome of outcomes) {
    if ('scan' in outcome) result.scanned.push(outcome);
    else result.skipped.push(outcome);
  }
  return result;
}
