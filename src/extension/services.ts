/** What every surface of the extension shares: the log, the settings and the opened sources. */
import * as vscode from 'vscode';
import { AuditLensError } from '../core/errors';
import { ScanClient, type SourceDescriptor } from '../worker/scan/client';
import { SCAN_WORKER_FILE } from '../worker/entries';
import { openSource, type AuditSource } from '../core/sources';
import { UserPrompts } from './prompts';
import { onSettingsChanged, readSettings, type AuditLensSettings } from './settings';
import { safeWindow, visibleBidiLog } from './untrustedText';
import { DisposableBase } from './disposable';

export class SourceRegistry implements vscode.Disposable {
  private readonly opened = new Map<string, Promise<AuditSource>>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly settings: () => AuditLensSettings) {}

  /** The configured source URIs, in the settings' order. */
  uris(): string[] {
    return this.settings().sources;
  }

  /** How to open the source behind a URI elsewhere (the scan worker), with the same settings as open(). */
  descriptor(uri: string): SourceDescriptor {
    const settings = this.settings();
    return { uri, gcsEndpoint: settings.gcsEndpoint, gcs: { listConcurrency: settings.downloadConcurrency, idleTimeoutMs: settings.gcsTimeout * 1000 } };
  }

  /** Opens (once) the source behind a URI; a gs:// source uses the configured endpoint. */
  open(uri: string): Promise<AuditSource> {
    const { gcsEndpoint, gcs } = this.descriptor(uri);
    const key = `${uri}\u0000${gcsEndpoint ?? ''}`;
    let source = this.opened.get(key);
    if (!source) {
      source = openSource(uri, { gcsEndpoint, gcs });
      source.catch(() => this.opened.delete(key));
      this.opened.set(key, source);
    }
    return source;
  }

  /** Forgets opened sources, so the next open() sees new settings. */
  reset(): void {
    this.opened.clear();
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export class ExtensionServices extends DisposableBase {
  readonly log: vscode.LogOutputChannel;
  readonly sources: SourceRegistry;
  /** Input boxes and file dialogs: always ask through these, so tests can answer them. */
  readonly prompts = new UserPrompts();
  /** Scans and validates files in a worker thread, started on first use. */
  readonly scans: ScanClient;
  private current: AuditLensSettings;

  constructor(readonly context: vscode.ExtensionContext) {
    super();
    this.log = visibleBidiLog(this.register(vscode.window.createOutputChannel('Audit Lens', { log: true })));
    this.current = readSettings();
    this.sources = this.register(new SourceRegistry(() => this.current));
    this.scans = new ScanClient({ workerPath: vscode.Uri.joinPath(context.extensionUri, 'dist', SCAN_WORKER_FILE).fsPath });
    this.register({ dispose: () => void this.scans.dispose() });
    this.register(
      onSettingsChanged(() => {
        this.current = readSettings();
        this.log.info(`settings changed: ${this.current.sources.length} source(s)`);
        this.sources.reset();
      }),
    );
  }

  get settings(): AuditLensSettings {
    return this.current;
  }

  /** Logs an error with its detail and shows its user message. */
  reportError(error: unknown, context: string): void {
    const e = AuditLensError.from(error);
    if (e.code === 'cancelled') {
      this.log.info(`${context}: cancelled`);
      return;
    }
    this.log.error(`${context}: ${e.userMessage}${e.detail ? `\n${e.detail}` : ''}`);
    void safeWindow.showErrorMessage(`${context}: ${e.userMessage}`, 'Show Log').then((choice) => {
      if (choice) this.log.show();
    });
  }
}
