/** Runs async work over many items with a bounded number in flight. */
import { throwIfCancelled } from '../errors';

export const DEFAULT_CONCURRENCY = 4;

export interface ConcurrencyOptions {
  /** Most items in flight at once; default 4. */
  concurrency?: number;
  signal?: AbortSignal;
}

/**
 * Maps every item through `work`, at most `concurrency` at a time, and returns the results in the
 * items' order. The first failure stops new work from starting and is thrown once the running
 * items have settled, so nothing keeps running behind the caller's back.
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  work: (item: T, index: number) => Promise<R>,
  options: ConcurrencyOptions = {},
): Promise<R[]> {
  const limit = Math.max(1, Math.floor(options.concurrency ?? DEFAULT_CONCURRENCY));
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;

  const worker = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const index = next++;
      try {
        throwIfCancelled(options.signal);
        results[index] = await work(items[index] as T, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };

  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== undefined) throw failure.error;
  return results;
}
