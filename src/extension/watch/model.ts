/**
 * What a watch in the editor shows, as plain data: the findings of every poll merged into one
 * Findings view result (each finding once, by its key), and which of a poll's new findings are
 * high-severity, to notify about. No VS Code: tested on its own.
 */
import type { DetectionRun } from '../../core/analyses';
import { findingKey } from '../../core/watch';
import type { NotebookScope } from '../../shared/notebook/format';
import type { PollResult } from '../../worker/watch';
import { ROWS_PER_DETECTION } from '../findings/runner';
import type { FindingsResult } from '../findings/model';

/** A row of the Findings view: the detection and the row's place under it. */
export interface FindingPlace {
  detectionId: string;
  /** Undefined when the row is past what the view keeps (the detection is shown instead). */
  index: number | undefined;
}

/** The high-severity findings a poll said, to notify about. */
export interface HighNews {
  count: number;
  /** Titles of their detections, each once, in the order said. */
  titles: string[];
  places: FindingPlace[];
}

interface Merged {
  run: DetectionRun;
  /** Keys of the rows kept, in their order. */
  keys: string[];
  /** Keys of every finding seen, kept or not. */
  seen: Set<string>;
  /** Findings past the rows kept. */
  more: number;
}

export class WatchFindings {
  private readonly merged = new Map<string, Merged>();
  private readonly loadedFiles = new Set<string>();
  private from: string | undefined;
  private to: string | undefined;
  private records = 0;
  private unreadable = 0;
  private skipped: string[] = [];
  private asOf = 0;
  private polled = false;

  constructor(
    readonly source: string,
    private readonly rowsKept = ROWS_PER_DETECTION,
  ) {}

  /** Adds a poll's runs (a poll that loaded nothing changes only the time of the last poll). */
  add(poll: PollResult): void {
    this.polled = true;
    if (!poll.summary || !poll.filter) return;
    this.records = poll.summary.recordsLoaded;
    this.unreadable = poll.summary.filesFailed;
    this.skipped = poll.summary.problems.filter((p) => p.line === 0).map((p) => `${p.file}: ${p.reason}`);
    for (const file of poll.summary.loadedFiles) this.loadedFiles.add(file);
    if (poll.filter.from && (!this.from || poll.filter.from < this.from)) this.from = poll.filter.from;
    if (poll.filter.to && (!this.to || poll.filter.to > this.to)) this.to = poll.filter.to;
    this.asOf = poll.asOf ?? this.asOf;
    for (const { detection, result } of poll.runs) {
      const entry = this.merged.get(detection.id) ?? { run: { detection, result: { ...result, rows: [], rowCount: 0, truncated: false } }, keys: [], seen: new Set<string>(), more: 0 };
      this.merged.set(detection.id, entry);
      const rows = [...entry.run.result.rows];
      for (const row of result.rows) {
        const key = findingKey(detection.id, result.columns, row);
        if (entry.seen.has(key)) continue;
        entry.seen.add(key);
        if (rows.length < this.rowsKept) {
          rows.push(row);
          entry.keys.push(key);
        } else {
          entry.more++;
        }
      }
      entry.run = { detection, result: { columns: result.columns, columnKinds: result.columnKinds, rows, rowCount: rows.length + entry.more + (result.rowCount - result.rows.length), truncated: entry.more > 0 || result.truncated } };
    }
  }

  /** Where a finding sits in the view. */
  place(detectionId: string, key: string): FindingPlace {
    const index = this.merged.get(detectionId)?.keys.indexOf(key) ?? -1;
    return { detectionId, index: index >= 0 ? index : undefined };
  }

  /** The high-severity findings among those a poll said (after `add`), or undefined when none. */
  highNews(poll: PollResult): HighNews | undefined {
    const high = poll.findings.filter((f) => f.detection.severity === 'high');
    if (high.length === 0) return undefined;
    return { count: high.length, titles: [...new Set(high.map((f) => f.detection.title))], places: high.map((f) => this.place(f.detection.id, f.key)) };
  }

  /** The Findings view's result: every finding the watch has seen, over the dates it loaded. */
  result(lastPoll: number): FindingsResult {
    const scope: NotebookScope = { sources: [this.source], ...(this.from ? { from: this.from } : {}), ...(this.to ? { to: this.to } : {}) };
    return {
      scope,
      runs: [...this.merged.values()].map((m) => m.run),
      records: this.records,
      loadedFiles: new Set(this.loadedFiles),
      asOf: { choice: { kind: 'scope-end' }, at: this.asOf },
      unreadableFiles: this.unreadable,
      skippedFiles: this.skipped,
      noLogs: this.polled && this.merged.size === 0 && this.loadedFiles.size === 0,
      watching: { source: this.source, lastPoll },
    };
  }
}
