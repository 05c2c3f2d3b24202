/** The query session's calls on its worker channel. Both sides import this file. */
import type { QueryResult } from '../../core/sql/database';
import type { ExportFormat } from '../../core/sql/export';
import type { LoadRequest, LoadSummary } from '../../core/sql/loader';
import type { Call } from '../channel/messages';
import type { Identity, Timeline } from '../../shared/timeline';
import type { LexedSql } from '../../shared/sql/lexer';
import type { RowsForm } from '../../shared/sql/result';

export interface InitRequest {
  wasmPath?: string;
  /** Where the worker keeps its snapshot; restored on start when the file exists. */
  snapshotPath: string;
  maxRows: number;
  maxBytes?: number;
  /** Whether loads read in a thread of their own; without it they list and read on the session's thread. */
  readThread: boolean;
}

/** A query as its text, or as the host lexed it already (then the thread does not lex it again). */
export type QuerySql = string | LexedSql;

export interface QueryRequest {
  sql: QuerySql;
  maxRows: number;
  /** The instant (epoch ms) every "now" of each statement evaluates at; the wall clock when absent. */
  asOf?: number;
  /** How the rows come back (values when absent). */
  rowsAs?: RowsForm;
}

export interface ExportRequest {
  sql: QuerySql;
  format: ExportFormat;
  chunkRows?: number;
  /** Rows written at most; the reply's `totalRows` counts them all. */
  maxRows?: number;
  /** As in QueryRequest; a JSON document then names it in `"asOf"`. */
  asOf?: number;
}

/** One identity's timeline: its statements run and their rows assembled in the thread, not the caller's. */
export interface TimelineRequestBody {
  identity: Identity;
  statements: string[];
}

/** Every reply carries the rows in `audit_logs` after the request. */
export interface Replied<T> {
  value: T;
  loadedRows: number;
  /** The snapshot now holds everything, earlier loads included. */
  snapshotSaved?: boolean;
}

export type QueryProtocol = {
  init: Call<InitRequest, Replied<null>>;
  load: Call<LoadRequest, Replied<LoadSummary>>;
  query: Call<QueryRequest, Replied<QueryResult>>;
  timeline: Call<TimelineRequestBody, Replied<Timeline>>;
  /** Streams the export's text in chunks, each sent when the caller took the last. */
  export: Call<ExportRequest, Replied<{ rowCount: number; totalRows?: number }>, string>;
};
