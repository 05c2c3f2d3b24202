/**
 * A source open in the read thread, listed and read from the session's thread through the
 * channel: the session's loads list and read each source through one client, the thread's.
 */
import { AuditLensError, cancelled, throwIfCancelled } from '../../core/errors';
import type { PartitionFilter } from '../../core/layout';
import type { WorkOptions } from '../../core/progress';
import type { AuditFile, AuditSource, ReadOptions, SourceOptions } from '../../core/sources';
import type { WorkerChannel } from '../channel/client';
import type { ListCall, ReadProtocol, SourceRef } from './protocol';

export class ThreadSource implements AuditSource {
  static async open(channel: WorkerChannel<ReadProtocol>, uri: string, options: SourceOptions, signal?: AbortSignal): Promise<ThreadSource> {
    const ref: SourceRef = { uri, options };
    const opened = await channel.request('open', ref, signal ? { signal } : {});
    return new ThreadSource(channel, ref, opened.uri, opened.kind);
  }

  private constructor(
    private readonly channel: WorkerChannel<ReadProtocol>,
    /** Sent with every call, so a thread started again opens the source as the first did. */
    readonly ref: SourceRef,
    readonly uri: string,
    readonly kind: AuditSource['kind'],
  ) {}

  listWorkspaces(filter?: PartitionFilter, options?: WorkOptions): Promise<string[]> {
    // The thread answers each method with its own type (see the read thread's list).
    return this.list({ method: 'listWorkspaces', ...(filter ? { filter } : {}) }, options) as Promise<string[]>;
  }

  listDates(workspaceId: string, filter?: PartitionFilter, options?: WorkOptions): Promise<string[]> {
    return this.list({ method: 'listDates', workspaceId, ...(filter ? { filter } : {}) }, options) as Promise<string[]>;
  }

  listPartitionFiles(workspaceId: string, date: string, options?: WorkOptions): Promise<AuditFile[]> {
    return this.list({ method: 'listPartitionFiles', workspaceId, date }, options) as Promise<AuditFile[]>;
  }

  listFiles(filter?: PartitionFilter, options?: WorkOptions): Promise<AuditFile[]> {
    return this.list({ method: 'listFiles', ...(filter ? { filter } : {}) }, options) as Promise<AuditFile[]>;
  }

  /** The bytes as the thread reads them, one chunk ahead of the caller at most. */
  async *openRead(file: AuditFile, options: ReadOptions = {}): AsyncGenerator<Uint8Array> {
    const { signal, range } = options;
    throwIfCancelled(signal);
    const stop = new AbortController();
    const onAbort = (): void => stop.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const waiting: { bytes: Uint8Array; taken: () => void }[] = [];
    let finished = false;
    let failure: AuditLensError | undefined;
    let wake: (() => void) | undefined;
    const reading = this.channel.request(
      'readFile',
      { ...this.ref, file, ...(range ? { range } : {}) },
      { signal: stop.signal, onChunk: (bytes) => new Promise<void>((taken) => (waiting.push({ bytes, taken }), wake?.())) },
    );
    reading.then(
      () => ((finished = true), wake?.()),
      (error: unknown) => ((failure = signal?.aborted ? cancelled() : AuditLensError.from(error, 'data')), (finished = true), wake?.()),
    );
    try {
      for (;;) {
        const next = waiting.shift();
        if (next) {
          next.taken();
          yield next.bytes;
          continue;
        }
        if (failure) throw failure;
        if (finished) return;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      stop.abort();
      await reading.catch(() => undefined);
    }
  }

  private list(call: ListCall, options: WorkOptions = {}): Promise<string[] | AuditFile[]> {
    return this.channel.request('list', { ...this.ref, call }, {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      onChunk: (skipped) => options.onSkipped?.(skipped),
    });
  }
}
