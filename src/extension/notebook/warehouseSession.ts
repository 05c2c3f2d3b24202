/**
 * The query work behind a notebook on the Databricks engine: cells run on the SQL warehouse over
 * the notebook's scope, each page of rows is handed on as it arrives, exports stream every chunk,
 * and cancelling a request cancels its statement on the warehouse.
 */
import { cancelled } from '../../core/errors';
import { WarehouseEngine, type WarehouseClient, type WarehouseScope } from '../../core/databricks';
import type { CellResult, NotebookScope } from '../../protocol/notebook';
import { AS_OF_NOW, type AsOfChoice } from '../../shared/asOf';
import { runInstant } from '../../worker/session/asOf';
import type { SliceHooks } from '../../worker/session/notebookSession';
import { RunningRequests } from '../../worker/session/runningRequests';
import type { LexedSql } from '../../shared/sql/lexer';

export interface WarehouseSessionOptions {
  client: () => Promise<WarehouseClient>;
  scope: () => NotebookScope;
  auditTable: () => string | undefined;
  displayRows?: number;
}

export class WarehouseSession {
  private readonly requests = new RunningRequests();

  constructor(private readonly options: WarehouseSessionOptions) {}

  private async engine(): Promise<WarehouseEngine> {
    const client = await this.options.client();
    return new WarehouseEngine(client, (): WarehouseScope => ({ ...this.options.scope(), auditTable: this.options.auditTable() }));
  }

  /** Where the cells run, for the scope bar. */
  async describe(): Promise<string> {
    return (await this.options.client()).host;
  }

  cancel(requestId: number): boolean {
    return this.requests.cancel(requestId);
  }

  /** Runs a cell with every "now" at the instant `asOf` resolves to (the end of scope needs the scope's To date here). */
  runCell(requestId: number, sql: string | LexedSql, onPage?: (partial: CellResult) => void, asOf: AsOfChoice = AS_OF_NOW): Promise<CellResult> {
    return this.requests.track(requestId, async (signal) => {
      const at = runInstant(asOf, this.options.scope(), []);
      const engine = await this.engine();
      const result = await engine.query(sourceOf(sql), { maxRows: this.options.displayRows, signal, onPage, asOf: at });
      if (signal.aborted) throw cancelled();
      return { ...result, asOf: at };
    });
  }

  /** `_slices` keeps NotebookSession's signature: the warehouse loads nothing here. */
  exportRows(requestId: number, sql: string | LexedSql, format: 'csv' | 'json', sink: (chunk: string) => Promise<void>, _slices: SliceHooks = {}, asOf: AsOfChoice = AS_OF_NOW): Promise<{ rowCount: number; asOf: number }> {
    return this.requests.track(requestId, async (signal) => {
      const at = runInstant(asOf, this.options.scope(), []);
      return { ...(await (await this.engine()).exportQuery(sourceOf(sql), format, sink, { signal, asOf: at })), asOf: at };
    });
  }

  async dispose(): Promise<void> {
    this.requests.cancelAll();
  }
}

/** The warehouse reads the text: it runs Spark SQL as written. */
function sourceOf(sql: string | LexedSql): string {
  return typeof sql === 'string' ? sql : sql.source;
}
