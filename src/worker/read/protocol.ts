/**
 * The read thread's one call: a load's line feed, read off the session's thread. The load plan
 * crosses as one value (`encodePlan` / `decodePlan`); lines come back in packed batches (one byte
 * buffer and a column per line field, moved, not copied, see `packBatch` / `unpackBatch`); each
 * file ends with its count of lines passed over, or with the error that lost it. Both sides
 * import this file.
 */
import type { SerializedError } from '../../core/errors';
import { lineOfBytes, type LineItem, type LineProblem } from '../../core/jsonl';
import type { LineIndex } from '../../core/scan/line-index';
import type { PartitionFilter } from '../../core/layout';
import type { AuditFile, AuditSource, ByteRange, SourceOptions } from '../../core/sources';
import type { Skipped } from '../../core/sources/skipped';
import type { LoadPlan } from '../../core/sql/line-feed';
import type { Call } from '../channel/messages';
import { ThreadSource } from './threadSource';

/** A load plan as it crosses: each source by its URI, once; the rest of the plan as it is. */
export interface EncodedPlan extends Omit<LoadPlan, 'files' | 'indexes'> {
  sources: string[];
  /** The plan's files, each with the position of its source in `sources`. */
  files: { source: number; file: AuditFile }[];
  /** Line indexes by file position. */
  indexes?: Map<number, LineIndex>;
}

export interface ReadRequest {
  plan: EncodedPlan;
  /**
   * Convert the lines of loads whose reading leaves this thread time to spare (no prefilter, or a
   * file read by its line index) to JSONB, with sql.js from this wasm file (or its default place).
   */
  jsonb?: { wasmPath?: string };
}

export function encodePlan(plan: LoadPlan): EncodedPlan {
  const { files, indexes, ...rest } = plan;
  const sources: string[] = [];
  const positions = new Map<string, number>();
  const encoded = files.map(({ source, file }) => {
    const uri = openingUri(source);
    let at = positions.get(uri);
    if (at === undefined) positions.set(uri, (at = sources.push(uri) - 1));
    return { source: at, file };
  });
  return { ...rest, sources, files: encoded, ...(indexes ? { indexes: new Map(indexes) } : {}) };
}

/**
 * The URI the thread opens a source by: the one a source already open there was opened with (the
 * thread has it open under that name, the session's one client), or else the source's own.
 */
function openingUri(source: AuditSource): string {
  return source instanceof ThreadSource ? source.ref.uri : source.uri;
}

/** The plan again, each source opened by `open` (as the plan's `sourceOptions` say) once. */
export async function decodePlan(encoded: EncodedPlan, open: (uri: string, options: LoadPlan['sourceOptions']) => Promise<AuditSource>): Promise<LoadPlan> {
  const { sources: uris, files, ...rest } = encoded;
  const sources = await Promise.all(uris.map((uri) => open(uri, encoded.sourceOptions)));
  return { ...rest, files: files.map(({ source, file }) => ({ source: sources[source]!, file })) };
}

/**
 * A batch of lines: `bytes` holds the lines back to back; entry i of each column describes item i.
 * An item is a problem when its `start` is negative (problem -1 - start), otherwise `length`
 * bytes at `start`, which are JSONB when `jsonb` is 1 and the line's text otherwise.
 */
export interface PackedBatch {
  bytes: Uint8Array;
  line: Float64Array;
  offset: Float64Array;
  start: Float64Array;
  length: Float64Array;
  jsonb: Uint8Array;
  problems: LineProblem[];
}

export type ReadChunk =
  | ({ position: number; kind: 'lines' } & PackedBatch)
  | { position: number; kind: 'end'; passedOver: number }
  | { position: number; kind: 'failed'; error: SerializedError };

/** A source as the session names and opens it: the thread opens it so, once for the session. */
export interface SourceRef {
  uri: string;
  options: SourceOptions;
}

/** One listing of a source (see AuditSource). */
export type ListCall =
  | { method: 'listWorkspaces'; filter?: PartitionFilter }
  | { method: 'listDates'; workspaceId: string; filter?: PartitionFilter }
  | { method: 'listPartitionFiles'; workspaceId: string; date: string }
  | { method: 'listFiles'; filter?: PartitionFilter };

export type ReadProtocol = {
  read: Call<ReadRequest, null, ReadChunk>;
  /** Opens a source in the thread: the URI and kind it has there. */
  open: Call<SourceRef, { uri: string; kind: AuditSource['kind'] }>;
  /** A listing of the source; what it passes over streams before the reply. */
  list: Call<SourceRef & { call: ListCall }, string[] | AuditFile[], Skipped>;
  /** A file's bytes (or a range of them), as the source streams them. */
  readFile: Call<SourceRef & { file: AuditFile; range?: ByteRange }, null, Uint8Array>;
};

/** A batch packed to be moved, not copied: `convert` gives a line's JSONB when it is a strict JSON object. */
export function packBatch(batch: readonly LineItem[], convert?: (text: Uint8Array) => Uint8Array | undefined): { packed: PackedBatch; transfer: ArrayBuffer[] } {
  const lines = batch.map((item) => {
    if (item.kind === 'problem') return undefined;
    const text = item.bytes ?? Buffer.from(item.text, 'utf8');
    const jsonb = convert?.(text);
    return jsonb ? { bytes: jsonb, jsonb: 1 } : { bytes: text, jsonb: 0 };
  });
  let size = 0;
  for (const line of lines) size += line?.bytes.length ?? 0;
  const count = batch.length;
  const packed: PackedBatch = { bytes: new Uint8Array(size), line: new Float64Array(count), offset: new Float64Array(count), start: new Float64Array(count), length: new Float64Array(count), jsonb: new Uint8Array(count), problems: [] };
  let at = 0;
  batch.forEach((item, i) => {
    packed.line[i] = item.line;
    packed.offset[i] = item.offset;
    if (item.kind === 'problem') {
      packed.start[i] = -1 - packed.problems.length;
      packed.problems.push(item);
      return;
    }
    const line = lines[i]!;
    packed.bytes.set(line.bytes, at);
    packed.start[i] = at;
    packed.length[i] = line.bytes.length;
    packed.jsonb[i] = line.jsonb;
    at += line.bytes.length;
  });
  const { bytes, line, offset, start, length, jsonb } = packed;
  return { packed, transfer: [bytes, line, offset, start, length, jsonb].map((column) => column.buffer as ArrayBuffer) };
}

/** A packed batch's lines as the line reader gives them, each a view of the moved buffer. */
export function unpackBatch(packed: PackedBatch): LineItem[] {
  const buffer = Buffer.from(packed.bytes.buffer, packed.bytes.byteOffset, packed.bytes.byteLength);
  const items: LineItem[] = [];
  for (let i = 0; i < packed.line.length; i++) {
    const start = packed.start[i]!;
    const line = packed.line[i]!;
    const offset = packed.offset[i]!;
    if (start < 0) {
      items.push(packed.problems[-1 - start]!);
      continue;
    }
    const bytes = buffer.subarray(start, start + packed.length[i]!);
    items.push(packed.jsonb[i] === 1 ? { kind: 'line', line, offset, text: '', jsonb: bytes } : lineOfBytes(line, offset, bytes));
  }
  return items;
}
