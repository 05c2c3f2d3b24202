/**
 * Cells on a Databricks SQL warehouse: the statement for the notebook's scope, the rows shown
 * (up to a cap, page by page, with the full count), and exports that stream every chunk.
 */
import { cancelled } from '../errors';
import type { ProgressSink } from '../progress';
import type { QueryResult } from '../sql/database';
import { formatter, type ChunkSink, type ExportFormat } from '../sql/export';
import type { CellValue } from '../sql/values';
import type { WarehouseClient } from './client';
import { warehouseStatement, type WarehouseScope } from './statement';
import { columnKind, toCellRow } from './values';

export const DEFAULT_WAREHOUSE_DISPLAY_ROWS = 10_000;

export interface WarehouseQueryOptions {
  maxRows?: number;
  signal?: AbortSignal;
  onProgress?: ProgressSink;
  /** Called after each chunk with the rows so far (capped), for a grid that fills as they come. */
  onPage?: (partial: QueryResult) => void;
  /** The instant (epoch ms) every "now" of the statement evaluates at (written in as a literal). */
  asOf?: number;
}

export class WarehouseEngine {
  constructor(
    private readonly client: WarehouseClient,
    private readonly scope: () => WarehouseScope,
  ) {}

  get host(): string {
    return this.client.host;
  }

  /** Runs the cell; keeps at most `maxRows` rows and tells how many the statement produced. */
  async query(sql: string, options: WarehouseQueryOptions = {}): Promise<QueryResult> {
    const started = performance.now();
    const maxRows = options.maxRows ?? DEFAULT_WAREHOUSE_DISPLAY_ROWS;
    const { statement, parameters } = warehouseStatement(sql, this.scope(), options.asOf);
    const result = await this.client.execute(statement, { parameters, disposition: 'INLINE', signal: options.signal, onProgress: options.onProgress });
    const columns = result.columns.map((c) => c.name);
    const columnKinds = result.columns.map(columnKind);
    const rows: CellValue[][] = [];
    let seen = 0;
    const snapshot = (): QueryResult => {
      const rowCount = Math.max(result.totalRowCount ?? seen, seen);
      return { columns, columnKinds, rows, rowCount, truncated: rows.length < rowCount, durationMs: Math.round(performance.now() - started) };
    };
    for await (const chunk of result.chunks(options.signal)) {
      for (const row of chunk) {
        if (rows.length < maxRows) rows.push(toCellRow(row, result.columns));
      }
      seen += chunk.length;
      options.onPage?.(snapshot());
      // Past the cap, the manifest's total is enough: the rest stays on the warehouse.
      if (rows.length >= maxRows && result.totalRowCount !== undefined) break;
    }
    if (options.signal?.aborted) throw cancelled();
    return snapshot();
  }

  /**
   * Streams the rows of every chunk to `sink` in an export format; with `maxRows`, writes that many
   * and takes the total from the manifest (also in `totalRows`) without fetching the rest.
   */
  async exportQuery(
    sql: string,
    format: ExportFormat,
    sink: ChunkSink,
    options: { maxRows?: number; signal?: AbortSignal; onProgress?: ProgressSink; asOf?: number } = {},
  ): Promise<{ rowCount: number; totalRows?: number }> {
    const { statement, parameters } = warehouseStatement(sql, this.scope(), options.asOf);
    const result = await this.client.execute(statement, { parameters, disposition: 'EXTERNAL_LINKS', signal: options.signal, onProgress: options.onProgress });
    const names = result.columns.map((c) => c.name);
    const out = formatter(format, names, result.columns.map(columnKind), options.asOf);
    const maxRows = options.maxRows ?? Infinity;
    let rowCount = 0;
    let seen = 0;
    await sink(out.header(names));
    for await (const chunk of result.chunks(options.signal)) {
      seen += chunk.length;
      const rows = chunk.slice(0, Math.max(0, maxRows - rowCount));
      if (rows.length > 0) await sink(out.rows(rows.map((row) => toCellRow(row, result.columns)), rowCount === 0));
      rowCount += rows.length;
      options.onProgress?.({ message: `Exported ${rowCount.toLocaleString('en-US')} rows`, done: rowCount, total: result.totalRowCount, unit: 'rows' });
      if (rowCount >= maxRows && result.totalRowCount !== undefined) break;
    }
    const totalRows = Math.max(result.totalRowCount ?? seen, seen);
    const footer = out.footer(rowCount > 0, totalRows);
    if (footer) await sink(footer);
    return options.maxRows === undefined ? { rowCount } : { rowCount, totalRows };
  }
}
