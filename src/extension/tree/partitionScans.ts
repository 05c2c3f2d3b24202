/** Scans the files of a partition (one workspace, one date) for the tree's counts, through the on-disk scan cache. */
import * as vscode from 'vscode';
import { mergeScans, type FileScan } from '../../core/scan';
import type { AuditFile, AuditSource } from '../../core/sources';
import type { Skipped } from '../../core/sources/skipped';
import type { ExtensionServices } from '../services';
import { safeWindow } from '../untrustedText';
import { SOURCES_VIEW } from '../commands/ids';

export interface PartitionScan {
  files: AuditFile[];
  /** Each file's own counts, so an action can open the file that holds it. */
  perFile: { file: AuditFile; scan: FileScan }[];
  scan: FileScan;
  /** Files that vanished or changed while being read. */
  skipped: number;
  /** What the partition's listing passed over: links to nothing, pipes, files not named auditlogs_*.json, … */
  passedOver: Skipped[];
}

/** Above this many bytes to read, a scan shows a cancellable notification instead of the view's progress bar. */
const NOTIFY_ABOVE_BYTES = 16 * 1024 * 1024;

export class PartitionScanner {
  private readonly results = new Map<string, PartitionScan>();
  private readonly running = new Map<string, Promise<PartitionScan>>();

  constructor(
    private readonly services: ExtensionServices,
    private readonly cacheDirectory: string,
  ) {}

  static key(sourceUri: string, workspaceId: string, date: string): string {
    return `${sourceUri}|${workspaceId}|${date}`;
  }

  /** The last scan of a partition, if it was scanned in this session. */
  peek(sourceUri: string, workspaceId: string, date: string): PartitionScan | undefined {
    return this.results.get(PartitionScanner.key(sourceUri, workspaceId, date));
  }

  /** Forgets scans of this session (the on-disk cache stays: it is keyed by file version). */
  forget(prefix: string): void {
    for (const key of [...this.results.keys()]) if (key.startsWith(prefix)) this.results.delete(key);
  }

  scan(source: AuditSource, workspaceId: string, date: string): Promise<PartitionScan> {
    const key = PartitionScanner.key(source.uri, workspaceId, date);
    const done = this.results.get(key);
    if (done) return Promise.resolve(done);
    let running = this.running.get(key);
    if (!running) {
      running = this.run(source, workspaceId, date).finally(() => this.running.delete(key));
      this.running.set(key, running);
    }
    return running;
  }

  private async run(source: AuditSource, workspaceId: string, date: string): Promise<PartitionScan> {
    const passedOver: Skipped[] = [];
    const files = await source.listPartitionFiles(workspaceId, date, { onSkipped: (s) => passedOver.push(s) });
    const bytes = files.reduce((sum, f) => sum + f.size, 0);
    const title = `Scanning ${workspaceId === '0' ? 'account level' : `workspace ${workspaceId}`}, ${date}`;
    const location: vscode.ProgressOptions['location'] =
      bytes > NOTIFY_ABOVE_BYTES ? vscode.ProgressLocation.Notification : { viewId: SOURCES_VIEW };
    const result = await safeWindow.withProgress({ location, title, cancellable: true }, async (progress, token) => {
      const controller = new AbortController();
      const subscription = token.onCancellationRequested(() => controller.abort());
      try {
        let last = 0;
        // In the scan worker: reading and validating every line would block the extension host.
        return await this.services.scans.scanFiles(this.services.sources.descriptor(source.uri), files, {
          cacheDirectory: this.cacheDirectory,
          concurrency: this.services.settings.downloadConcurrency,
          signal: controller.signal,
          onProgress: (update) => {
            if (update.done === undefined || !update.total) return;
            const increment = ((update.done - last) / update.total) * 100;
            last = update.done;
            progress.report({ message: update.message, increment });
          },
        });
      } finally {
        subscription.dispose();
      }
    });
    for (const skipped of result.skipped) {
      this.services.log.warn(`skipped ${skipped.file.uri}: ${skipped.error.userMessage}`);
    }
    const scanned = result.scanned.filter((s) => !s.cached).length;
    this.services.log.info(`${title}: ${files.length} file(s), ${scanned} read, ${files.length - scanned - result.skipped.length} from cache`);
    const partition: PartitionScan = {
      files: result.scanned.map((s) => s.file),
      perFile: result.scanned.map(({ file, scan }) => ({ file, scan })),
      scan: mergeScans(result.scanned.map((s) => s.scan)),
      skipped: result.skipped.length,
      passedOver,
    };
    this.results.set(PartitionScanner.key(source.uri, workspaceId, date), partition);
    return partition;
  }
}

