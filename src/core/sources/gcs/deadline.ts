/**
 * Bounds on network waits. The storage client's streams can stall for good (headers sent, then
 * silence; a cut connection, should it go unseen: see connection.ts) and its requests can go
 * unanswered: every wait on it goes through here, so each one ends, with an error naming what was
 * being read or listed.
 */
import type { Readable } from 'node:stream';
import { cancelled } from '../../errors';

/** How long one network wait may last: a listing request, or the next bytes of a download. */
export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;
/** A whole listing (every page of one prefix) may take this many idle timeouts. */
export const LISTING_TIMEOUTS = 15;
/** A download bringing fewer bytes than this in a whole idle timeout is stalled, not slow. */
export const MIN_BYTES_PER_IDLE_TIMEOUT = 1024;

/**
 * Settles as the promise does, unless `timeoutMs` passes first (rejects with `onTimeout()`) or the
 * signal fires (rejects as cancelled). The abandoned promise's outcome is ignored.
 */
export function bounded<T>(promise: Promise<T>, timeoutMs: number, onTimeout: () => Error, signal?: AbortSignal): Promise<T> {
  promise.catch(() => undefined);
  if (signal?.aborted) return Promise.reject(cancelled());
  return new Promise<T>((resolve, reject) => {
    const finish = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = (): void => {
      finish();
      reject(cancelled());
    };
    const timer = setTimeout(() => {
      finish();
      reject(onTimeout());
    }, Math.max(0, timeoutMs));
    signal?.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        finish();
        resolve(value);
      },
      (error: unknown) => {
        finish();
        reject(error);
      },
    );
  });
}

/**
 * The stream's chunks, failing with `stalled(bytesReceived)` when a wait for the next chunk
 * lasts `idleTimeoutMs`, or when the waits of a whole idle timeout bring fewer than
 * MIN_BYTES_PER_IDLE_TIMEOUT bytes (a trickle). Only time spent waiting on the stream counts: a
 * consumer that takes long over a chunk never trips it.
 */
export async function* guardedChunks(stream: Readable, idleTimeoutMs: number, stalled: (bytesReceived: number) => Error): AsyncGenerator<Buffer> {
  const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let received = 0;
  let waited = 0;
  let bytesInPeriod = 0;
  for (;;) {
    const started = Date.now();
    let next: IteratorResult<Buffer>;
    try {
      next = await bounded(iterator.next(), idleTimeoutMs - waited, () => stalled(received));
    } catch (error) {
      await abandon(stream, error as Error);
      throw error;
    }
    if (next.done) return;
    waited += Date.now() - started;
    received += next.value.length;
    bytesInPeriod += next.value.length;
    if (waited >= idleTimeoutMs) {
      if (bytesInPeriod < MIN_BYTES_PER_IDLE_TIMEOUT) {
        const error = stalled(received);
        await abandon(stream, error);
        throw error;
      }
      waited = 0;
      bytesInPeriod = 0;
    }
    yield next.value;
  }
}

/**
 * Destroys the stream and waits until it has closed and the client has cleaned up after it, so that
 * a request started next does not meet what is left of it.
 */
async function abandon(stream: Readable, error: Error): Promise<void> {
  if (!stream.closed) {
    const closed = new Promise<void>((resolve) => stream.once('close', () => resolve()));
    stream.destroy(error);
    await bounded(closed, ABANDON_WAIT_MS, () => error).catch(() => undefined);
  }
  await new Promise<void>((resolve) => setImmediate(resolve));
}

/** The longest wait for an abandoned stream to close. */
const ABANDON_WAIT_MS = 1000;

export function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}
