/**
 * Each numeric setting's default and bounds, declared once: the settings reader clamps to them
 * and a test checks package.json's configuration says the same. The defaults are the engine's.
 */
import { DEFAULT_CONCURRENCY } from '../core/scan/concurrency';
import { DEFAULT_IDLE_TIMEOUT_MS } from '../core/sources/gcs/deadline';
import { MAX_ROW_BUDGET } from '../core/sql/budget';
import { DEFAULT_RECORD_CACHE_BYTES } from '../core/sql/record-cache';

export interface SettingRange {
  default: number;
  minimum: number;
  maximum: number;
}

export const SETTING_RANGES = {
  defaultDateRange: { default: 0, minimum: 0, maximum: 3650 },
  /** 0: what this machine's memory allows (see core/sql/budget). */
  rowBudget: { default: 0, minimum: 0, maximum: MAX_ROW_BUDGET },
  downloadConcurrency: { default: DEFAULT_CONCURRENCY, minimum: 1, maximum: 32 },
  /** Seconds. */
  gcsTimeout: { default: DEFAULT_IDLE_TIMEOUT_MS / 1000, minimum: 1, maximum: 3600 },
  /** MiB; 0: no record cache. */
  recordCacheSize: { default: DEFAULT_RECORD_CACHE_BYTES / 1024 ** 2, minimum: 0, maximum: 1024 ** 2 },
} as const satisfies Record<string, SettingRange>;
