/**
 * The wire shapes of Databricks' SQL Statement Execution API 2.0, as documented
 * (`POST /api/2.0/sql/statements`, `GET …/{statement_id}`, `GET …/result/chunks/{chunk_index}`,
 * `POST …/cancel`). Only the fields this project reads or writes are listed.
 */

export type StatementState = 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELED' | 'CLOSED';
export const FINAL_STATES: ReadonlySet<StatementState> = new Set(['SUCCEEDED', 'FAILED', 'CANCELED', 'CLOSED']);
export const KNOWN_STATES: ReadonlySet<string> = new Set<StatementState>(['PENDING', 'RUNNING', ...FINAL_STATES]);

export type Disposition = 'INLINE' | 'EXTERNAL_LINKS';

/** A named parameter: `:name` in the statement; `value` travels as text, `type` says how to read it. */
export interface StatementParameter {
  name: string;
  value: string | null;
  type?: 'STRING' | 'DATE' | 'TIMESTAMP' | 'INT' | 'BIGINT' | 'BOOLEAN' | 'DOUBLE' | 'DECIMAL';
}

export interface ExecuteStatementRequest {
  statement: string;
  warehouse_id: string;
  /** `"0s"` or `"5s"`…`"50s"`. */
  wait_timeout: string;
  on_wait_timeout: 'CONTINUE' | 'CANCEL';
  format: 'JSON_ARRAY';
  disposition: Disposition;
  parameters?: StatementParameter[];
  row_limit?: number;
}

export interface ServiceError {
  error_code?: string;
  message?: string;
}

export interface StatementStatus {
  state: StatementState;
  error?: ServiceError;
  sql_state?: string;
}

export interface ColumnInfo {
  name: string;
  position: number;
  type_name: string;
  type_text?: string;
}

export interface ResultManifest {
  format: 'JSON_ARRAY';
  schema: { column_count: number; columns: ColumnInfo[] };
  total_chunk_count?: number;
  total_row_count?: number;
  truncated?: boolean;
  chunks?: { chunk_index: number; row_offset: number; row_count: number }[];
}

export interface ExternalLink {
  chunk_index: number;
  row_offset: number;
  row_count: number;
  external_link: string;
  /** ISO 8601 time after which the link no longer works. */
  expiration: string;
  http_headers?: Record<string, string>;
  next_chunk_index?: number;
  next_chunk_internal_link?: string;
}

export interface ResultData {
  chunk_index?: number;
  row_offset?: number;
  row_count?: number;
  /** Every value is a string or null, whatever the column's type. */
  data_array?: (string | null)[][];
  external_links?: ExternalLink[];
  next_chunk_index?: number;
  next_chunk_internal_link?: string;
}

export interface StatementResponse {
  statement_id: string;
  status: StatementStatus;
  manifest?: ResultManifest;
  result?: ResultData;
}

export const STATEMENTS_PATH = '/api/2.0/sql/statements';
