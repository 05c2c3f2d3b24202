/** Measures a scope's coverage: reads every selected file once and assembles the report. */
import { AuditLensError, throwIfCancelled } from '../errors';
import type { PartitionFilter } from '../layout';
import type { WorkOptions } from '../progress';
import { mapWithConcurrency } from '../scan/concurrency';
import type { GcsTimeouts } from '../sources';
import { describeOverlap } from '../sources/overlap';
import { describeSkipped, type Skipped } from '../sources/skipped';
import { listRequestFiles } from '../sql/loader';
import { DEFAULT_MIN_NEIGHBOUR_EVENTS, findGaps } from './gaps';
import { parseIdentityKey, readFileCoverage, type FileCoverage } from './read';
import { CoverageState, type SeenFile, type SeenFiles } from './state';
import type { CoverageReport, DuplicateDay, DuplicateExample, HourCount, LateFile, RewrittenFile, WorkspaceCoverage } from './types';

export const DEFAULT_LATE_AFTER_MINUTES = 120;
const MAX_EXAMPLES = 10;
/** Errors that lose one file, not the run (as for a load). */
const FILE_ERRORS: ReadonlySet<string> = new Set(['not-found', 'permission-denied', 'network']);

export interface CoverageRequest {
  sources: string[];
  filter?: PartitionFilter;
  gcsEndpoint?: string;
  gcs?: GcsTimeouts;
  /** Where what was seen of each file is kept between runs: with it, rewritten files are found. */
  stateDirectory?: string;
  minNeighbourEvents?: number;
  lateAfterMinutes?: number;
  concurrency?: number;
}

export interface CoverageWorkOptions extends WorkOptions {
  /** Told of each file read, as it is read (the editor keeps which files hold which hours). */
  onFileRead?: (coverage: FileCoverage) => void;
}

export async function measureCoverage(request: CoverageRequest, options: CoverageWorkOptions = {}): Promise<CoverageReport & { listingNotes: string[] }> {
  const { signal, onProgress } = options;
  const passedOver: Skipped[] = [];
  onProgress?.({ message: 'Listing files…' });
  const { selected, overlapping } = await listRequestFiles(request, { signal, onSkipped: (s) => passedOver.push(s) });
  const state = request.stateDirectory ? new CoverageState(request.stateDirectory) : undefined;
  const seenBySource = new Map<string, SeenFiles>();
  if (state) for (const sourceUri of new Set(selected.map((s) => s.file.sourceUri))) seenBySource.set(sourceUri, await state.read(sourceUri));
  const total = selected.reduce((sum, s) => sum + s.file.size, 0);
  let done = 0;
  const unreadable: { file: string; reason: string }[] = [];
  const read = await mapWithConcurrency(
    selected,
    async ({ source, file }): Promise<FileCoverage | undefined> => {
      const before = seenBySource.get(file.sourceUri)?.[file.uri];
      const changed = before !== undefined && before.version !== file.version;
      try {
        const coverage = await readFileCoverage(source, file, { signal, ...(changed ? { prefixBytes: before.bytes } : {}) });
        options.onFileRead?.(coverage);
        return coverage;
      } catch (error) {
        const failure = AuditLensError.from(error, 'data');
        if (!FILE_ERRORS.has(failure.code)) throw failure;
        unreadable.push({ file: file.uri, reason: failure.userMessage });
        return undefined;
      } finally {
        done += file.size;
        onProgress?.({ message: `Reading ${file.relativePath}`, done, total, unit: 'bytes' });
      }
    },
    { concurrency: request.concurrency ?? 4, signal },
  );
  throwIfCancelled(signal);
  const files = read.filter((r): r is FileCoverage => r !== undefined);
  const report = assemble(files, seenBySource, request);
  if (state) {
    for (const coverage of files) {
      const seen = seenBySource.get(coverage.file.sourceUri)!;
      seen[coverage.file.uri] = { version: coverage.file.version, lines: coverage.lines, bytes: coverage.bytes, sha256: coverage.sha256 } satisfies SeenFile;
    }
    for (const [sourceUri, seen] of seenBySource) await state.write(sourceUri, seen);
  }
  return { ...report, files: selected.length, unreadable, listingNotes: [...describeSkipped(passedOver), ...describeOverlap(overlapping)] };
}

function assemble(files: readonly FileCoverage[], seenBySource: ReadonlyMap<string, SeenFiles>, request: CoverageRequest): Omit<CoverageReport, 'files' | 'unreadable'> {
  const minNeighbourEvents = request.minNeighbourEvents ?? DEFAULT_MIN_NEIGHBOUR_EVENTS;
  const lateAfterMinutes = request.lateAfterMinutes ?? DEFAULT_LATE_AFTER_MINUTES;
  const byWorkspace = new Map<string, { files: number; hours: Map<number, HourCount & { start: number }> }>();
  let scopeEnd = -Infinity;
  for (const coverage of files) {
    const workspace = byWorkspace.get(coverage.file.workspaceId) ?? { files: 0, hours: new Map() };
    byWorkspace.set(coverage.file.workspaceId, workspace);
    workspace.files++;
    for (const [start, tally] of coverage.hours) {
      scopeEnd = Math.max(scopeEnd, start);
      const hour = workspace.hours.get(start);
      if (hour) {
        hour.events += tally.events;
        hour.files++;
        hour.first = Math.min(hour.first, tally.first);
        hour.last = Math.max(hour.last, tally.last);
      } else {
        workspace.hours.set(start, { start, hour: new Date(start).toISOString(), events: tally.events, files: 1, first: tally.first, last: tally.last });
      }
    }
  }
  const workspaces: WorkspaceCoverage[] = [...byWorkspace]
    .sort(([a], [b]) => (a.length - b.length) || (a < b ? -1 : a > b ? 1 : 0))
    .map(([workspaceId, { files: fileCount, hours }]) => {
      const ordered = [...hours.values()].sort((a, b) => a.start - b.start);
      const { gaps, stopped } = findGaps(new Map(ordered.map((h) => [h.start, h.events])), scopeEnd, minNeighbourEvents);
      return {
        workspaceId,
        events: ordered.reduce((sum, h) => sum + h.events, 0),
        files: fileCount,
        first: ordered[0]?.first ?? null,
        last: ordered.at(-1)?.last ?? null,
        hours: ordered.map(({ start: _start, ...hour }) => hour),
        gaps,
        stopped,
      };
    });
  return {
    sources: request.sources,
    gapRule: { minNeighbourEvents },
    lateAfterMinutes,
    workspaces,
    duplicates: findDuplicates(files),
    ...findLate(files, lateAfterMinutes),
    rewritten: findRewritten(files, seenBySource),
    rejectedLines: files.reduce((sum, f) => sum + f.rejected, 0),
  };
}

/**
 * The same event in two places: every copy after the first counts; the first few are shown with
 * where they are; and each duplicated event counts once for each workspace holding a copy, on the
 * UTC day it happened (what the heatmap marks).
 */
function findDuplicates(files: readonly FileCoverage[]): CoverageReport['duplicates'] {
  const firstPlace = new Map<string, number>();
  const examples = new Map<string, string[]>();
  const copiedIn = new Map<string, Set<string>>();
  const place = (fileIndex: number, line: number) => `${files[fileIndex]!.file.uri}:${line}`;
  let events = 0;
  files.forEach((coverage, fileIndex) => {
    for (const { key, line } of coverage.identities) {
      const first = firstPlace.get(key);
      if (first === undefined) {
        firstPlace.set(key, fileIndex * 2 ** 32 + line);
        continue;
      }
      events++;
      const firstFile = Math.floor(first / 2 ** 32);
      const workspaces = copiedIn.get(key) ?? new Set([files[firstFile]!.file.workspaceId]);
      copiedIn.set(key, workspaces.add(coverage.file.workspaceId));
      const places = examples.get(key);
      if (places) places.push(place(fileIndex, line));
      else if (examples.size < MAX_EXAMPLES) examples.set(key, [place(firstFile, first % 2 ** 32), place(fileIndex, line)]);
    }
  });
  const shown: DuplicateExample[] = [...examples].map(([key, places]) => ({ ...parseIdentityKey(key), places }));
  return { events, examples: shown, days: duplicateDays(copiedIn) };
}

function duplicateDays(copiedIn: ReadonlyMap<string, ReadonlySet<string>>): DuplicateDay[] {
  const cells = new Map<string, DuplicateDay>();
  for (const [key, workspaces] of copiedIn) {
    const date = new Date(parseIdentityKey(key).timestamp).toISOString().slice(0, 10);
    for (const workspaceId of workspaces) {
      const cellKey = `${workspaceId}|${date}`;
      const cell = cells.get(cellKey) ?? { workspaceId, date, events: 0 };
      cell.events++;
      cells.set(cellKey, cell);
    }
  }
  return [...cells.values()].sort((a, b) => (a.workspaceId === b.workspaceId ? (a.date < b.date ? -1 : 1) : a.workspaceId < b.workspaceId ? -1 : 1));
}

/** Fewest files of a source, all late, for their write times to be taken as a copy's rather than the delivery's. */
const COPY_MIN_FILES = 3;

/**
 * Files written long after their newest event. When every file of a source is late (a folder
 * copied from the bucket, a bucket copied from another), the write times are the copy's, not the
 * delivery's: that source is noted instead of listing every file.
 */
function findLate(files: readonly FileCoverage[], lateAfterMinutes: number): { late: LateFile[]; lateNotes: string[] } {
  const bySource = new Map<string, { timed: number; late: LateFile[] }>();
  for (const { file, newestEvent, events } of files) {
    if (file.updated === undefined || newestEvent === null) continue;
    const source = bySource.get(file.sourceUri) ?? { timed: 0, late: [] };
    bySource.set(file.sourceUri, source);
    source.timed++;
    const delayMinutes = Math.floor((file.updated - newestEvent) / 60_000);
    if (delayMinutes > lateAfterMinutes) source.late.push({ file: file.uri, workspaceId: file.workspaceId, written: file.updated, newestEvent, delayMinutes, events });
  }
  const late: LateFile[] = [];
  const lateNotes: string[] = [];
  for (const [sourceUri, { timed, late: ofSource }] of bySource) {
    if (timed >= COPY_MIN_FILES && ofSource.length === timed) {
      lateNotes.push(`every one of the ${timed} files of ${sourceUri} was written more than ${lateAfterMinutes} minutes after its newest event: their times look like a copy's, not the delivery's, so late deliveries cannot be judged there`);
    } else {
      late.push(...ofSource);
    }
  }
  return { late: late.sort((a, b) => b.delayMinutes - a.delayMinutes), lateNotes };
}

function findRewritten(files: readonly FileCoverage[], seenBySource: ReadonlyMap<string, SeenFiles>): RewrittenFile[] {
  const rewritten: RewrittenFile[] = [];
  for (const coverage of files) {
    const before = seenBySource.get(coverage.file.sourceUri)?.[coverage.file.uri];
    if (!before || before.version === coverage.file.version) continue;
    const appendOnly = coverage.prefixSha256 === before.sha256 && coverage.bytes >= before.bytes;
    rewritten.push({
      file: coverage.file.uri,
      before: { version: before.version, lines: before.lines, bytes: before.bytes },
      after: { version: coverage.file.version, lines: coverage.lines, bytes: coverage.bytes },
      appendOnly,
      linesAdded: Math.max(0, coverage.lines - before.lines),
      // A rewrite that is not an append changed or dropped old lines: at least one, or the count that went.
      linesRemoved: appendOnly ? 0 : Math.max(1, before.lines - coverage.lines),
    });
  }
  return rewritten;
}

