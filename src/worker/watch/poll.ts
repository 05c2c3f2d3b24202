/**
 * One poll of a watch, shared by `audit-lens watch` and the editor's "Watch This Source": list
 * the newest partitions, load those whose files are new or rewritten into a query session with
 * the detections' pushdown, run the detections, and hand on each finding not said before. What
 * was seen and said is kept in the watch's state, so a restart says nothing twice.
 */
import { detectionPushdown, runDetections, type Detection, type DetectionRun } from '../../core/analyses';
import type { PartitionFilter } from '../../core/layout';
import { openSource, type AuditFile, type GcsTimeouts } from '../../core/sources';
import { fileIdentity, listedFileIdentity } from '../../core/sources/overlap';
import type { LoadSummary } from '../../core/sql/loader';
import { findingKey, newestFiles, type WatchMemory, type WatchState } from '../../core/watch';
import { QuerySession, type QuerySessionOptions } from '../query/client';

/** Rows one detection may give in one poll; more are said on the next polls, never twice. */
export const ROWS_PER_POLL = 10_000;

/** What a watch polls and runs. */
export interface WatchTarget {
  sources: string[];
  filter: PartitionFilter;
  gcsEndpoint?: string;
  gcs?: GcsTimeouts;
  detections: readonly Detection[];
  /** Every "now" of the detections at the wall clock, instead of 24:00 UTC of the newest date polled. */
  asOfNow?: boolean;
  /** The tree's scan cache, whose line indexes spare reading whole files. */
  scanCacheDirectory?: string;
  /** The query session's thread, wasm and row budget. */
  session?: QuerySessionOptions;
  rowsPerPoll?: number;
}

/** The state key of a watch: its sources, filter and detections (the editor's are prefixed so they never share the CLI's). */
export function watchIdentity(target: Pick<WatchTarget, 'sources' | 'filter' | 'detections'>, prefix = ''): string {
  return `${prefix}${JSON.stringify({ sources: target.sources.map(fileIdentity).sort(), filter: target.filter, detections: target.detections.map((d) => [d.id, d.pack ?? '', d.sql]) })}`;
}

/** A finding no earlier poll said. */
export interface NewFinding {
  key: string;
  detection: Detection;
  columns: string[];
  row: unknown[];
  /** The instant (epoch ms) the detections' "now" answered at. */
  asOf: number;
}

export interface PollResult {
  /** Files new or rewritten since the last poll (0: nothing was loaded or run). */
  files: number;
  /** The findings said in this poll, in the order they were said. */
  findings: NewFinding[];
  /** Every detection's result over the partitions loaded (empty when nothing changed). */
  runs: DetectionRun[];
  /** The partitions loaded, when any were. */
  filter?: PartitionFilter;
  asOf?: number;
  summary?: LoadSummary;
}

export interface PollOptions {
  signal?: AbortSignal;
  /** Load every newest file, changed or not (a watch that starts and must show what is there); findings said before stay unsaid. */
  everything?: boolean;
  /** Says one finding; once it resolves the finding counts as said, even if the poll fails later. */
  onFinding?: (finding: NewFinding) => Promise<void> | void;
}

export class Watcher {
  private readonly alerted: Set<string>;

  private constructor(
    readonly target: WatchTarget,
    private readonly state: WatchState,
    private readonly memory: WatchMemory,
  ) {
    this.alerted = new Set(memory.alerted);
  }

  /** A watcher with the memory its state file holds (empty the first time). */
  static async open(target: WatchTarget, state: WatchState): Promise<Watcher> {
    return new Watcher(target, state, await state.read());
  }

  /** Lists the newest partitions of every source, each file once. */
  private async listNewest(signal?: AbortSignal): Promise<AuditFile[]> {
    const { target } = this;
    const seen = new Set<string>();
    const files: AuditFile[] = [];
    for (const uri of target.sources) {
      const source = await openSource(uri, { ...(target.gcsEndpoint ? { gcsEndpoint: target.gcsEndpoint } : {}), ...(target.gcs ? { gcs: target.gcs } : {}) });
      for (const file of await newestFiles(source, target.filter, signal ? { signal } : {})) {
        const identity = listedFileIdentity(file);
        if (seen.has(identity)) continue;
        seen.add(identity);
        files.push(file);
      }
    }
    return files;
  }

  async poll(options: PollOptions = {}): Promise<PollResult> {
    const { target } = this;
    const { signal } = options;
    const files = await this.listNewest(signal);
    const changed = files.filter((f) => this.memory.files[f.uri] !== f.version);
    const loading = options.everything ? files : changed;
    if (loading.length === 0) return { files: 0, findings: [], runs: [] };
    const dates = loading.map((f) => f.date).sort();
    const filter: PartitionFilter = { from: dates[0], to: dates.at(-1), workspaces: [...new Set(loading.map((f) => f.workspaceId))] };
    const session = await QuerySession.open(target.session ?? {});
    const findings: NewFinding[] = [];
    try {
      const summary = await session.load(
        {
          sources: target.sources,
          filter,
          ...(target.gcsEndpoint ? { gcsEndpoint: target.gcsEndpoint } : {}),
          ...(target.gcs ? { gcs: target.gcs } : {}),
          ...(target.scanCacheDirectory ? { scanCacheDirectory: target.scanCacheDirectory } : {}),
          ...detectionPushdown(target.detections),
        },
        signal ? { signal } : {},
      );
      const asOf = target.asOfNow ? Date.now() : Date.parse(`${filter.to}T00:00:00Z`) + 86_400_000;
      const runs = await runDetections(target.detections, (sql, o) => session.query(sql, { ...o, asOf }), { maxRows: target.rowsPerPoll ?? ROWS_PER_POLL, ...(signal ? { signal } : {}) });
      for (const { detection, result } of runs) {
        for (const row of result.rows) {
          const key = findingKey(detection.id, result.columns, row);
          if (this.alerted.has(key)) continue;
          const finding: NewFinding = { key, detection, columns: result.columns, row, asOf };
          await options.onFinding?.(finding);
          this.alerted.add(key);
          this.memory.alerted.push(key);
          findings.push(finding);
        }
      }
      // Files that could not be read are not marked: the next poll tries them again.
      const loaded = new Set(summary.loadedFiles);
      for (const file of changed) if (loaded.has(file.uri)) this.memory.files[file.uri] = file.version;
      return { files: changed.length, findings, runs, filter, asOf, summary };
    } finally {
      await session.dispose();
      // Said findings are remembered even when the poll failed after saying some.
      await this.state.write(this.memory);
    }
  }
}
