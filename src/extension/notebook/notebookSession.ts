/**
 * The query work behind one notebook panel, without VS Code: it opens a QuerySession lazily, loads
 * the scope, runs cells with cancellation, answers the histogram, and streams exports. Requests
 * are tracked by id so the webview can cancel any of them.
 */
import { AuditLensError, cancelled } from '../../core/errors';
import { tokenize } from '../../shared/sql/lexer';
import type { ProgressUpdate } from '../../core/progress';
import type { GcsTimeouts } from '../../core/sources';
import { QuerySession, type LoadSummary } from '../../worker/query/client';
import type { CellResult, HistogramBucket, LoadSummaryView, NotebookScope, WireError } from '../../protocol/notebook';

export interface NotebookSessionOptions {
  workerPath?: string;
  wasmPath?: string;
  maxRows?: number;
  gcsEndpoint?: () => string | undefined;
  /** Network bounds for gs:// sources, read at each load. */
  gcs?: () => GcsTimeouts;
  /** Rows a cell shows at most (the rest is exported). */
  displayRows?: number;
}

export const HISTOGRAM_SQL = `SELECT date, COALESCE(serviceName, '(none)') AS serviceName, COUNT(*) AS count FROM audit_logs GROUP BY 1, 2 ORDER BY 1, 2`;

export function summaryView(summary: LoadSummary): LoadSummaryView {
  return {
    files: summary.files,
    bytes: summary.bytes,
    recordsLoaded: summary.recordsLoaded,
    linesRejected: summary.linesRejected,
    problemCount: summary.problemCount,
    durationMs: summary.durationMs,
  };
}

/** An error for the webview: code, message, detail and, for SQL errors, the offset and length of the token there. */
export function toWireError(error: unknown, sql?: string): WireError {
  const e = AuditLensError.from(error);
  const wire: WireError = { code: e.code, userMessage: e.userMessage };
  if (e.detail) wire.detail = e.detail;
  const position = (e as { position?: { offset?: unknown } }).position;
  if (sql !== undefined && position && typeof position.offset === 'number') {
    const offset = Math.max(0, Math.min(position.offset, sql.length));
    const token = tokenize(sql, { lenient: true, backslashEscapes: true }).find((t) => t.start <= offset && offset < t.end && t.kind !== 'space');
    wire.position = { offset, length: token ? token.end - offset : 1 };
  }
  return wire;
}

export class NotebookSession {
  private session: Promise<QuerySession> | undefined;
  private readonly running = new Map<number, AbortController>();
  private loadController: AbortController | undefined;
  private loaded = false;

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

  /** Loads the scope, replacing what was there; a new load cancels the one before. */
  async load(scope: NotebookScope, onProgress?: (update: ProgressUpdate) => void): Promise<LoadSummary> {
    this.loadController?.abort();
    const controller = new AbortController();
    this.loadController = controller;
    if (scope.sources.length === 0) throw new AuditLensError('usage', 'No sources in the scope: add a gs:// bucket or a folder in the scope bar, or configure auditLens.sources.');
    const session = await this.open();
    try {
      const summary = await session.load(
        {
          sources: scope.sources,
          filter: { from: scope.from, to: scope.to, workspaces: scope.workspaces },
          gcsEndpoint: this.options.gcsEndpoint?.(),
          ...(this.options.gcs ? { gcs: this.options.gcs() } : {}),
        },
        { signal: controller.signal, onProgress },
      );
      this.loaded = true;
      return summary;
    } finally {
      if (this.loadController === controller) this.loadController = undefined;
    }
  }

  private track<T>(requestId: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    this.running.set(requestId, controller);
    return work(controller.signal).finally(() => this.running.delete(requestId));
  }

  cancel(requestId: number): boolean {
    const controller = this.running.get(requestId);
    controller?.abort();
    return controller !== undefined;
  }

  private async ready(): Promise<QuerySession> {
    if (!this.loaded) throw new AuditLensError('usage', 'Nothing is loaded yet: set the scope and press Reload.');
    return this.open();
  }

  runCell(requestId: number, sql: string): Promise<CellResult> {
    return this.track(requestId, async (signal) => {
      const session = await this.ready();
      const result = await session.query(sql, { maxRows: this.options.displayRows, signal });
      if (signal.aborted) throw cancelled();
      return result;
    });
  }

  async histogram(): Promise<HistogramBucket[]> {
    const session = await this.ready();
    const result = await session.query(HISTOGRAM_SQL, { maxRows: 1_000_000 });
    return result.rows.map((r) => ({ date: String(r[0] ?? ''), serviceName: String(r[1]), count: Number(r[2]) }));
  }

  /** Streams every row of the query to `sink`; progress counts rows written so far. */
  exportRows(requestId: number, sql: string, format: 'csv' | 'json', sink: (chunk: string) => Promise<void>): Promise<{ rowCount: number }> {
    return this.track(requestId, async (signal) => {
      const session = await this.ready();
      return session.exportQuery(sql, format, sink, { signal });
    });
  }

  async dispose(): Promise<void> {
    this.loadController?.abort();
    for (const c of this.running.values()) c.abort();
    const session = this.session;
    this.session = undefined;
    if (session) await (await session.catch(() => undefined))?.dispose();
  }
}
