/**
 * The default row budget, derived from the machine's memory: a session may use about a quarter
 * of it, at the peak resident memory a loaded record costs (measured by `npm run bench`), and
 * never more than sql.js can hold (its database lives in one array that cannot pass 4 GiB, which
 * it nears at about 7.3M records).
 */
import { totalmem } from 'node:os';

/** Peak resident memory per loaded record during a full load, measured by `npm run bench` at 1M records. */
export const PEAK_BYTES_PER_RECORD = 1600;
/** Share of the machine's memory one session may take. */
const MEMORY_SHARE = 0.25;
/** Well below the ≈7.3M records where sql.js's database array reaches 4 GiB. */
export const MAX_ROW_BUDGET = 6_000_000;
const MIN_ROW_BUDGET = 100_000;

export function defaultRowBudget(memoryBytes = totalmem()): number {
  const fits = Math.floor((memoryBytes * MEMORY_SHARE) / PEAK_BYTES_PER_RECORD / 100_000) * 100_000;
  return Math.min(MAX_ROW_BUDGET, Math.max(MIN_ROW_BUDGET, fits));
}
