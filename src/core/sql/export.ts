/**
 * Streams every row of a query as CSV, a JSON array, JSON Lines or one JSON document
 * `{"columns":[...],"rows":[[...]],"rowCount":N}`, in chunks: the next chunk is produced only
 * after the sink has taken the previous one (backpressure across the worker).
 */
import { stringify } from 'csv-stringify/sync';
import { throwIfCancelled } from '../errors';
import type { ProgressSink } from '../progress';
import type { ClockOptions } from './clock';
import type { AuditDatabase } from './database';
import type { ParsedQuery } from './query';
import { isJsonColumnName, toJsonText, toText, type ColumnKind, type RawValue } from './values';

export type ExportFormat = 'csv' | 'json' | 'jsonl' | 'json-document';

export interface ExportOptions extends ClockOptions {
  /** Rows per chunk. */
  chunkRows?: number;
  /** Rows written at most; rows past it are counted (in `totalRows`), not written. */
  maxRows?: number;
  signal?: AbortSignal;
  onProgress?: ProgressSink;
}

export type ChunkSink = (chunk: string) => Promise<void>;

export interface Formatter {
  header(columns: string[]): string;
  rows(rows: RawValue[][], first: boolean): string;
  footer(wroteRows: boolean, totalRows: number): string;
}

function objectText(columns: string[], kinds: readonly ColumnKind[], row: RawValue[]): string {
  return '{' + columns.map((name, i) => `${JSON.stringify(name)}:${toJsonText(row[i] ?? null, kinds[i]!)}`).join(',') + '}';
}

/**
 * Writes rows in an export format; `kinds` says which columns hold JSON (by name when not given).
 * With `asOf` (the instant the statement's "now" answered at) the JSON document carries it as `"asOf"`.
 */
export function formatter(
  format: ExportFormat,
  columns: string[],
  kinds: readonly ColumnKind[] = columns.map((name): ColumnKind => (isJsonColumnName(name) ? 'json' : 'value')),
  asOf?: number,
): Formatter {
  switch (format) {
    case 'csv':
      return {
        header: (cols) => stringify([cols]),
        rows: (rows) => stringify(rows.map((row) => row.map(toText))),
        footer: () => '',
      };
    case 'json':
      return {
        header: () => '[',
        rows: (rows, first) => (first ? '\n' : ',\n') + rows.map((row) => objectText(columns, kinds, row)).join(',\n'),
        footer: (wroteRows) => (wroteRows ? '\n]\n' : ']\n'),
      };
    case 'jsonl':
      return {
        header: () => '',
        rows: (rows) => rows.map((row) => objectText(columns, kinds, row) + '\n').join(''),
        footer: () => '',
      };
    case 'json-document':
      return {
        header: (cols) => `{"columns":${JSON.stringify(cols)},"rows":[`,
        rows: (rows, first) => (first ? '' : ',') + rows.map((row) => '[' + row.map((value, i) => toJsonText(value, kinds[i]!)).join(',') + ']').join(','),
        footer: (_wroteRows, totalRows) => `],"rowCount":${totalRows}${asOf === undefined ? '' : `,"asOf":${JSON.stringify(new Date(asOf).toISOString())}`}}\n`,
      };
  }
}

/**
 * Runs the query and writes its rows to `sink`; returns how many rows were written, and with
 * `maxRows` also how many the query produced in total.
 */
export async function exportQuery(
  database: AuditDatabase,
  sql: string | ParsedQuery,
  format: ExportFormat,
  sink: ChunkSink,
  options: ExportOptions = {},
): Promise<{ rowCount: number; totalRows?: number }> {
  const chunkRows = options.chunkRows ?? 2000;
  const maxRows = options.maxRows ?? Infinity;
  const prepared = database.prepareForExport(sql, options);
  const { statement } = prepared;
  try {
    const { columns } = prepared;
    // Columns a `SELECT *` takes from a subquery's or CTE's arrays, maps and structs print as JSON too.
    const kinds = columns.map((name): ColumnKind => (isJsonColumnName(name) || prepared.translation.jsonNames.has(name.toLowerCase()) ? 'json' : 'value'));
    const out = formatter(format, columns, kinds, options.asOf);
    let pending = out.header(columns);
    let rowCount = 0;
    let totalRows = 0;
    let done = false;
    while (!done) {
      throwIfCancelled(options.signal);
      const rows: RawValue[][] = [];
      database.guard(prepared.translation, prepared, () => {
        while (rows.length < chunkRows) {
          if (!statement.step()) {
            done = true;
            break;
          }
          totalRows++;
          if (rowCount + rows.length < maxRows) rows.push(prepared.read());
        }
      });
      if (rows.length > 0) pending += out.rows(rows, rowCount === 0);
      rowCount += rows.length;
      if (done) pending += out.footer(rowCount > 0, totalRows);
      if (pending.length > 0) await sink(pending);
      pending = '';
      options.onProgress?.({ message: `Exported ${rowCount.toLocaleString('en-US')} rows`, done: rowCount, unit: 'rows' });
    }
    return options.maxRows === undefined ? { rowCount } : { rowCount, totalRows };
  } finally {
    statement.free();
  }
}
