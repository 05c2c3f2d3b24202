/**
 * The "Audit Lens: Query Notebook" webview panel: builds the page (strict CSP), validates every
 * message from the webview and acts only on known ones, and answers through NotebookSession.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { analyses } from '../../core/analyses';
import { AuditLensError } from '../../core/errors';
import type { NotebookDocument } from '../../shared/notebook/format';
import { sortedQuery } from '../../core/sql/sortedQuery';
import { QUERY_WORKER_FILE } from '../../worker/entries';
import { parseWebviewMessage, type CellResult, type EngineView, type HostMessage, type HostReply, type RequestAnswers, type WebviewRequest, type WebviewRequestMethod, type WebviewRequests, type HostNotificationMethod, type HostNotifications, type ScopeStatus, type WebviewMessage, type WireError } from '../../protocol/notebook';
import { warehouseClient, warehouseConfigured } from '../databricks';
import { openReadRawLine } from '../rawLine';
import type { ExtensionServices } from '../services';
import { readDatabricksSettings } from '../settings';
import { completionCatalog } from './completionCatalog';
import { exportToFile, safeFileName } from './exportFile';
import { notebookHtml } from './html';
import { offerWarehouse, warehouseStatusMessage } from './engineChoice';
import { NotebookSession, summaryView, toWireError, type SliceHooks } from './notebookSession';
import { scopeLabel } from './scope';
import { SourceConsent } from './sourceConsent';
import { runChoice } from './asOf';
import { WarehouseSession } from './warehouseSession';
import { safeWindow, uiText } from '../untrustedText';
import { defaultScanCacheDirectory } from '../../core/scan/cache-location';
import { DisposableBase } from '../disposable';
import { COMMANDS } from '../commands/ids';
import { throttledProgress, type ProgressSink } from '../../core/progress';

export const NOTEBOOK_VIEW_TYPE = 'auditLens.notebook';

export interface PanelHooks {
  onStatus(panel: NotebookPanel): void;
  onDispose(panel: NotebookPanel): void;
  command(panel: NotebookPanel, name: 'save' | 'open' | 'exportDatabricks'): void;
}

/** Where the webview may load from: our bundle and our stylesheet, nothing else. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    retainContextWhenHidden: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

/** How a cell's last run ended, as its reply told the webview. */
export type CellOutcome = { ok: true; rowCount: number; columns: string[] } | { ok: false; error: WireError };

export class NotebookPanel extends DisposableBase {
  private readonly session: NotebookSession;
  private readonly warehouse: WarehouseSession;
  private status: ScopeStatus = { state: 'idle' };
  /**
   * The files the host itself listed and loaded for this panel: the only ones a raw line may be
   * opened from. Nothing the webview sends (scope, document, rows) widens it.
   */
  private openableFiles: ReadonlySet<string> = new Set();
  private readonly consent: SourceConsent;
  private rows = 0;
  /** The file this notebook was opened from or saved to. */
  fileUri: vscode.Uri | undefined;
  /** Every message rejected by validation (kept for tests and the log). */
  readonly rejected: string[] = [];
  /** The outcome of each cell's latest run, by cell id (kept for tests and the log). */
  readonly cellOutcomes = new Map<string, CellOutcome>();

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly services: ExtensionServices,
    private doc: NotebookDocument,
    private readonly hooks: PanelHooks,
  ) {
    super();
    // Released in reverse: listeners, then the session, then the owner is told, then the panel closes.
    this.register(panel);
    this.register({ dispose: () => hooks.onDispose(this) });
    const extensionUri = services.context.extensionUri;
    this.session = new NotebookSession({
      workerPath: vscode.Uri.joinPath(extensionUri, 'dist', QUERY_WORKER_FILE).fsPath,
      wasmPath: vscode.Uri.joinPath(extensionUri, 'dist', 'sql-wasm.wasm').fsPath,
      maxRows: services.settings.rowBudget,
      gcsEndpoint: () => services.settings.gcsEndpoint,
      scanCacheDirectory: defaultScanCacheDirectory(),
      gcs: () => ({ idleTimeoutMs: services.settings.gcsTimeout * 1000 }),
    });
    this.consent = new SourceConsent({
      isTrusted: () => vscode.workspace.isTrusted,
      userSources: () => services.settings.sources,
      ask: (sources) => askToLoad(services, sources),
    });
    this.register({ dispose: () => void this.session.dispose() });
    this.warehouse = new WarehouseSession({
      client: () => warehouseClient(services.context.secrets),
      scope: () => this.doc.scope,
      auditTable: () => readDatabricksSettings().auditTable,
    });
    this.register({ dispose: () => void this.warehouse.dispose() });
    panel.webview.options = webviewOptions(extensionUri);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'notebook-icon.svg');
    panel.webview.html = notebookHtml({
      cspSource: panel.webview.cspSource,
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js')).toString(),
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'notebook.css')).toString(),
    });
    this.register(panel.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)));
    this.register(panel.onDidChangeViewState(() => hooks.onStatus(this)));
    this.register(panel.onDidDispose(() => this.dispose()));
    this.updateTitle();
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

  get engineView(): EngineView {
    return { engine: this.doc.engine ?? 'local', databricksConfigured: warehouseConfigured() };
  }

  /** Runs the cells on another engine from now on; the cells stay. */
  async setEngine(engine: EngineView['engine']): Promise<void> {
    const { engine: _previous, ...rest } = this.doc;
    this.doc = engine === 'databricks' ? { ...rest, engine } : rest;
    this.services.log.info(`notebook: engine is now ${engine}`);
    this.notify('engine', this.engineView);
    await this.reload();
  }

  setDocument(doc: NotebookDocument, fileUri?: vscode.Uri): void {
    this.doc = doc;
    this.fileUri = fileUri ?? this.fileUri;
    this.updateTitle();
    this.notify('loadDocument', { document: doc });
    void this.openScope();
  }

  setFile(fileUri: vscode.Uri): void {
    this.fileUri = fileUri;
    this.updateTitle();
  }

  private updateTitle(): void {
    this.panel.title = uiText(`Audit Lens: ${this.fileUri ? path.basename(this.fileUri.path) : scopeLabel(this.doc.scope)}`);
  }

  private post(message: HostMessage): void {
    void this.panel.webview.postMessage(message);
  }

  notify<M extends HostNotificationMethod>(method: M, params: HostNotifications[M]): void {
    this.post({ kind: 'notify', method, params } as HostMessage);
  }

  private setStatus(status: ScopeStatus): void {
    this.status = status;
    this.notify('scopeStatus', status);
    this.hooks.onStatus(this);
  }

  /** In an untrusted workspace, asks before the sources this document names are read; says so when declined. */
  private async consentToLoad(): Promise<boolean> {
    if (await this.consent.mayLoad(this.doc.scope.sources)) return true;
    const error = new AuditLensError('cancelled', 'Not loaded: this workspace is not trusted, and loading the sources this notebook names was declined. Press Reload to be asked again.');
    this.services.log.info(`notebook: declined to load ${this.doc.scope.sources.join(', ')} in an untrusted workspace`);
    this.setStatus({ state: 'error', error: toWireError(error) });
    return false;
  }

  /** Takes the document's scope without loading it: each cell loads the slices it needs. */
  async openScope(): Promise<void> {
    if (!(await this.consentToLoad())) return;
    try {
      this.session.setScope(this.doc.scope);
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
      onLoaded: (summary) => {
        this.openableFiles = new Set([...this.openableFiles, ...summary.loadedFiles]);
        void this.session.loadedRows().then((rows) => {
          this.rows = rows;
          const services = this.session.loadedServices;
          this.services.log.info(`notebook: loaded ${services ? services.join(', ') : 'the whole scope'}: ${rows} records in all, in ${Math.round(summary.durationMs)} ms`);
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
        this.setStatus({ state: 'remote', message: warehouseStatusMessage(await this.warehouse.describe(), readDatabricksSettings(), this.doc.scope) });
      } catch (error) {
        this.setStatus({ state: 'error', error: toWireError(error) });
      }
      return;
    }
    this.setStatus({ state: 'loading', message: 'Loading audit logs…' });
    try {
      const summary = await this.session.load(this.doc.scope, this.loadingStatus());
      this.rows = summary.recordsLoaded;
      this.openableFiles = new Set(summary.loadedFiles);
      const dropped = summary.duplicatesDropped === undefined ? '' : `, ${summary.duplicatesDropped} duplicate events dropped`;
      this.services.log.info(`notebook: loaded ${summary.recordsLoaded} records from ${summary.files} files in ${summary.durationMs} ms${dropped}`);
      this.setStatus({ state: 'ready', summary: summaryView(summary) });
    } catch (error) {
      const wire = toWireError(error);
      if (wire.code === 'cancelled') return;
      this.services.log.error(`notebook: load failed: ${wire.userMessage}${wire.detail ? `\n${wire.detail}` : ''}`);
      this.setStatus({ state: 'error', error: wire });
      this.offerWarehouseWhenTooBig(wire);
    }
  }

  /**
   * Validates, then dispatches; unknown or malformed messages are logged and dropped.
   * Returns the reply posted for a request (undefined for notifications and rejected messages).
   */
  async receive(raw: unknown): Promise<HostMessage | undefined> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.rejected.push(parsed.reason);
      this.services.log.warn(`notebook: ignored a message from the webview: ${parsed.reason}`);
      return undefined;
    }
    return this.handle(parsed.value);
  }

  private async handle(message: WebviewMessage): Promise<HostMessage | undefined> {
    if (message.kind === 'request') {
      const reply = await this.reply(message);
      if (message.method === 'runCell') this.recordOutcome(message.params.cellId, reply);
      this.post(reply);
      return reply;
    }
    switch (message.method) {
      case 'ready':
        this.notify('init', { document: this.doc, catalog: completionCatalog(), library: [...analyses], status: this.status });
        this.notify('engine', this.engineView);
        if (this.status.state === 'idle' && this.doc.engine === 'databricks') await this.reload();
        else if (this.status.state === 'idle' && this.doc.scope.sources.length > 0) await this.openScope();
        break;
      case 'documentChanged':
        this.doc = message.params.document;
        this.updateTitle();
        break;
      case 'reload':
        this.doc = { ...this.doc, scope: message.params.scope };
        this.updateTitle();
        await this.reload();
        break;
      case 'cancel':
        this.session.cancel(message.params.requestId);
        this.warehouse.cancel(message.params.requestId);
        break;
      case 'setEngine':
        await this.setEngine(message.params.engine);
        break;
      case 'openRaw':
        await openReadRawLine(this.services, { name: 'notebook', readFiles: this.openableFiles, rejected: this.rejected }, message.params.file, message.params.line);
        break;
      case 'showTimeline':
        await vscode.commands.executeCommand(COMMANDS.showTimeline, { identity: message.params.identity, scope: this.doc.scope, ...(this.doc.asOf ? { asOf: this.doc.asOf } : {}) });
        break;
      case 'copyText':
        await vscode.env.clipboard.writeText(message.params.text);
        safeWindow.setStatusBarMessage(`Audit Lens: copied ${message.params.what}`, 3000);
        break;
      case 'command':
        this.hooks.command(this, message.params.name);
        break;
    }
    return undefined;
  }

  /** The answer to each request the webview may send, typed by the protocol's request -> reply map. */
  private readonly answers: RequestAnswers = {
    runCell: async (params, requestId) => {
      const sql = params.sort ? sortedQuery(params.sql, params.sort.column, params.sort.direction) : params.sql;
      const asOf = runChoice(params.asOf, this.doc.asOf);
      if (this.doc.engine === 'databricks') {
        return this.warehouse.runCell(requestId, sql, (partial) => this.notify('cellPage', { requestId, result: partial }), asOf);
      }
      const result = await this.session.runCell(requestId, sql, this.sliceHooks(), asOf);
      this.rows = await this.session.loadedRows();
      this.hooks.onStatus(this);
      return result;
    },
    histogram: async () => (this.doc.engine === 'databricks' ? [] : this.session.histogram()),
    exportResult: (params, requestId) => {
      const cell = this.doc.cells.find((c) => c.id === params.cellId);
      return exportToFile(this.doc.engine === 'databricks' ? this.warehouse : this.session, {
        requestId,
        sql: params.sql,
        format: params.format,
        suggestedName: safeFileName(cell?.title ?? '', params.format),
        asOf: runChoice(params.asOf, this.doc.asOf),
        onProgress: (rows) => this.notify('exportProgress', { requestId, rows }),
      }, (options) => this.services.prompts.showSaveDialog(options));
    },
  };

  private async reply<M extends WebviewRequestMethod>(message: WebviewRequest<M>): Promise<HostReply<M>> {
    try {
      return { kind: 'reply', id: message.id, ok: true, result: await this.answer(message) };
    } catch (error) {
      // A sorted re-run's SQL is not the cell's: error positions would point at the wrong place.
      const sorted = 'sort' in message.params && message.params.sort !== undefined;
      const sql = 'sql' in message.params && !sorted ? message.params.sql : undefined;
      return { kind: 'reply', id: message.id, ok: false, error: toWireError(error, sql) };
    }
  }

  private answer<M extends WebviewRequestMethod>(message: WebviewRequest<M>): Promise<WebviewRequests[M]['result']> {
    const answer: RequestAnswers[M] = this.answers[message.method];
    return answer(message.params, message.id);
  }

  private recordOutcome(cellId: string, reply: HostReply): void {
    if (reply.ok) {
      const result = reply.result as CellResult;
      this.cellOutcomes.set(cellId, { ok: true, rowCount: result.rowCount, columns: result.columns });
    } else {
      this.cellOutcomes.set(cellId, { ok: false, error: reply.error });
      if (reply.error.code !== 'cancelled') this.services.log.info(`notebook: cell ${cellId} failed: ${reply.error.userMessage}`);
      this.offerWarehouseWhenTooBig(reply.error);
    }
  }

  /** A load (the whole scope's, or a cell's slice) past the row budget: offers the warehouse when one is configured. */
  private offerWarehouseWhenTooBig(error: WireError): void {
    if (error.code === 'budget' && warehouseConfigured()) void offerWarehouse(error.userMessage).then((yes) => (yes ? this.setEngine('databricks') : undefined));
  }
}

const LOAD = 'Load';

/** The question asked before a notebook in an untrusted workspace loads sources the user did not configure. */
function askToLoad(services: ExtensionServices, sources: readonly string[]): Promise<boolean> {
  const list = sources.map((s) => `• ${s}`).join('\n');
  return services.prompts
    .showModalWarning(
      'Load the audit logs this notebook names?',
      `This workspace is not trusted, and the notebook names sources that are not in your settings:\n${list}\n\nLoading reads them with your own credentials.`,
      LOAD,
    )
    .then((answer) => answer === LOAD);
}
