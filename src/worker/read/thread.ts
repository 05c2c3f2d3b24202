/**
 * The read thread: reads, splits, prefilters and checks a load's lines (the core line feed) while
 * the session's thread inserts the ones before. A file's failure is sent as its last chunk and
 * the feed goes on; the session decides whether it loses the file or the load.
 */
import { AuditLensError } from '../../core/errors';
import type { LineItem, LineProblem } from '../../core/jsonl';
import { openSource, type AuditSource } from '../../core/sources';
import { readLinesHere } from '../../core/sql/line-feed';
import { serve } from '../channel/thread';
import { READ_WORKER_FILE } from '../entries';
import { JsonbConverter } from '../../core/sql/jsonb';
import { LINE_JSONB, LINE_TEXT, TABLE_STRIDE, type ReadChunk, type ReadProtocol, type ReadRequest } from './protocol';

/** Chunks sent and not yet taken by the session; with the session's queue, this bounds memory. */
const CHUNKS_IN_FLIGHT = 8;

serve<ReadProtocol>(
  {
    async read(request, { signal, chunk }) {
      const files = await openFiles(request);
      const plan = {
        files,
        sourceOptions: request.sourceOptions,
        ...(request.prefilter ? { prefilter: request.prefilter } : {}),
        ...(request.indexes ? { indexes: new Map(request.indexes) } : {}),
        ...(request.maxLineBytes !== undefined ? { maxLineBytes: request.maxLineBytes } : {}),
        ...(request.concurrency !== undefined ? { concurrency: request.concurrency } : {}),
      };
      // Chunks in flight: the next batch is read while the session still inserts the last ones.
      const unacknowledged: Promise<void>[] = [];
      const send = async (next: ReadChunk, transfer?: ArrayBuffer[]): Promise<void> => {
        unacknowledged.push(chunk(next, transfer));
        if (unacknowledged.length >= CHUNKS_IN_FLIGHT) await unacknowledged.shift();
      };
      const converter = request.jsonb ? await jsonbConverter(request.jsonb.wasmPath) : undefined;
      for await (const file of readLinesHere(plan, signal)) {
        const { position } = file;
        // Filtering lines by their bytes keeps this thread busy; reading by the index or whole does not.
        const convert = converter && (!request.prefilter || file.byIndex) ? converter : undefined;
        try {
          for await (const batch of file.batches) {
            const packed = pack(position, batch, convert);
            await send(packed, [packed.bytes.buffer as ArrayBuffer, packed.table.buffer as ArrayBuffer]);
          }
          await send({ position, kind: 'end', passedOver: file.passedOver() });
        } catch (error) {
          if (signal.aborted) throw error;
          await send({ position, kind: 'failed', error: AuditLensError.from(error, 'data').toJSON() });
        }
      }
      await Promise.all(unacknowledged);
      return null;
    },
  },
  READ_WORKER_FILE,
);

/** Each source once, opened as the session opened it. */
async function openFiles(request: ReadRequest): Promise<{ source: AuditSource; file: ReadRequest['files'][number]['file'] }[]> {
  const sources = new Map<string, Promise<AuditSource>>();
  return Promise.all(
    request.files.map(async ({ sourceUri, file }) => {
      let source = sources.get(sourceUri);
      if (!source) sources.set(sourceUri, (source = openSource(sourceUri, request.sourceOptions)));
      return { source: await source, file };
    }),
  );
}

let converter: Promise<JsonbConverter | undefined> | undefined;

/** This thread's converter, opened once; when sql.js cannot start here, lines go as text and the session converts them. */
function jsonbConverter(wasmPath: string | undefined): Promise<JsonbConverter | undefined> {
  converter ??= JsonbConverter.open(wasmPath).catch(() => undefined);
  return converter;
}

/**
 * A batch as one byte buffer (the lines back to back) and a table saying where each line is; with
 * `convert`, each line that is a strict JSON object goes as its JSONB.
 */
function pack(position: number, batch: readonly LineItem[], convert?: JsonbConverter): ReadChunk & { kind: 'lines' } {
  const lines = batch.map((item) => {
    if (item.kind === 'problem') return undefined;
    const text = item.bytes ?? Buffer.from(item.text, 'utf8');
    const jsonb = convert?.convert(text);
    return jsonb ? { bytes: jsonb, kind: LINE_JSONB } : { bytes: text, kind: LINE_TEXT };
  });
  let size = 0;
  for (const line of lines) size += line?.bytes.length ?? 0;
  const bytes = new Uint8Array(size);
  const table = new Float64Array(batch.length * TABLE_STRIDE);
  const problems: LineProblem[] = [];
  let at = 0;
  batch.forEach((item, i) => {
    const row = i * TABLE_STRIDE;
    table[row] = item.line;
    table[row + 1] = item.offset;
    if (item.kind === 'problem') {
      table[row + 2] = -1 - problems.length;
      problems.push(item);
      return;
    }
    const line = lines[i]!;
    bytes.set(line.bytes, at);
    table[row + 2] = at;
    table[row + 3] = line.bytes.length;
    table[row + 4] = line.kind;
    at += line.bytes.length;
  });
  return { position, kind: 'lines', bytes, table, problems };
}
