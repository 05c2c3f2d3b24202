/**
 * One running watch of a source in the editor: polls at the interval the settings say, runs the
 * detections Run Detections would (built-ins, packs, parameters, read when the watch starts), keeps the
 * Findings view current with every finding it has seen, notifies once per new high-severity
 * finding (a "Show" button focuses the view on those rows), backs off after failures and logs
 * them, and shows in the status bar that it runs. Disposing stops it all.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AuditLensError } from '../../core/errors';
import { defaultScanCacheDirectory } from '../../core/scan/cache-location';
import { WatchState } from '../../core/watch';
import { QUERY_WORKER_FILE } from '../../worker/entries';
import { duration, runPolls, watchIdentity, Watcher, type PollResult, type WatchTarget } from '../../worker/watch';
import { COMMANDS } from '../commands/ids';
import { loadEditorLibrary, type EditorLibrary } from '../detections';
import { DisposableBase } from '../disposable';
import type { FindingsController } from '../findings';
import { clockTime, type FindingsResult } from '../findings/model';
import { scopeLabel } from '../notebook/scope';
import type { ExtensionServices } from '../services';
import { safeWindow, uiText } from '../untrustedText';
import { WatchFindings, type HighNews } from './model';
import { plural } from '../../shared/text/quantities';

/** Kept apart from the CLI's state, so a watch in the editor and one in a terminal each say every finding. */
export const EDITOR_WATCH_PREFIX = 'editor:';
export const SHOW_ACTION = 'Show';

export interface EditorWatchOptions {
  source: string;
  services: ExtensionServices;
  findings: FindingsController;
  extensionUri: vscode.Uri;
  /** Milliseconds until the next poll, read before each wait. */
  interval: () => number;
  /** Where the watch's state lives (default: the scan cache's `watch` folder). */
  stateDirectory?: string;
  /** Called once the watch has ended on its own (a usage error); not when disposed. */
  onEnded?: () => void;
}


export class EditorWatch extends DisposableBase {
  readonly source: string;
  private readonly controller = new AbortController();
  private readonly status: vscode.StatusBarItem;
  private readonly view: WatchFindings;
  private lastPollAt: number | undefined;
  private latestNews: HighNews | undefined;
  private pollCount = 0;
  private failure: string | undefined;
  /** The detections Run Detections would run when the watch started (built-ins, packs, parameters). */
  private readonly library: EditorLibrary;
  /** Settles when the loop has ended (stopped, or a usage error). */
  readonly ended: Promise<void>;

  constructor(private readonly options: EditorWatchOptions) {
    super();
    this.source = options.source;
    this.view = new WatchFindings(options.source);
    this.library = loadEditorLibrary(options.services);
    this.status = this.register(vscode.window.createStatusBarItem('auditLens.watch', vscode.StatusBarAlignment.Left, 10));
    this.status.name = 'Audit Lens Watch';
    this.status.command = COMMANDS.stopWatching;
    this.register({ dispose: () => this.controller.abort() });
    this.showStatus('starting');
    this.status.show();
    this.ended = this.loop();
  }

  get label(): string {
    return scopeLabel({ sources: [this.source] });
  }

  /** Polls finished so far. */
  get polls(): number {
    return this.pollCount;
  }

  get lastPoll(): number | undefined {
    return this.lastPollAt;
  }

  /** Why the last poll failed, until one succeeds. */
  get lastFailure(): string | undefined {
    return this.failure;
  }

  /** The status bar text (for the host tests). */
  get statusText(): string {
    return this.status.text;
  }

  private showStatus(state: 'starting' | 'polled' | 'retrying'): void {
    const label = uiText(this.label);
    this.status.text = state === 'retrying' ? `$(warning) Watching ${label}` : `$(eye) Watching ${label}`;
    const last = this.lastPollAt === undefined ? 'no poll yet' : `last poll ${clockTime(this.lastPollAt)}`;
    this.status.tooltip = uiText(`Audit Lens is watching ${this.source} (${last}${state === 'retrying' ? '; the last poll failed, see the Audit Lens output' : ''}). Click to stop watching.`);
  }

  private target(): WatchTarget {
    const { settings } = this.options.services;
    const dist = vscode.Uri.joinPath(this.options.extensionUri, 'dist');
    return {
      sources: [this.source],
      filter: {},
      ...(settings.gcsEndpoint ? { gcsEndpoint: settings.gcsEndpoint } : {}),
      gcs: { idleTimeoutMs: settings.gcsTimeout * 1000 },
      detections: this.library.detections,
      scanCacheDirectory: defaultScanCacheDirectory(),
      session: { workerPath: vscode.Uri.joinPath(dist, QUERY_WORKER_FILE).fsPath, wasmPath: vscode.Uri.joinPath(dist, 'sql-wasm.wasm').fsPath, maxRows: settings.rowBudget },
    };
  }

  private async loop(): Promise<void> {
    const { services } = this.options;
    const signal = this.controller.signal;
    const target = this.target();
    const stateDirectory = this.options.stateDirectory ?? path.join(defaultScanCacheDirectory(), 'watch');
    let watcher: Watcher | undefined;
    services.log.info(`watch: ${this.source}: ${this.library.detections.length} detections, every ${duration(this.options.interval())}`);
    try {
      await runPolls<PollResult>({
        intervalMs: this.options.interval(),
        interval: this.options.interval,
        signal,
        poll: async () => {
          const first = watcher === undefined;
          watcher ??= await Watcher.open(target, new WatchState(stateDirectory, watchIdentity(target, EDITOR_WATCH_PREFIX)));
          // The first poll loads every newest file, so the view shows what is there; findings said before stay unsaid.
          return watcher.poll({ signal, everything: first });
        },
        onPolled: (result) => this.polled(result),
        onFailed: (failure, wait) => this.failed(failure, wait),
      });
    } catch (error) {
      if (signal.aborted) return;
      services.reportError(error, `Watch ${this.label}`);
      this.options.onEnded?.();
    }
  }

  private polled(result: PollResult): void {
    if (this.controller.signal.aborted) return;
    const { services, findings } = this.options;
    this.lastPollAt = Date.now();
    this.pollCount++;
    this.failure = undefined;
    this.view.add(result);
    findings.show(this.result(this.lastPollAt));
    this.showStatus('polled');
    services.log.info(`watch: ${this.source}: ${result.files} new or rewritten files, ${result.findings.length} new findings`);
    if (result.summary && result.summary.filesFailed > 0) services.log.warn(`watch: ${this.source}: ${result.summary.filesFailed} files could not be read; the next poll tries them again`);
    const news = this.view.highNews(result);
    if (news) this.notify(news);
  }

  private result(lastPoll: number): FindingsResult {
    const result = this.view.result(lastPoll);
    return this.library.notes.length > 0 ? { ...result, libraryNotes: this.library.notes } : result;
  }

  private failed(failure: AuditLensError, wait: number): void {
    this.failure = failure.userMessage;
    this.options.services.log.warn(`watch: ${this.source}: the poll failed: ${failure.userMessage}${failure.detail ? ` (${failure.detail})` : ''}; trying again in ${duration(wait)}`);
    this.showStatus('retrying');
  }

  /** A notification naming how many and which detections, never a log's text; "Show" focuses the rows. */
  private notify(news: HighNews): void {
    this.latestNews = news;
    const titles = news.titles.length > 3 ? `${news.titles.slice(0, 3).join(', ')} and ${news.titles.length - 3} more` : news.titles.join(', ');
    void safeWindow.showWarningMessage(`Audit Lens: ${plural(news.count, 'new high-severity finding')} in ${this.label}: ${titles}`, SHOW_ACTION).then((choice) => {
      if (choice === SHOW_ACTION) return this.showNews(news);
      return undefined;
    });
  }

  /** What "Show" does: the watch's findings in the view, focused on the rows of the news (the latest by default). */
  async showNews(news = this.latestNews): Promise<void> {
    if (!news || this.isDisposed) return;
    const { findings } = this.options;
    if (this.lastPollAt !== undefined) findings.show(this.result(this.lastPollAt));
    await findings.reveal(news.places);
  }

  /** The high-severity findings last notified about. */
  get news(): HighNews | undefined {
    return this.latestNews;
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.options.services.log.info(`watch: ${this.source}: stopped`);
    super.dispose();
  }
}
