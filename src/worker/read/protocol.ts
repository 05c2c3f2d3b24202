/**
 * The read thread's one call: a load's line feed, read off the session's thread. Lines cross in
 * packed batches (one byte buffer and a table, moved, not copied); each file ends with its count
 * of lines passed over, or with the error that lost it. Both sides import this file.
 */
import type { SerializedError } from '../../core/errors';
import type { LineProblem } from '../../core/jsonl';
import type { LineIndex } from '../../core/scan/line-index';
import type { AuditFile } from '../../core/sources';
import type { FeedPlan } from '../../core/sql/line-feed';
import type { LinePrefilter } from '../../core/sql/pushdown';
import type { Call } from '../channel/messages';

export interface ReadRequest {
  /** The plan's files, each with the URI of the source that listed it (the thread opens it again). */
  files: { sourceUri: string; file: AuditFile }[];
  sourceOptions: FeedPlan['sourceOptions'];
  prefilter?: LinePrefilter;
  /** Line indexes by file position. */
  indexes?: [number, LineIndex][];
  maxLineBytes?: number;
  concurrency?: number;
  /**
   * Convert the lines of loads whose reading leaves this thread time to spare (no prefilter, or a
   * file read by its line index) to JSONB, with sql.js from this wasm file (or its default place).
   */
  jsonb?: { wasmPath?: string };
}

/**
 * Numbers per line in a batch's table: line number, byte offset in the file, start in `bytes` (or
 * -1 - problem index), length, and what the bytes are (LINE_TEXT or LINE_JSONB).
 */
export const TABLE_STRIDE = 5;
export const LINE_TEXT = 0;
export const LINE_JSONB = 1;

export type ReadChunk =
  | { position: number; kind: 'lines'; bytes: Uint8Array; table: Float64Array; problems: LineProblem[] }
  | { position: number; kind: 'end'; passedOver: number }
  | { position: number; kind: 'failed'; error: SerializedError };

export type ReadProtocol = {
  read: Call<ReadRequest, null, ReadChunk>;
};
