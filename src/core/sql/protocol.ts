/** Messages between a QuerySession (main thread) and its worker. Both sides import this file. */
import type { ProgressUpdate } from '../progress';
import type { SerializedSqlError } from './dialect';
import type { QueryResult } from './database';
import type { ExportFormat } from './export';
import type { LoadRequest, LoadSummary } from './loader';

export interface InitRequest {
  type: 'init';
  wasmPath?: string;
  /** Where the worker keeps its snapshot; restored on start when the file exists. */
  snapshotPath: string;
  maxRows: number;
  maxBytes?: number;
}

export interface LoadMessage {
  type: 'load';
  request: LoadRequest;
}

export interface QueryMessage {
  type: 'query';
  sql: string;
  maxRows: number;
}

export interface ExportMessage {
  type: 'export';
  sql: string;
  format: ExportFormat;
  chunkRows?: number;
}

/** Requests that get exactly one `result` or `error` reply, with the value type of each. */
export interface RequestResults {
  init: { loadedRows: number };
  load: LoadSummary;
  query: QueryResult;
  export: { rowCount: number };
}

export type RequestBody = InitRequest | LoadMessage | QueryMessage | ExportMessage;
export type RequestType = RequestBody['type'];

export type ToWorker =
  | (RequestBody & { id: number })
  /** The sink took chunk `id`'s last chunk: the worker may send the next. */
  | { type: 'ack'; id: number }
  /** Stop request `id` at the next safe point (loads and exports). */
  | { type: 'cancel'; id: number };

export type FromWorker =
  /** `snapshotSaved`: the snapshot now holds everything, earlier loads included. */
  | { type: 'result'; id: number; value: RequestResults[RequestType]; loadedRows: number; snapshotSaved?: boolean }
  | { type: 'error'; id: number; error: SerializedSqlError }
  | { type: 'progress'; id: number; update: ProgressUpdate }
  | { type: 'chunk'; id: number; chunk: string };
