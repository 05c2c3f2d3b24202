/**
 * The "Coverage" webview panel, on the webview host (page, CSP, validated messages): runs the
 * coverage pass in the worker with progress and cancel, and opens a cell's files, only ones the pass read.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CoverageRequest } from '../../core/coverage';
import { AuditLensError } from '../../core/errors';
import type { WorkOptions } from '../../core/progress';
import { parseCoverageWebviewMessage, type CoverageCellRef, type CoverageHostNotifications, type CoverageStatus, type CoverageWebviewNotifications } from '../../protocol/coverage';
import type { NotebookScope } from '../../shared/notebook/format';
import type { CoverageFileHours, CoverageRun } from '../../worker/coverage/client';
import { DisposableBase } from '../disposable';
import { editorUriOf } from '../fileUris';
import { WebviewHost } from '../webview/host';
import { NotificationReceiver, type NotificationHandlers } from '../webview/messages';
import { LatestRun } from '../webview/latestRun';
import { requireSources, scopeLabel } from '../notebook/scope';
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
  private readonly latest = new LatestRun({
    name: 'coverage',
    status: (status) => this.setStatus(status),
    logError: (message) => this.services.log.error(message),
    isDisposed: () => this.isDisposed,
  });
  /** The files the last pass read, with their hours: the only ones a cell may open. */
  private files: readonly CoverageFileHours[] = [];
  /** The files opened on the page's request (tests read them). */
  readonly opened: string[] = [];
  private readonly host: WebviewHost<CoverageHostNotifications>;
  private readonly messages: NotificationReceiver<CoverageWebviewNotifications>;

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
    this.messages = new NotificationReceiver('coverage', parseCoverageWebviewMessage, services.log, this.handlers);
    panel.title = coverageTitle(scope);
    this.host = this.register(
      new WebviewHost(panel, services.context.extensionUri, {
        page: { script: 'coverage.js', styles: ['notebook.css', 'coverage.css'], title: `Audit Lens: ${coverageTitle(scope)}` },
        receive: (raw) => this.receive(raw),
      }, this),
    );
    this.register({ dispose: () => onDispose(this) });
    this.register({ dispose: () => this.latest.cancel() });
    void this.load();
  }

  /** Every message rejected by validation, and every refused request (kept for tests and the log). */
  get rejected(): string[] {
    return this.messages.rejected;
  }

  /** Whether the page has booted and asked for its state (it said `ready`). */
  get webviewReady(): boolean {
    return this.messages.ready;
  }

  get status(): CoverageStatus {
    return this.current;
  }

  private notify<M extends keyof CoverageHostNotifications>(method: M, params: CoverageHostNotifications[M]): void {
    this.host.notify(method, params);
  }

  private setStatus(status: CoverageStatus): void {
    this.current = status;
    this.notify('status', status);
  }

  /** Runs the pass, cancelling one still going. */
  load(): Promise<void> {
    const started = Date.now();
    return this.latest.start('Listing files…', async ({ signal, onProgress, isLatest }) => {
      requireSources(this.scope);
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
        { signal, onProgress },
      );
      if (!isLatest()) return;
      this.files = result.files;
      const view = buildCoverageView(result, { ...(from ? { from } : {}), ...(to ? { to } : {}) });
      this.services.log.info(`coverage: ${view.summary.files} files, ${view.summary.events} events, ${view.summary.gaps} gaps in ${Date.now() - started} ms`);
      this.setStatus({ state: 'ready', view, durationMs: Date.now() - started });
    });
  }

  /** Validates, then dispatches; unknown or malformed messages are logged and dropped. */
  async receive(raw: unknown): Promise<void> {
    await this.messages.receive(raw);
  }

  private readonly handlers: NotificationHandlers<CoverageWebviewNotifications> = {
    ready: () => {
      this.notify('show', { title: coverageTitle(this.scope), scopeLabel: scopeLabel(this.scope) });
      this.notify('status', this.current);
    },
    run: () => this.load(),
    cancel: () => this.latest.cancel(),
    openFiles: (params) => this.openFiles(params),
  };

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
