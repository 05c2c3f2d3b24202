/** A query's answer, as the engine gives it and the webview shows it (one shape for both). */

/** How a query hands back its rows: as values (`rows`), or as the JSON text of that array (`rowsJson`), rendered where they were read. */
export type RowsForm = 'values' | 'json';

/** How a result column shows: JSON text (objects, arrays) or a plain value. */
export type ColumnKind = 'json' | 'value';

/** A result cell: integers beyond 2^53 come back as their decimal text so no digit is lost. */
export type CellValue = number | string | Uint8Array | null;

export interface QueryResult {
  columns: string[];
  columnKinds: ColumnKind[];
  /** The rows kept (the first ones up to the cap); empty when the query asked for `rowsJson`. */
  rows: CellValue[][];
  /**
   * With rows asked for as JSON: the JSON array those rows would be, each value as toJsonText
   * writes it, rendered in the thread that read them. One string then crosses between threads
   * instead of a value per cell, and the rendering runs beside other queries, not after the last.
   */
  rowsJson?: string;
  /** Rows the statement produced in total, also past the cap. */
  rowCount: number;
  truncated: boolean;
  durationMs: number;
}
