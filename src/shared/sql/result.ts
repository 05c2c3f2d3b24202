/** A query's answer, as the engine gives it and the webview shows it (one shape for both). */

/** How a result column shows: JSON text (objects, arrays) or a plain value. */
export type ColumnKind = 'json' | 'value';

/** A result cell: integers beyond 2^53 come back as their decimal text so no digit is lost. */
export type CellValue = number | string | Uint8Array | null;

export interface QueryResult {
  columns: string[];
  columnKinds: ColumnKind[];
  rows: CellValue[][];
  /** Rows the statement produced in total, also past the cap. */
  rowCount: number;
  truncated: boolean;
  durationMs: number;
}
