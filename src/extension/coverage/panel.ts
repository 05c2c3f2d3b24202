/**
 * The "Coverage" webview panel: builds the page (the notebook's strict CSP), validates every
 * message from the webview and acts only on known ones, runs the coverage pass in the worker with
 * progress and cancel, and opens a cell's files, only ones the pass read.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CoverageRequest } from '../../core/coverage';
import { AuditLensError } from '../../core/errors';
import { throttledProgress, type WorkOptions } from '../../core/progress';
import { parseCoverageWebviewMessage, type CoverageCellRef, type CoverageHostMessage, type CoverageHostMethod, type CoverageHostNotifications, type CoverageStatus, type CoverageWebviewMessage } from '../../protocol/coverage';
import type { NotebookScope } from '../../shared/notebook/format';
import type { CoverageFileHours, CoverageRun } from '../../worker/coverage/client';
import { DisposableBase } from '../disposable';
import { editorUriOf } from '../fileUris';
import { notebookHtml } from '../notebook/html';
import { toWireError } from '../notebook/notebookSession';
import { webviewOptions } from '../notebook/panel';
import { scopeLabel } from '../notebook/scope';
import type { ExtensionServices } from '../services';
import { safeWindow, uiText } from '../untrustedText';
import { buildCoverageView, filesOfCell } from './view';

export const COVERAGE_VIEW_TYPE = 'auditLens.coverage';

export type CoverageRunner = (request: CoverageRequest, options: WorkOptions) => Promise<CoverageRun>;

export function coverageTitle(scope: NotebookScope): string {
  return uiText(`Coverage: ${scopeLabel({ sources: scope.sources, ...(scope.workspaces ? { workspaces: scope.workspaces } : {}) })}`);
}

export class CoveragePanel extends DisposableBase {
  private current: CoverageStatus = { state: 'loading', message: 'Starting…' };
  private running: AbortController | undefined;
  /** The files the last pass read, with their hours: the only ones a cell may open. */
  private files: readonly CoverageFileHours[] = [];
  /** Every message rejected by validation, and every refused request (kept for tests and the log). */
  readonly rejected: string[] = [];
  /** The files opened on the page's request (tests read them). */
  readonly opened: string[] = [];
  private runs = 0;
  webviewReady = false;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly services: ExtensionServices,
    readonly scope: NotebookScope,
    private readonly run: CoverageRunner,
    /** Where what was seen of each file is kept between passes, to find rewritten files. */
    private readonly stateDirectory: string | undefined,
    onDispose: (panel: CoveragePanel) => void,
  ) {
    super();
    this.register(panel);
    this.register({ dispose: () => onDispose(this) });
    this.register({ dispose: () => this.running?.abort() });
    const extensionUri = services.context.extensionUri;
    const asWebview = (...segments: string[]) => panel.webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...segments)).toString();
    panel.webview.options = webviewOptions(extensionUri);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'notebook-icon.svg');
    panel.title = coverageTitle(scope);
    panel.webview.html = notebookHtml({
      cspSource: panel.webview.cspSource,
      scriptUri: asWebview('dist', 'coverage.js'),
      styleUri: asWebview('media', 'notebook.css'),
      extraStyleUris: [asWebview('media', 'coverage.css')],
      title: `Audit Lens: ${coverageTitle(scope)}`,
    });
    this.register(panel.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)));
    this.register(panel.onDidDispose(() => this.dispose()));
    void this.load();
  }

  get status(): CoverageStatus {
    return this.current;
  }

  private notify<M extends CoverageHostMethod>(method: M, params: CoverageHostNotifications[M]): void {
    void this.panel.webview.postMessage({ kind: 'notify', method, params } as CoverageHostMessage);
  }

  private setStatus(status: CoverageStatus): void {
    this.current = status;
    this.notify('status', status);
  }

  /** Runs the pass, cancelling one still going. */
  async load(): Promise<void> {
    this.running?.abort();
    const controller = new AbortController();
    this.running = controller;
    const run = ++this.runs;
    const started = Date.now();
    this.setStatus({ state: 'loading', message: 'Listing files…' });
    try {
      if (this.scope.sources.length === 0) throw new AuditLensError('usage', 'No sources to read: add a gs:// bucket or a folder to the Audit Lens tree.');
      const { sources, workspaces, from, to } = this.scope;
      const settings = this.services.settings;
      const result = await this.run(
        {
          sources,
          filter: { ...(from ? { from } : {}), ...(to ? { to } : {}), ...(workspaces ? { workspaces } : {}) },
          ...(settings.gcsEndpoint ? { gcsEndpoint: settings.gcsEndpoint } : {}),
          gcs: { idleTimeoutMs: settings.gcsTimeout * 1000 },
          ...(this.stateDirectory ? { stateDirectory: this.stateDirectory } : {}),
        },
        {
          signal: controller.signal,
          onProgress: throttledProgress((update) => {
            if (run === this.runs) this.setStatus({ state: 'loading', message: update.message, ...(update.done !== undefined ? { done: update.done } : {}), ...(update.total !== undefined ? { total: update.total } : {}) });
          }),
        },
      );
      if (run !== this.runs || this.isDisposed) return;
      this.files = result.files;
      const view = buildCoverageView(result, { ...(from ? { from } : {}), ...(to ? { to } : {}) });
      this.services.log.info(`coverage: ${view.summary.files} files, ${view.summary.events} events, ${view.summary.gaps} gaps in ${Date.now() - started} ms`);
      this.setStatus({ state: 'ready', view, durationMs: Date.now() - started });
    } catch (error) {
      if (run !== this.runs || this.isDisposed) return;
      const wire = toWireError(error);
      if (wire.code === 'cancelled' || controller.signal.aborted) {
        this.setStatus({ state: 'cancelled' });
        return;
      }
      this.services.log.error(`coverage: ${wire.userMessage}${wire.detail ? `\n${wire.detail}` : ''}`);
      this.setStatus({ state: 'error', error: wire });
    } finally {
      if (this.running === controller) this.running = undefined;
    }
  }

  /** Validates, then dispatches; unknown or malformed messages are logged and dropped. */
  async receive(raw: unknown): Promise<void> {
    const parsed = parseCoverageWebviewMessage(raw);
    if (!parsed.ok) {
      this.rejected.push(parsed.reason);
      this.services.log.warn(`coverage: ignored a message from the webview: ${parsed.reason}`);
      return;
    }
    await this.handle(parsed.value);
  }

  private async handle(message: CoverageWebviewMessage): Promise<void> {
    switch (message.method) {
      case 'ready':
        this.webviewReady = true;
        this.notify('show', { title: coverageTitle(this.scope), scopeLabel: scopeLabel(this.scope) });
        this.notify('status', this.current);
        break;
      case 'run':
        await this.load();
        break;
      case 'cancel':
        this.running?.abort();
        break;
      case 'openFiles':
        await this.openFiles(message.params);
        break;
    }
  }

  /** Opens the cell's files: the one there is, or the one the user picks. */
  private async openFiles(cell: CoverageCellRef): Promise<void> {
    const files = filesOfCell(this.files, cell);
    const when = cell.hour === undefined ? cell.date : `${cell.date} ${String(cell.hour).padStart(2, '0')}:00 UTC`;
    if (files.length === 0) {
      this.rejected.push(`openFiles of a cell without files read: ${cell.workspaceId} ${when}`);
      void safeWindow.showInformationMessage(`No file read holds events of workspace ${cell.workspaceId} on ${when}.`);
      return;
    }
    let file = files[0]!;
    if (files.length > 1) {
      const picked = await this.services.prompts.showQuickPick(
        files.map((f) => ({ label: path.posix.basename(f.replace(/\\/g, '/')), description: uiText(f), file: f })),
        { title: uiText(`Open which file of workspace ${cell.workspaceId}, ${when}?`) },
      );
      if (!picked) return;
      file = picked.file;
    }
    try {
      const document = await vscode.workspace.openTextDocument(editorUriOf({ uri: file }));
      await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: true });
      this.opened.push(file);
    } catch (error) {
      this.services.reportError(AuditLensError.from(error, 'not-found'), `Open ${path.posix.basename(file)}`);
    }
  }
}
