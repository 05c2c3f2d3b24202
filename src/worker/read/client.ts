/**
 * A line reader whose reading runs in a thread of its own, so a load reads, splits and
 * prefilters the next lines on one core while the session inserts on the other. Batches wait in
 * a queue bounded by bytes: when the inserts fall behind, the thread waits (memory stays flat).
 */
import { AuditLensError, cancelled } from '../../core/errors';
import type { LineItem } from '../../core/jsonl';
import { SourceRegistry } from '../../core/sources/registry';
import type { FileLines, LineReader } from '../../core/sql/line-feed';
import { WorkerChannel } from '../channel/client';
import { encodePlan, unpackBatch, type ReadProtocol, type ReadRequest } from './protocol';
import { ChunkQueue, QUEUED_BYTES_LIMIT } from './queue';
import { ThreadSource } from './threadSource';

/** How long a cancelled read may take to stop before its thread is replaced. */
const CANCEL_GRACE_MS = 1000;

export class ReadThread {
  private readonly channel: WorkerChannel<ReadProtocol>;

  private readonly queuedBytes: number;
  private readonly jsonb: ReadRequest['jsonb'];
  /**
   * The session's sources, open in the thread: its loads list and read each through one client
   * (give them to the loader with this reader's `readLines`).
   */
  readonly sources = new SourceRegistry((uri, options) => ThreadSource.open(this.channel, uri, options));

  /**
   * `jsonb`: let the thread convert lines to JSONB when reading leaves it time (see ReadRequest);
   * the loader then only extracts their columns.
   */
  constructor(workerPath: string, options: { queuedBytes?: number; jsonb?: ReadRequest['jsonb'] } = {}) {
    this.queuedBytes = options.queuedBytes ?? QUEUED_BYTES_LIMIT;
    this.jsonb = options.jsonb;
    this.channel = new WorkerChannel<ReadProtocol>({ workerPath, name: 'read worker', policy: { restart: 'on-next-request' }, cancelGraceMs: CANCEL_GRACE_MS });
  }

  /** Starts the thread now, so that the first load (its listing runs there too) does not wait for it; a start that fails is tried again by the next request. */
  start(): void {
    this.channel.open().catch(() => undefined);
  }

  readonly readLines: LineReader = (plan, signal) => {
    const { channel, queuedBytes, jsonb } = this;
    const request: ReadRequest = { plan: encodePlan(plan), ...(jsonb ? { jsonb } : {}) };
    const byIndex = (position: number): boolean => plan.prefilter !== undefined && plan.indexes?.has(position) === true;
    return {
      async *[Symbol.asyncIterator](): AsyncGenerator<FileLines> {
        const stop = new AbortController();
        const onAbort = (): void => stop.abort();
        signal?.addEventListener('abort', onAbort, { once: true });
        const queue = new ChunkQueue(queuedBytes);
        const reading = channel.request('read', request, { signal: stop.signal, onChunk: (chunk) => queue.put(chunk) });
        reading.then(
          () => queue.end(),
          (error: unknown) => queue.fail(signal?.aborted ? cancelled() : AuditLensError.from(error)),
        );
        try {
          for (const position of plan.files.keys()) {
            let passedOver = 0;
            async function* batches(): AsyncGenerator<LineItem[]> {
              for (;;) {
                const chunk = await queue.take(position);
                if (chunk.kind === 'lines') yield unpackBatch(chunk);
                else if (chunk.kind === 'end') return void (passedOver = chunk.passedOver);
                else throw AuditLensError.from(chunk.error, 'data');
              }
            }
            yield { position, byIndex: byIndex(position), batches: batches(), passedOver: () => passedOver };
          }
        } finally {
          signal?.removeEventListener('abort', onAbort);
          stop.abort();
          queue.close();
          await reading.catch(() => undefined);
        }
      },
    };
  };

  dispose(): Promise<void> {
    return this.channel.dispose();
  }
}
