/**
 * The rhythm of a watch: poll, wait the interval, poll again; after a failed poll wait twice as
 * long each time (up to 30 minutes, or the interval when that is longer), until stopped.
 */
import { AuditLensError } from '../../core/errors';

/** The longest wait between tries after failures, however many there were. */
export const MAX_BACKOFF_MS = 30 * 60_000;

/** The wait after the `failures`-th failure in a row. */
export function backoff(intervalMs: number, failures: number): number {
  return Math.min(intervalMs * 2 ** Math.max(0, failures - 1), Math.max(intervalMs, MAX_BACKOFF_MS));
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** `30s`, `5m`, `1.5h`: a wait as people write it. */
export function duration(ms: number): string {
  return ms >= 3_600_000 ? `${+(ms / 3_600_000).toFixed(1)}h` : ms >= 60_000 ? `${+(ms / 60_000).toFixed(1)}m` : `${Math.round(ms / 1000)}s`;
}

export interface PollLoop<T> {
  intervalMs: number;
  signal: AbortSignal;
  poll: () => Promise<T>;
  onPolled: (result: T) => void | Promise<void>;
  /** A failed poll (not a cancellation), and the wait before the next try. */
  onFailed: (error: AuditLensError, waitMs: number) => void | Promise<void>;
  /** Stop after the first poll, rethrowing its failure. */
  once?: boolean;
  /** The interval may change between polls (a setting). */
  interval?: () => number;
}

/** Polls until `signal` aborts; a usage error ends it at once (retrying would not help). */
export async function runPolls<T>(loop: PollLoop<T>): Promise<void> {
  let failures = 0;
  while (!loop.signal.aborted) {
    const interval = loop.interval?.() ?? loop.intervalMs;
    try {
      const result = await loop.poll();
      failures = 0;
      await loop.onPolled(result);
    } catch (error) {
      const failure = AuditLensError.from(error);
      if (failure.code === 'cancelled' || loop.signal.aborted) return;
      if (failure.code === 'usage' || loop.once) throw failure;
      failures++;
      const wait = backoff(interval, failures);
      await loop.onFailed(failure, wait);
      await sleep(wait, loop.signal);
      continue;
    }
    if (loop.once) return;
    await sleep(interval, loop.signal);
  }
}
