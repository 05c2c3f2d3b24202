/**
 * The query work behind one notebook, without VS Code: it opens a QuerySession lazily, holds
 * the slices of the scope its cells asked for (or the whole scope, on Reload), runs cells with
 * cancellation, answers the histogram, and streams exports. Requests are tracked by id so the
 * webview can cancel any of them.
 */
import { AuditLensError, cancelled } from '../../core/errors';
import type { ProgressUpdate } from '../../core/progress';
import type { GcsTimeouts } from '../../core/sources';
import type { RecordCacheSettings } from '../../core/sql/loader';
import { QuerySession, type LoadSummary, type QueryResult } from '../query/client';
import { afterLoading, NOTHING_LOADED, sliceLabels, sliceNeed, type LoadedSlices, type SliceLoad } from '../../core/sql/slices';
import type { NotebookScope } from '../../shared/notebook/format';
import type { AsOfChoice } from '../../shared/asOf';
import { lexedOf, type LexedSql } from '../../shared/sql/lexer';
import { parseSql, type ParsedSql } from '../../core/sql/query';
import { runInstant } from './asOf';
import { loadRequest, scopeSelection } from './loadRequest';
import { RunningRequests } from './runningRequests';

export interface NotebookSessionOptions {
  workerPath?: string;
  wasmPath?: string;
  maxRows?: number;
  gcsEndpoint?: () => string | undefined;
  /** Network bounds for gs:// sources, read at each load. */
  gcs?: () => GcsTimeouts;
  /** Rows a cell shows at most (the rest is exported). */
  displayRows?: number;
  /** The tree's scan cache: its line indexes let a slice read only its lines. */
  scanCacheDirectory?: string;
  /** The record cache, read at each load: a reopened notebook's first cell reads only files new or changed since. */
  recordCache?: () => RecordCacheSettings | undefined;
}

/** A cell's rows, and the instant its every "now" answered at. */
export type CellRows = QueryResult & { asOf: number };

/** Events per day and service: the scope bar's histogram. */
export interface HistogramCount {
  date: string;
  serviceName: string;
  count: number;
}

export const HISTOGRAM_SQL = `SELECT date, COALESCE(serviceName, '(none)') AS serviceName, COUNT(*) AS count FROM audit_logs GROUP BY 1, 2 ORDER BY 1, 2`;

/** How a cell reports the slice it loads before it runs. */
export interface SliceHooks {
  onProgress?: (update: ProgressUpdate) => void;
  onLoaded?: (summary: LoadSummary) => void;
}

export class NotebookSession {
  private session: Promise<QuerySession> | undefined;
  private readonly requests = new RunningRequests();
  private loadController: AbortController | undefined;
  private loaded = false;
  private scope: NotebookScope | undefined;
  /** What the table holds of the scope; undefined until something of this scope is loaded. */
  private slices: LoadedSlices | undefined;
  /** Records in the scope, once a load could count them from the scan cache. */
  private recordsInScope: number | undefined;
  /** The files the table holds records of: where the end of scope is when the scope has no To date. */
  private loadedFiles = new Set<string>();
  /** With the scope's `dedupe`: copies dropped by every load the table holds. */
  private duplicatesDropped = 0;

  constructor(private readonly options: NotebookSessionOptions = {}) {}

  private open(): Promise<QuerySession> {
    this.session ??= QuerySession.open({ workerPath: this.options.workerPath, wasmPath: this.options.wasmPath, maxRows: this.options.maxRows });
    this.session.catch(() => (this.session = undefined));
    return this.session;
  }

  get isLoaded(): boolean {
    return this.loaded;
  }

  async loadedRows(): Promise<number> {
    return this.session ? (await this.session).loadedRows : 0;
  }

  /** Loads the whole scope, replacing what was there; a new load cancels the one before. */
  async load(scope: NotebookScope, onProgress?: (update: ProgressUpdate) => void): Promise<LoadSummary> {
    const summary = await this.loadScope(scope, {}, onProgress);
    this.slices = { kind: 'all' };
    return summary;
  }

  /**
   * Takes a new scope without loading it: each cell then loads the slices it needs (the records
   * of the services it names, or only of the actions it names exactly) before it runs.
   */
  setScope(scope: NotebookScope): void {
    if (scope.sources.length === 0) throw noSources();
    this.loadController?.abort();
    this.scope = scope;
    this.slices = undefined;
    this.recordsInScope = undefined;
    this.loadedFiles = new Set();
    this.duplicatesDropped = 0;
    this.loaded = true;
  }

  /** The slices the table holds, as the scope bar names them (`clusters (create)`), or undefined when it holds the whole scope. */
  get loadedServices(): readonly string[] | undefined {
    return sliceLabels(this.slices ?? NOTHING_LOADED);
  }

  private async loadScope(scope: NotebookScope, slice: { slices?: SliceLoad[]; append?: boolean }, onProgress?: (update: ProgressUpdate) => void): Promise<LoadSummary> {
    this.loadController?.abort();
    const controller = new AbortController();
    this.loadController = controller;
    if (scope.sources.length === 0) throw noSources();
    const session = await this.open();
    try {
      const summary = await session.load(
        {
          ...loadRequest(scopeSelection(scope), { gcsEndpoint: this.options.gcsEndpoint?.(), gcs: this.options.gcs?.(), scanCacheDirectory: this.options.scanCacheDirectory, recordCache: this.options.recordCache?.() }),
          ...slice,
        },
        { signal: controller.signal, onProgress },
      );
      this.scope = scope;
      this.loaded = true;
      this.loadedFiles = new Set([...(slice.append ? this.loadedFiles : []), ...summary.loadedFiles]);
      this.recordsInScope = summary.recordsInScope ?? this.recordsInScope;
      this.duplicatesDropped = (slice.append ? this.duplicatesDropped : 0) + (summary.duplicatesDropped ?? 0);
      return {
        ...summary,
        ...(this.recordsInScope === undefined ? {} : { recordsInScope: this.recordsInScope }),
        // A table of slices holds the copies every slice's load dropped.
        ...(scope.dedupe ? { duplicatesDropped: this.duplicatesDropped } : {}),
      };
    } finally {
      if (this.loadController === controller) this.loadController = undefined;
    }
  }

  /**
   * Loads what `sql` needs that the table does not hold yet: the services (or actions) it names, or the rest
   * of the scope when it names none. Resolves to the load's summary, or undefined when nothing
   * was missing.
   */
  async ensureLoaded(sql: string | ParsedSql, onProgress?: (update: ProgressUpdate) => void): Promise<LoadSummary | undefined> {
    if (!this.scope) return undefined;
    const held = this.slices ?? NOTHING_LOADED;
    const need = sliceNeed(held, sql);
    if (need.kind === 'covered' && this.slices !== undefined) return undefined;
    const summary =
      need.kind === 'all'
        ? await this.loadScope(this.scope, {}, onProgress)
        : await this.loadScope(this.scope, { slices: need.kind === 'slices' ? need.slices : [], append: this.slices !== undefined }, onProgress);
    this.slices = afterLoading(held, need);
    return summary;
  }

  cancel(requestId: number): boolean {
    return this.requests.cancel(requestId);
  }

  private async ready(): Promise<QuerySession> {
    if (!this.loaded) throw new AuditLensError('usage', 'Nothing is loaded yet: set the scope and press Reload.');
    return this.open();
  }

  /**
   * Runs a cell, first loading what it needs that the table does not hold (reported through `slices`),
   * with every "now" at the instant `asOf` resolves to once the load is done; the result names it.
   */
  runCell(requestId: number, sql: string | LexedSql, slices: SliceHooks = {}, asOf: AsOfChoice = { kind: 'now' }): Promise<CellRows> {
    return this.requests.track(requestId, async (signal) => {
      const session = await this.ready();
      const query = parseSql(sql);
      const stopLoad = () => this.loadController?.abort();
      signal.addEventListener('abort', stopLoad, { once: true });
      try {
        const summary = await this.ensureLoaded(query, slices.onProgress);
        if (summary) slices.onLoaded?.(summary);
      } finally {
        signal.removeEventListener('abort', stopLoad);
      }
      if (signal.aborted) throw cancelled();
      const at = runInstant(asOf, this.scope, this.loadedFiles);
      const result = await session.query(lexedOf(query), { maxRows: this.options.displayRows, signal, asOf: at });
      if (signal.aborted) throw cancelled();
      return { ...result, asOf: at };
    });
  }

  async histogram(): Promise<HistogramCount[]> {
    const session = await this.ready();
    const result = await session.query(HISTOGRAM_SQL, { maxRows: 1_000_000 });
    return result.rows.map((r) => ({ date: String(r[0] ?? ''), serviceName: String(r[1]), count: Number(r[2]) }));
  }

  /** Streams every row of the query to `sink` (loading what it needs first); progress counts rows written so far. */
  exportRows(requestId: number, sql: string | LexedSql, format: 'csv' | 'json', sink: (chunk: string) => Promise<void>, slices: SliceHooks = {}, asOf: AsOfChoice = { kind: 'now' }): Promise<{ rowCount: number; asOf: number }> {
    return this.requests.track(requestId, async (signal) => {
      const session = await this.ready();
      const query = parseSql(sql);
      const summary = await this.ensureLoaded(query, slices.onProgress);
      if (summary) slices.onLoaded?.(summary);
      if (signal.aborted) throw cancelled();
      const at = runInstant(asOf, this.scope, this.loadedFiles);
      return { ...(await session.exportQuery(lexedOf(query), format, sink, { signal, asOf: at })), asOf: at };
    });
  }

  async dispose(): Promise<void> {
    this.loadController?.abort();
    this.requests.cancelAll();
    const session = this.session;
    this.session = undefined;
    if (session) await (await session.catch(() => undefined))?.dispose();
  }
}

function noSources(): AuditLensError {
  return new AuditLensError('usage', 'No sources in the scope: add a gs:// bucket or a folder in the scope bar, or configure auditLens.sources.');
}
