/**
 * The notebook's logic, without VS Code: it validates every message from the webview and acts only
 * on known ones, runs cells and exports on the local session or the warehouse, asks consent before
 * an untrusted notebook's sources load, switches engines, offers the warehouse when a load is past
 * the budget, and keeps the files a raw line may be opened from. NotebookPanel supplies the ports.
 */
import { AuditLensError } from '../../core/errors';
import { throttledProgress, type ProgressSink } from '../../core/progress';
import { sortedQuery } from '../../core/sql/sortedQuery';
import type { LoadSummary } from '../../core/sql/loader';
import {
  parseWebviewMessage,
  type CellResult,
  type CompletionCatalog,
  type EngineView,
  type ExportOutcome,
  type HostMessage,
  type HostNotifications,
  type HostReply,
  type LibraryEntry,
  type NotebookDocument,
  type ScopeStatus,
  type WebviewMessage,
  type WebviewNotifications,
  type WebviewRequest,
  type WebviewRequestMethod,
  type WebviewRequests,
  type WireError,
} from '../../protocol/notebook';
import type { Identity } from '../../shared/timeline';
import { lexSpark, type LexedSql } from '../../shared/sql/lexer';
import type { AsOfChoice } from '../../shared/asOf';
import { runChoice } from '../../worker/session/asOf';
import type { NotebookSession, SliceHooks } from '../../worker/session/notebookSession';
import { dispatchNotification, MessageGate, type Notification, type NotificationHandlers } from '../webview/messages';
import { toWireError } from '../webview/wireError';
import type { ExportRequest } from './exportFile';
import { safeFileName } from './exportName';
import { summaryView } from './summaryView';
import type { WarehouseSession } from './warehouseSession';

/** The local engine: the query session behind the notebook. */
export type LocalEngine = Pick<NotebookSession, 'setScope' | 'load' | 'runCell' | 'histogram' | 'cancel' | 'loadedRows' | 'loadedServices' | 'exportRows'>;
/** The Databricks engine: the SQL warehouse. */
export type RemoteEngine = Pick<WarehouseSession, 'describe' | 'runCell' | 'cancel' | 'exportRows'>;
/** What an export streams from. */
export type ExportEngine = Pick<NotebookSession, 'exportRows' | 'cancel'>;

/** The files a raw line may be opened from, and where a refusal is recorded. */
export interface RawLineGuard {
  name: 'notebook';
  readFiles: ReadonlySet<string>;
  rejected: string[];
}

export interface NotebookLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** What the controller reaches outside itself; the panel supplies VS Code's, tests their own. */
export interface NotebookPorts {
  post(message: HostMessage): void;
  log: NotebookLog;
  local: LocalEngine;
  warehouse: RemoteEngine;
  /** In an untrusted workspace, asks before these sources load; true means they may. */
  mayLoad(sources: readonly string[]): Promise<boolean>;
  warehouseConfigured(): boolean;
  /** The scope bar's line while cells run on the warehouse at `host`. */
  warehouseStatus(host: string, doc: NotebookDocument): string;
  /** After a load past the row budget: asks whether to run on the warehouse instead. */
  offerWarehouse(message: string): Promise<boolean>;
  /** Opens a raw line, only from a file the guard holds. */
  openRawLine(guard: RawLineGuard, file: string, line: number): Promise<void>;
  showTimeline(argument: { identity: Identity; scope: NotebookDocument['scope']; asOf?: AsOfChoice }): Promise<void>;
  copyText(text: string, what: string): Promise<void>;
  command(name: WebviewNotifications['command']['name']): void;
  /** Streams an export into a file the user picks. */
  exportToFile(engine: ExportEngine, request: ExportRequest): Promise<ExportOutcome>;
  /** What the page starts with besides the document. */
  pageData(): { catalog: CompletionCatalog; library: LibraryEntry[] };
  /** Told when the scope status or the rows loaded changed (the status bar). */
  onStatus(): void;
  /** Told when the document's scope or title may have changed (the panel's title). */
  onDocument(): void;
}

/** The protocol's answers, each also given the request's SQL lexed once (when it carries SQL). */
type Answers = { [M in WebviewRequestMethod]: (params: WebviewRequests[M]['params'], requestId: number, lexed: LexedSql | undefined) => Promise<WebviewRequests[M]['result']> };

/** How a cell's last run ended, as its reply told the webview. */
export type CellOutcome = { ok: true; rowCount: number; columns: string[] } | { ok: false; error: WireError };

export class NotebookController {
  private status: ScopeStatus = { state: 'idle' };
  /**
   * The files the host itself listed and loaded: the only ones a raw line may be opened from.
   * Nothing the webview sends (scope, document, rows) widens it.
   */
  private openableFiles: ReadonlySet<string> = new Set();
  private rows = 0;
  private readonly gate: MessageGate<WebviewMessage>;
  /** The outcome of each cell's latest run, by cell id (kept for tests and the log). */
  readonly cellOutcomes = new Map<string, CellOutcome>();

  constructor(
    private doc: NotebookDocument,
    private readonly ports: NotebookPorts,
  ) {
    this.gate = new MessageGate('notebook', parseWebviewMessage, ports.log);
  }

  get document(): NotebookDocument {
    return this.doc;
  }

  get loadedRows(): number {
    return this.rows;
  }

  get scopeStatus(): ScopeStatus {
    return this.status;
  }

  /** Every message rejected by validation, and every refused raw line (kept for tests and the log). */
  get rejected(): string[] {
    return this.gate.rejected;
  }

  get engineView(): EngineView {
    return { engine: this.doc.engine ?? 'local', databricksConfigured: this.ports.warehouseConfigured() };
  }

  notify<M extends keyof HostNotifications>(method: M, params: HostNotifications[M]): void {
    this.ports.post({ kind: 'notify', method, params } as Notification<HostNotifications>);
  }

  /** Replaces the document (a notebook file was opened) and takes its scope. */
  setDocument(doc: NotebookDocument): void {
    this.doc = doc;
    this.ports.onDocument();
    this.notify('loadDocument', { document: doc });
    void this.openScope();
  }

  /** Runs the cells on another engine from now on; the cells stay. */
  async setEngine(engine: EngineView['engine']): Promise<void> {
    const { engine: _previous, ...rest } = this.doc;
    this.doc = engine === 'databricks' ? { ...rest, engine } : rest;
    this.ports.log.info(`notebook: engine is now ${engine}`);
    this.notify('engine', this.engineView);
    await this.reload();
  }

  private setStatus(status: ScopeStatus): void {
    this.status = status;
    this.notify('scopeStatus', status);
    this.ports.onStatus();
  }

  /** In an untrusted workspace, asks before the sources this document names are read; says so when declined. */
  private async consentToLoad(): Promise<boolean> {
    if (await this.ports.mayLoad(this.doc.scope.sources)) return true;
    const error = new AuditLensError('cancelled', 'Not loaded: this workspace is not trusted, and loading the sources this notebook names was declined. Press Reload to be asked again.');
    this.ports.log.info(`notebook: declined to load ${this.doc.scope.sources.join(', ')} in an untrusted workspace`);
    this.setStatus({ state: 'error', error: toWireError(error) });
    return false;
  }

  /** Takes the document's scope without loading it: each cell loads the slices it needs. */
  async openScope(): Promise<void> {
    if (!(await this.consentToLoad())) return;
    try {
      this.ports.local.setScope(this.doc.scope);
      this.rows = 0;
      this.openableFiles = new Set();
      this.setStatus({ state: 'ready', summary: { files: 0, bytes: 0, recordsLoaded: 0, linesRejected: 0, problemCount: 0, durationMs: 0, services: [] } });
    } catch (error) {
      this.setStatus({ state: 'error', error: toWireError(error) });
    }
  }

  /** Load progress shown in the scope bar, a few times a second. */
  private loadingStatus(): ProgressSink {
    return throttledProgress((update) => this.setStatus({ state: 'loading', message: update.message, done: update.done, total: update.total }));
  }

  /** What a cell reports while it loads its slice, and once it has. */
  private sliceHooks(): SliceHooks {
    return {
      onProgress: this.loadingStatus(),
      onLoaded: (summary: LoadSummary) => {
        this.openableFiles = new Set([...this.openableFiles, ...summary.loadedFiles]);
        void this.ports.local.loadedRows().then((rows) => {
          this.rows = rows;
          const services = this.ports.local.loadedServices;
          this.ports.log.info(`notebook: loaded ${services ? services.join(', ') : 'the whole scope'}: ${rows} records in all, in ${Math.round(summary.durationMs)} ms`);
          this.setStatus({ state: 'ready', summary: summaryView(summary, services && { services, loadedRows: rows }) });
        });
      },
    };
  }

  /** Loads the document's whole scope into the session (on a warehouse: checks the connection). */
  async reload(): Promise<void> {
    if (!(await this.consentToLoad())) return;
    if (this.doc.engine === 'databricks') {
      try {
        this.setStatus({ state: 'remote', message: this.ports.warehouseStatus(await this.ports.warehouse.describe(), this.doc) });
      } catch (error) {
        this.setStatus({ state: 'error', error: toWireError(error) });
      }
      return;
    }
    this.setStatus({ state: 'loading', message: 'Loading audit logs…' });
    try {
      const summary = await this.ports.local.load(this.doc.scope, this.loadingStatus());
      this.rows = summary.recordsLoaded;
      this.openableFiles = new Set(summary.loadedFiles);
      const dropped = summary.duplicatesDropped === undefined ? '' : `, ${summary.duplicatesDropped} duplicate events dropped`;
      this.ports.log.info(`notebook: loaded ${summary.recordsLoaded} records from ${summary.files} files in ${summary.durationMs} ms${dropped}`);
      this.setStatus({ state: 'ready', summary: summaryView(summary) });
    } catch (error) {
      const wire = toWireError(error);
      if (wire.code === 'cancelled') return;
      this.ports.log.error(`notebook: load failed: ${wire.userMessage}${wire.detail ? `\n${wire.detail}` : ''}`);
      this.setStatus({ state: 'error', error: wire });
      this.offerWarehouseWhenTooBig(wire);
    }
  }

  /**
   * Validates, then dispatches; unknown or malformed messages are logged and dropped.
   * Returns the reply posted for a request (undefined for notifications and rejected messages).
   */
  async receive(raw: unknown): Promise<HostMessage | undefined> {
    const message = this.gate.accept(raw);
    if (message === undefined) return undefined;
    if (message.kind === 'request') {
      const reply = await this.reply(message);
      if (message.method === 'runCell') this.recordOutcome(message.params.cellId, reply);
      this.ports.post(reply);
      return reply;
    }
    await dispatchNotification(this.notifications, message);
    return undefined;
  }

  /** What each notification from the webview does. */
  private readonly notifications: NotificationHandlers<WebviewNotifications> = {
    ready: async () => {
      this.notify('init', { document: this.doc, ...this.ports.pageData(), status: this.status });
      this.notify('engine', this.engineView);
      if (this.status.state === 'idle' && this.doc.engine === 'databricks') await this.reload();
      else if (this.status.state === 'idle' && this.doc.scope.sources.length > 0) await this.openScope();
    },
    documentChanged: (params) => {
      this.doc = params.document;
      this.ports.onDocument();
    },
    reload: async (params) => {
      this.doc = { ...this.doc, scope: params.scope };
      this.ports.onDocument();
      await this.reload();
    },
    cancel: (params) => {
      this.ports.local.cancel(params.requestId);
      this.ports.warehouse.cancel(params.requestId);
    },
    setEngine: (params) => this.setEngine(params.engine),
    openRaw: (params) => this.ports.openRawLine({ name: 'notebook', readFiles: this.openableFiles, rejected: this.rejected }, params.file, params.line),
    showTimeline: (params) => this.ports.showTimeline({ identity: params.identity, scope: this.doc.scope, ...(this.doc.asOf ? { asOf: this.doc.asOf } : {}) }),
    copyText: (params) => this.ports.copyText(params.text, params.what),
    command: (params) => this.ports.command(params.name),
  };

  /** The answer to each request the webview may send, typed by the protocol's request -> reply map; `lexed` is the request's SQL, lexed once. */
  private readonly answers: Answers = {
    runCell: async (params, requestId, lexed) => {
      const cell = lexed ?? lexSpark(params.sql);
      const sql = params.sort ? sortedQuery(cell, params.sort) : cell;
      const asOf = runChoice(params.asOf, this.doc.asOf);
      if (this.doc.engine === 'databricks') {
        return this.ports.warehouse.runCell(requestId, sql, (partial) => this.notify('cellPage', { requestId, result: partial }), asOf);
      }
      const result = await this.ports.local.runCell(requestId, sql, this.sliceHooks(), asOf);
      this.rows = await this.ports.local.loadedRows();
      this.ports.onStatus();
      return result;
    },
    histogram: async () => (this.doc.engine === 'databricks' ? [] : this.ports.local.histogram()),
    exportResult: (params, requestId, lexed) => {
      const cell = this.doc.cells.find((c) => c.id === params.cellId);
      return this.ports.exportToFile(this.doc.engine === 'databricks' ? this.ports.warehouse : this.ports.local, {
        requestId,
        sql: lexed ?? params.sql,
        format: params.format,
        suggestedName: safeFileName(cell?.title ?? '', params.format),
        asOf: runChoice(params.asOf, this.doc.asOf),
        onProgress: (rows) => this.notify('exportProgress', { requestId, rows }),
      });
    },
  };

  private async reply<M extends WebviewRequestMethod>(message: WebviewRequest<M>): Promise<HostReply<M>> {
    const lexed = 'sql' in message.params ? lexSpark(message.params.sql) : undefined;
    try {
      const answer: Answers[M] = this.answers[message.method];
      return { kind: 'reply', id: message.id, ok: true, result: await answer(message.params, message.id, lexed) };
    } catch (error) {
      // A sorted re-run's SQL is not the cell's: error positions would point at the wrong place.
      const sorted = 'sort' in message.params && message.params.sort !== undefined;
      return { kind: 'reply', id: message.id, ok: false, error: toWireError(error, sorted ? undefined : lexed) };
    }
  }

  private recordOutcome(cellId: string, reply: HostReply): void {
    if (reply.ok) {
      const result = reply.result as CellResult;
      this.cellOutcomes.set(cellId, { ok: true, rowCount: result.rowCount, columns: result.columns });
    } else {
      this.cellOutcomes.set(cellId, { ok: false, error: reply.error });
      if (reply.error.code !== 'cancelled') this.ports.log.info(`notebook: cell ${cellId} failed: ${reply.error.userMessage}`);
      this.offerWarehouseWhenTooBig(reply.error);
    }
  }

  /** A load (the whole scope's, or a cell's slice) past the row budget: offers the warehouse when one is configured. */
  private offerWarehouseWhenTooBig(error: WireError): void {
    if (error.code === 'budget' && this.ports.warehouseConfigured()) void this.ports.offerWarehouse(error.userMessage).then((yes) => (yes ? this.setEngine('databricks') : undefined));
  }
}
