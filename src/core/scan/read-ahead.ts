/**
 * Reads several files at once while the caller consumes them one by one, in order. Each file
 * being read ahead buffers at most `maxBufferedBytes` before its download pauses, so memory stays
 * bounded whatever the file sizes.
 */
import { AuditLensError, throwIfCancelled } from '../errors';
import type { AuditFile, AuditSource } from '../sources/types';
import { DEFAULT_CONCURRENCY } from './concurrency';

export interface ReadAheadOptions {
  /** Files being downloaded at once (the one consumed included); default 4. */
  concurrency?: number;
  /** Per file read ahead; default 8 MiB. */
  maxBufferedBytes?: number;
  signal?: AbortSignal;
}

export interface ReadAheadItem<F extends AuditFile = AuditFile> {
  file: F;
  /** The file's bytes; iterate it once. Read errors (e.g. 'not-found') surface here. */
  chunks: AsyncIterable<Uint8Array>;
}

export const DEFAULT_READ_AHEAD_BYTES = 8 * 1024 * 1024;

/** One file's download, pulled into a bounded queue. */
class Prefetch {
  private readonly queue: Uint8Array[] = [];
  private buffered = 0;
  private done = false;
  private failure: { error: unknown } | undefined;
  private wakeConsumer: (() => void) | undefined;
  private wakeProducer: (() => void) | undefined;
  private stopped = false;

  constructor(
    private readonly source: AsyncIterable<Uint8Array>,
    private readonly limit: number,
  ) {
    void this.pump();
  }

  private async pump(): Promise<void> {
    try {
      for await (const chunk of this.source) {
        if (this.stopped) return;
        this.queue.push(chunk);
        this.buffered += chunk.length;
        this.wakeConsumer?.();
        while (this.buffered >= this.limit && !this.stopped) await new Promise<void>((r) => (this.wakeProducer = r));
        if (this.stopped) return;
      }
    } catch (error) {
      this.failure = { error };
    } finally {
      this.done = true;
      this.wakeConsumer?.();
    }
  }

  async *chunks(): AsyncGenerator<Uint8Array> {
    try {
      for (;;) {
        const chunk = this.queue.shift();
        if (chunk !== undefined) {
          this.buffered -= chunk.length;
          this.wakeProducer?.();
          yield chunk;
          continue;
        }
        if (this.failure) throw this.failure.error;
        if (this.done) return;
        await new Promise<void>((r) => (this.wakeConsumer = r));
      }
    } finally {
      this.stop();
    }
  }

  /** Stops downloading; the source iterator's cleanup closes the request. */
  stop(): void {
    this.stopped = true;
    this.queue.length = 0;
    this.wakeProducer?.();
  }
}

export async function* readAhead<F extends AuditFile>(
  source: AuditSource | ((file: F) => AuditSource),
  files: readonly F[],
  options: ReadAheadOptions = {},
): AsyncGenerator<ReadAheadItem<F>> {
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? DEFAULT_CONCURRENCY));
  const limit = Math.max(1, options.maxBufferedBytes ?? DEFAULT_READ_AHEAD_BYTES);
  const sourceOf = typeof source === 'function' ? source : (): AuditSource => source;
  const started: Prefetch[] = [];
  const start = (index: number): void => {
    const file = files[index];
    if (file === undefined || started[index] !== undefined) return;
    const readOptions = options.signal ? { signal: options.signal } : {};
    started[index] = new Prefetch(sourceOf(file).openRead(file, readOptions), limit);
  };
  try {
    for (let index = 0; index < files.length; index++) {
      throwIfCancelled(options.signal);
      for (let ahead = index; ahead < Math.min(files.length, index + concurrency); ahead++) start(ahead);
      yield { file: files[index]!, chunks: started[index]!.chunks() };
      started[index]!.stop();
    }
  } catch (error) {
    throw AuditLensError.from(error);
  } finally {
    for (const prefetch of started) prefetch?.stop();
  }
}
