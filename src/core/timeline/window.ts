/** The span of time a timeline covers: instants for the SQL, and the `date=` folders that can hold them. */
import type { PartitionFilter } from '../layout';

/** Epoch milliseconds, both ends inclusive; an absent end is open. */
export interface TimelineWindow {
  from?: number;
  to?: number;
}

const DAY_MS = 86_400_000;

function utcDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * The partition filter a timeline reads: the caller's, narrowed to the dates around the window.
 * One day of slack on each side keeps a record whose `date=` folder is not its timestamp's UTC date
 * (delivered across midnight); the SQL's timestamp range then decides.
 */
export function windowPartitionFilter(window: TimelineWindow, filter: PartitionFilter = {}): PartitionFilter {
  const from = window.from === undefined ? undefined : utcDate(window.from - DAY_MS);
  const to = window.to === undefined ? undefined : utcDate(window.to + DAY_MS);
  return {
    ...filter,
    ...(later(filter.from, from) !== undefined ? { from: later(filter.from, from) } : {}),
    ...(earlier(filter.to, to) !== undefined ? { to: earlier(filter.to, to) } : {}),
  };
}

function later(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a > b ? a : b;
}

function earlier(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a < b ? a : b;
}

/**
 * The window ended before an as-of instant: a timeline as of T shows what had happened before T
 * (T itself is the first instant of what comes after, as scope-end's 24:00 is the next day's 00:00).
 */
export function windowBefore(window: TimelineWindow, asOf: number): TimelineWindow {
  const last = asOf - 1;
  return { ...window, to: window.to === undefined ? last : Math.min(window.to, last) };
}

/** Whether the window holds no instant at all (its start after its end). */
export function isEmptyWindow(window: TimelineWindow): boolean {
  return window.from !== undefined && window.to !== undefined && window.from > window.to;
}
