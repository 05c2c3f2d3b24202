export { mapWithConcurrency, DEFAULT_CONCURRENCY, type ConcurrencyOptions } from './concurrency';
export {
  scanFile,
  addRecord,
  emptyScan,
  mergeScans,
  MISSING_NAME,
  SCAN_FORMAT_VERSION,
  type ActionCounts,
  type FileScan,
  type ServiceCounts,
} from './file-scan';
export { ScanCache } from './scan-cache';
export { scanFiles, scanFileCached, type ScanFilesOptions, type ScanFilesResult, type ScannedFile, type SkippedFile } from './scan-files';
export { readAhead, DEFAULT_READ_AHEAD_BYTES, type ReadAheadItem, type ReadAheadOptions } from './read-ahead';
