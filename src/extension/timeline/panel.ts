/**
 * The "Timeline: <identity>" webview panel, on the webview host (page, CSP, validated messages):
 * runs the timeline with progress and cancel, opens raw lines only from the files the run read,
 * and hands pivots to its owner.
 */
import * as vscode from 'vscode';
import type { AsOfChoice } from '../../shared/asOf';
import { defaultScanCacheDirectory } from '../../core/scan/cache-location';
import type { NotebookScope } from '../../shared/notebook/format';
import type { Identity, Timeline } from '../../shared/timeline';
import { identityKindLabel } from '../../shared/identityOfCell';
import { parseTimelineWebviewMessage, type TimelineHostNotifications, type TimelineQuery, type TimelineStatus, type TimelineWebviewNotifications } from '../../protocol/timeline';
import type { TimelineRequest, TimelineRun, TimelineRunOptions } from '../../worker/timeline/runTimeline';
import { QUERY_WORKER_FILE } from '../../worker/entries';
import { DisposableBase } from '../disposable';
import { WebviewHost } from '../webview/host';
import { NotificationReceiver, type NotificationHandlers } from '../webview/messages';
import { LatestRun } from '../webview/latestRun';
import { requireSources, scopeLabel } from '../notebook/scope';
import { openReadRawLine } from '../rawLine';
import type { ExtensionServices } from '../services';
import { uiText } from '../untrustedText';
import { timelineRequest } from './query';
import { readyStatus } from './readyStatus';

export const TIMELINE_VIEW_TYPE = 'auditLens.timeline';

export type TimelineRunner = (request: TimelineRequest, options: TimelineRunOptions) => Promise<TimelineRun>;

export interface TimelinePanelHooks {
  /** Opens a timeline of another identity over the same scope. */
  pivot(identity: Identity, scope: NotebookScope): void;
  onDispose(panel: TimelinePanel): void;
}

export function timelineTitle(identity: Identity): string {
  return uiText(`Timeline: ${identity.value}`);
}

export class TimelinePanel extends DisposableBase {
  private current: TimelineStatus = { state: 'loading', message: 'Starting…' };
  private readonly latest = new LatestRun({
    name: 'timeline',
    status: (status) => this.setStatus(status),
    logError: (message) => this.services.log.error(message),
    isDisposed: () => this.isDisposed,
  });
  /** The files the last run read: the only ones a raw line may be opened from. */
  private openableFiles: ReadonlySet<string> = new Set();
  private readonly host: WebviewHost<TimelineHostNotifications>;
  private readonly messages: NotificationReceiver<TimelineWebviewNotifications>;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly services: ExtensionServices,
    /** The first query: a new panel's (see initialQuery), or one restored from a reload. */
    private query: TimelineQuery,
    readonly scope: NotebookScope,
    private readonly run: TimelineRunner,
    private readonly hooks: TimelinePanelHooks,
  ) {
    super();
    this.messages = new NotificationReceiver('timeline', parseTimelineWebviewMessage, services.log, this.handlers);
    const { identity } = this.query;
    panel.title = timelineTitle(identity);
    this.host = this.register(
      new WebviewHost(panel, services.context.extensionUri, {
        page: { script: 'timeline.js', styles: ['notebook.css', 'timeline.css'], title: `Audit Lens: ${timelineTitle(identity)}` },
        receive: (raw) => this.receive(raw),
      }, this),
    );
    this.register({ dispose: () => hooks.onDispose(this) });
    this.register({ dispose: () => this.latest.cancel() });
    void this.load();
  }

  /** Every message rejected by validation (kept for tests and the log). */
  get rejected(): string[] {
    return this.messages.rejected;
  }

  /** Whether the page has booted and asked for its query (it said `ready`). */
  get webviewReady(): boolean {
    return this.messages.ready;
  }

  get identity(): Identity {
    return this.query.identity;
  }

  /** The instant the panel's "now" answers at: now, the end of its window, or a chosen instant. */
  get asOf(): AsOfChoice {
    return this.query.asOf;
  }

  get status(): TimelineStatus {
    return this.current;
  }

  /** The last timeline shown, if any. */
  get timeline(): Timeline | undefined {
    return this.current.state === 'ready' ? this.current.timeline : undefined;
  }

  private notify<M extends keyof TimelineHostNotifications>(method: M, params: TimelineHostNotifications[M]): void {
    this.host.notify(method, params);
  }

  private shown(): TimelineHostNotifications['show'] {
    return { query: this.query, scope: this.scope, scopeLabel: scopeLabel(this.scope) };
  }

  private setStatus(status: TimelineStatus): void {
    this.current = status;
    this.notify('status', status);
  }

  /** Runs the current query, cancelling a run still going. */
  load(): Promise<void> {
    const started = Date.now();
    const { identity } = this.query;
    return this.latest.start(`Reading the events of ${identityKindLabel(identity.kind)} ${identity.value}…`, async ({ signal, onProgress, isLatest }) => {
      requireSources(this.scope);
      const extensionUri = this.services.context.extensionUri;
      const result = await this.run(
        {
          ...timelineRequest(this.query, this.scope),
          ...(this.services.settings.gcsEndpoint ? { gcsEndpoint: this.services.settings.gcsEndpoint } : {}),
          gcs: { idleTimeoutMs: this.services.settings.gcsTimeout * 1000 },
          // The tree's scans (shared with the CLI) hold each file's identity index: only files and lines that hold the identity are read.
          scanCacheDirectory: defaultScanCacheDirectory(),
        },
        {
          signal,
          onProgress,
          session: {
            workerPath: vscode.Uri.joinPath(extensionUri, 'dist', QUERY_WORKER_FILE).fsPath,
            wasmPath: vscode.Uri.joinPath(extensionUri, 'dist', 'sql-wasm.wasm').fsPath,
            maxRows: this.services.settings.rowBudget,
          },
        },
      );
      if (!isLatest()) return;
      this.openableFiles = new Set([...(result.load?.loadedFiles ?? []), ...result.timeline.events.map((e) => e._file)]);
      this.services.log.info(`timeline: ${result.timeline.summary.events} events of ${identity.kind} in ${Date.now() - started} ms`);
      this.setStatus(readyStatus(result.timeline, Date.now() - started));
    });
  }

  /** Validates, then dispatches; unknown or malformed messages are logged and dropped. */
  async receive(raw: unknown): Promise<void> {
    await this.messages.receive(raw);
  }

  private readonly handlers: NotificationHandlers<TimelineWebviewNotifications> = {
    ready: () => {
      this.notify('show', this.shown());
      this.notify('status', this.current);
    },
    run: async (params) => {
      this.query = { ...this.query, window: params.window, asOf: params.asOf };
      this.notify('show', this.shown());
      await this.load();
    },
    cancel: () => this.latest.cancel(),
    openRaw: (params) => openReadRawLine(this.services, { name: 'timeline', readFiles: this.openableFiles, rejected: this.rejected }, params.file, params.line),
    pivot: (params) => this.hooks.pivot(params.identity, this.scope),
  };
}
