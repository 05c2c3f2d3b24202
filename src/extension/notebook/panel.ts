/**
 * The "Audit Lens: Query Notebook" webview panel: the VS Code side of NotebookController. It
 * stands on the webview host (page, CSP) and supplies the controller's ports: the sessions,
 * consent, prompts, the raw-line opener, the clipboard and the commands.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { analyses } from '../../core/analyses';
import { defaultScanCacheDirectory } from '../../core/scan/cache-location';
import { recordCacheSettings } from '../recordCache';
import type { EngineView, HostMessage, HostNotifications, NotebookDocument, ScopeStatus } from '../../protocol/notebook';
import { QUERY_WORKER_FILE } from '../../worker/entries';
import { NotebookSession } from '../../worker/session/notebookSession';
import { COMMANDS } from '../commands/ids';
import { warehouseClient, warehouseConfigured } from '../databricks';
import { DisposableBase } from '../disposable';
import { openReadRawLine } from '../rawLine';
import type { ExtensionServices } from '../services';
import { readDatabricksSettings } from '../settings';
import { safeWindow, uiText } from '../untrustedText';
import { WebviewHost } from '../webview/host';
import { completionCatalog } from './completionCatalog';
import { NotebookController, type CellOutcome } from './controller';
import { offerWarehouse, warehouseStatusMessage } from './engineChoice';
import { exportToFile } from './exportFile';
import { scopeLabel } from './scope';
import { SourceConsent } from './sourceConsent';
import { WarehouseSession } from './warehouseSession';

export type { CellOutcome } from './controller';

export const NOTEBOOK_VIEW_TYPE = 'auditLens.notebook';

export interface PanelHooks {
  onStatus(panel: NotebookPanel): void;
  onDispose(panel: NotebookPanel): void;
  command(panel: NotebookPanel, name: 'save' | 'open' | 'exportDatabricks'): void;
}

export class NotebookPanel extends DisposableBase {
  private readonly controller: NotebookController;
  private readonly host: WebviewHost<HostNotifications>;
  /** The file this notebook was opened from or saved to. */
  fileUri: vscode.Uri | undefined;

  constructor(
    readonly panel: vscode.WebviewPanel,
    services: ExtensionServices,
    doc: NotebookDocument,
    hooks: PanelHooks,
  ) {
    super();
    const extensionUri = services.context.extensionUri;
    // Released in reverse: the sessions, then the owner is told, then the host's listeners and the panel.
    this.host = this.register(
      new WebviewHost<HostNotifications>(panel, extensionUri, { page: { script: 'webview.js', styles: ['notebook.css'], title: 'Audit Lens: Query Notebook' }, receive: (raw) => this.receive(raw) }, this),
    );
    this.register({ dispose: () => hooks.onDispose(this) });
    const local = new NotebookSession({
      workerPath: vscode.Uri.joinPath(extensionUri, 'dist', QUERY_WORKER_FILE).fsPath,
      wasmPath: vscode.Uri.joinPath(extensionUri, 'dist', 'sql-wasm.wasm').fsPath,
      maxRows: services.settings.rowBudget,
      gcsEndpoint: () => services.settings.gcsEndpoint,
      scanCacheDirectory: defaultScanCacheDirectory(),
      recordCache: () => recordCacheSettings(services.settings),
      gcs: () => ({ idleTimeoutMs: services.settings.gcsTimeout * 1000 }),
    });
    this.register({ dispose: () => void local.dispose() });
    const warehouse = new WarehouseSession({
      client: () => warehouseClient(services.context.secrets),
      scope: () => this.controller.document.scope,
      auditTable: () => readDatabricksSettings().auditTable,
    });
    this.register({ dispose: () => void warehouse.dispose() });
    const consent = new SourceConsent({
      isTrusted: () => vscode.workspace.isTrusted,
      userSources: () => services.settings.sources,
      ask: (sources) => askToLoad(services, sources),
    });
    this.controller = new NotebookController(doc, {
      post: (message: HostMessage) => this.host.post(message),
      log: services.log,
      local,
      warehouse,
      mayLoad: (sources) => consent.mayLoad(sources),
      warehouseConfigured,
      warehouseStatus: (host, current) => warehouseStatusMessage(host, readDatabricksSettings(), current.scope),
      offerWarehouse,
      openRawLine: (guard, file, line) => openReadRawLine(services, guard, file, line),
      showTimeline: async (argument) => {
        await vscode.commands.executeCommand(COMMANDS.showTimeline, argument);
      },
      copyText: async (text, what) => {
        await vscode.env.clipboard.writeText(text);
        safeWindow.setStatusBarMessage(`Audit Lens: copied ${what}`, 3000);
      },
      command: (name) => hooks.command(this, name),
      exportToFile: (engine, request) => exportToFile(engine, request, (options) => services.prompts.showSaveDialog(options)),
      pageData: () => ({ catalog: completionCatalog(), library: [...analyses] }),
      onStatus: () => hooks.onStatus(this),
      onDocument: () => this.updateTitle(),
    });
    this.register(panel.onDidChangeViewState(() => hooks.onStatus(this)));
    this.updateTitle();
  }

  get document(): NotebookDocument {
    return this.controller.document;
  }

  get loadedRows(): number {
    return this.controller.loadedRows;
  }

  get scopeStatus(): ScopeStatus {
    return this.controller.scopeStatus;
  }

  get engineView(): EngineView {
    return this.controller.engineView;
  }

  /** Every message rejected by validation, and every refused raw line (kept for tests and the log). */
  get rejected(): string[] {
    return this.controller.rejected;
  }

  /** The outcome of each cell's latest run, by cell id (kept for tests and the log). */
  get cellOutcomes(): ReadonlyMap<string, CellOutcome> {
    return this.controller.cellOutcomes;
  }

  /** Runs the cells on another engine from now on; the cells stay. */
  setEngine(engine: EngineView['engine']): Promise<void> {
    return this.controller.setEngine(engine);
  }

  setDocument(doc: NotebookDocument, fileUri?: vscode.Uri): void {
    this.fileUri = fileUri ?? this.fileUri;
    this.controller.setDocument(doc);
  }

  setFile(fileUri: vscode.Uri): void {
    this.fileUri = fileUri;
    this.updateTitle();
  }

  notify<M extends keyof HostNotifications>(method: M, params: HostNotifications[M]): void {
    this.controller.notify(method, params);
  }

  /** Takes the document's scope without loading it: each cell loads the slices it needs. */
  openScope(): Promise<void> {
    return this.controller.openScope();
  }

  /** Loads the document's whole scope into the session (on a warehouse: checks the connection). */
  reload(): Promise<void> {
    return this.controller.reload();
  }

  /** Validates, then dispatches; returns the reply posted for a request (undefined for notifications and rejected messages). */
  receive(raw: unknown): Promise<HostMessage | undefined> {
    return this.controller.receive(raw);
  }

  private updateTitle(): void {
    this.panel.title = uiText(`Audit Lens: ${this.fileUri ? path.basename(this.fileUri.path) : scopeLabel(this.controller.document.scope)}`);
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
