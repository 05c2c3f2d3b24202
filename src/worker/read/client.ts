/**
 * A line reader whose reading runs in a thread of its own, so a load reads, splits and
 * prefilters the next lines on one core while the session inserts on the other. Batches wait in
 * a queue bounded by bytes: when the inserts fall behind, the thread waits (memory stays flat).
 */
import { AuditLensError, cancelled } from '../../core/errors';
import { lineOfBytes, type LineItem } from '../../core/jsonl';
import type { FileLines, LineReader } from '../../core/sql/line-feed';
import { WorkerChannel } from '../channel/client';
import { LINE_JSONB, TABLE_STRIDE, type ReadChunk, type ReadProtocol, type ReadRequest } from './protocol';
import { ChunkQueue, QUEUED_BYTES_LIMIT } from './queue';

/** How long a cancelled read may take to stop before its thread is replaced. */
const CANCEL_GRACE_MS = 1000;

export class ReadThread {
  private readonly channel: WorkerChannel<ReadProtocol>;

  private readonly queuedBytes: number;
  private readonly jsonb: ReadRequest['jsonb'];

  /**
   * `jsonb`: let the thread convert lines to JSONB when reading leaves it time (see ReadRequest);
   * the loader then only extracts their columns.
   */
  constructor(workerPath: string, options: { queuedBytes?: number; jsonb?: ReadRequest['jsonb'] } = {}) {
    this.queuedBytes = options.queuedBytes ?? QUEUED_BYTES_LIMIT;
    this.jsonb = options.jsonb;
    this.channel = new WorkerChannel<ReadProtocol>({ workerPath, name: 'read worker', policy: { restart: 'on-next-request' }, cancelGraceMs: CANCEL_GRACE_MS });
  }

  readonly readLines: LineReader = (plan, signal) => {
    const { channel, queuedBytes, jsonb } = this;
    const request: ReadRequest = {
      files: plan.files.map(({ source, file }) => ({ sourceUri: source.uri, file })),
      sourceOptions: plan.sourceOptions,
      ...(plan.prefilter ? { prefilter: plan.prefilter } : {}),
      ...(plan.indexes ? { indexes: [...plan.indexes] } : {}),
      ...(plan.maxLineBytes !== undefined ? { maxLineBytes: plan.maxLineBytes } : {}),
      ...(plan.concurrency !== undefined ? { concurrency: plan.concurrency } : {}),
      ...(jsonb ? { jsonb } : {}),
    };
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
                if (chunk.kind === 'lines') yield unpack(chunk);
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

/** A batch's lines as the line reader gives them, each a view of the moved buffer. */
function unpack(chunk: ReadChunk & { kind: 'lines' }): LineItem[] {
  const { bytes, table, problems } = chunk;
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const items: LineItem[] = [];
  for (let row = 0; row < table.length; row += TABLE_STRIDE) {
    const start = table[row + 2]!;
    if (start < 0) items.push(problems[-1 - start]!);
    else if (table[row + 4] === LINE_JSONB) items.push({ kind: 'line', line: table[row]!, offset: table[row + 1]!, text: '', jsonb: buffer.subarray(start, start + table[row + 3]!) });
    else items.push(lineOfBytes(table[row]!, table[row + 1]!, buffer.subarray(start, start + table[row + 3]!)));
  }
  return items;
}
