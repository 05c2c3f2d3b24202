/**
 * The read thread: reads, splits, prefilters and checks a load's lines (the core line feed) while
 * the session's thread inserts the ones before. A file's failure is sent as its last chunk and
 * the feed goes on; the session decides whether it loses the file or the load.
 */
import { AuditLensError } from '../../core/errors';
import type { WorkOptions } from '../../core/progress';
import type { AuditFile, AuditSource } from '../../core/sources';
import { SourceRegistry } from '../../core/sources/registry';
import { readLinesHere } from '../../core/sql/line-feed';
import { serve } from '../channel/thread';
import { READ_WORKER_FILE } from '../entries';
import { JsonbConverter } from '../../core/sql/jsonb';
import { ConversionShare } from './conversionShare';
import { decodePlan, packBatch, type ListCall, type ReadChunk, type ReadProtocol } from './protocol';

/** Chunks sent and not yet taken by the session; with the session's queue, this bounds memory. */
const CHUNKS_IN_FLIGHT = 8;

serve<ReadProtocol>(
  {
    async read(request, { signal, chunk }) {
      const plan = await decodePlan(request.plan, (uri, options) => sources.get(uri, options));
      // Chunks in flight: the next batch is read while the session still inserts the last ones.
      const unacknowledged: { taken: boolean; ack: Promise<void> }[] = [];
      /** Sends a chunk; returns whether it had to wait for the session to take an earlier one. */
      const send = async (next: ReadChunk, transfer?: ArrayBuffer[]): Promise<boolean> => {
        const sent = { taken: false, ack: chunk(next, transfer) };
        void sent.ack.then(() => (sent.taken = true));
        unacknowledged.push(sent);
        if (unacknowledged.length < CHUNKS_IN_FLIGHT) return false;
        const oldest = unacknowledged.shift()!;
        const waited = !oldest.taken;
        await oldest.ack;
        return waited;
      };
      const converter = request.jsonb ? await jsonbConverter(request.jsonb.wasmPath) : undefined;
      // Filtering lines by their bytes keeps this thread busy: it converts the share of them that keeps the session's thread from waiting.
      const filtered = new ConversionShare(0);
      for await (const file of readLinesHere(plan, signal)) {
        const { position } = file;
        const byBytes = plan.prefilter !== undefined && !file.byIndex;
        const convert = converter && ((line: Uint8Array) => (!byBytes || filtered.take() ? converter.convert(line) : undefined));
        try {
          for await (const batch of file.batches) {
            const { packed, transfer } = packBatch(batch, convert);
            const waited = await send({ position, kind: 'lines', ...packed }, transfer);
            if (byBytes) filtered.sent(waited);
          }
          await send({ position, kind: 'end', passedOver: file.passedOver() });
        } catch (error) {
          if (signal.aborted) throw error;
          await send({ position, kind: 'failed', error: AuditLensError.from(error, 'data').toJSON() });
        }
      }
      await Promise.all(unacknowledged.map((sent) => sent.ack));
      return null;
    },
    async open(ref) {
      const source = await sources.get(ref.uri, ref.options);
      return { uri: source.uri, kind: source.kind };
    },
    async list({ call, ...ref }, { signal, progress, chunk }) {
      const source = await sources.get(ref.uri, ref.options);
      const passedOver: Promise<void>[] = [];
      const value = await list(source, call, { signal, onProgress: progress, onSkipped: (skipped) => void passedOver.push(chunk(skipped)) });
      await Promise.all(passedOver);
      return value;
    },
    async readFile({ file, range, ...ref }, { signal, chunk }) {
      const source = await sources.get(ref.uri, ref.options);
      for await (const bytes of source.openRead(file, { signal, ...(range ? { range } : {}) })) {
        // A copy: the source may read the next bytes into the same memory.
        const moved = bytes.slice();
        await chunk(moved, [moved.buffer as ArrayBuffer]);
      }
      return null;
    },
  },
  READ_WORKER_FILE,
);

/** The session's sources, each opened once for all its loads (the thread lives as long as the session). */
const sources = new SourceRegistry();

function list(source: AuditSource, call: ListCall, options: WorkOptions): Promise<string[] | AuditFile[]> {
  switch (call.method) {
    case 'listWorkspaces':
      return source.listWorkspaces(call.filter, options);
    case 'listDates':
      return source.listDates(call.workspaceId, call.filter, options);
    case 'listPartitionFiles':
      return source.listPartitionFiles(call.workspaceId, call.date, options);
    case 'listFiles':
      return source.listFiles(call.filter, options);
  }
}

let converter: Promise<JsonbConverter | undefined> | undefined;

/** This thread's converter, opened once; when sql.js cannot start here, lines go as text and the session converts them. */
function jsonbConverter(wasmPath: string | undefined): Promise<JsonbConverter | undefined> {
  converter ??= JsonbConverter.open(wasmPath).catch(() => undefined);
  return converter;
}
