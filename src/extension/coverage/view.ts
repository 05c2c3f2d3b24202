/**
 * Turns a coverage run into what the heatmap page shows (workspaces × UTC days, each day's 24
 * hours, gaps and duplicates placed on their cells, the summary and its rules), and finds the
 * files the pass read behind a cell. Pure, so it is tested without VS Code.
 */
import type { CoverageReport, Gap } from '../../core/coverage';
import type { CoverageCellRef, CoverageDay, CoverageRow, CoverageRules, CoverageView } from '../../protocol/coverage';
import type { CoverageFileHours, CoverageRun } from '../../worker/coverage/client';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** The most day columns shown: past it, the newest ones. */
export const MAX_DAYS = 366;
/** Files named one by one in the notes at most, per kind. */
const LISTED = 5;

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const dayStart = (date: string) => Date.parse(`${date}T00:00:00Z`);
const hourText = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

export function coverageRules(report: Pick<CoverageReport, 'gapRule' | 'lateAfterMinutes'>): CoverageRules {
  const n = report.gapRule.minNeighbourEvents;
  return {
    gaps: `A gap is a run of hours without events whose neighbour hours (the one just before and the one just after) each hold at least ${n} events.`,
    stopped: `Delivery may have stopped: a workspace silent from an hour of at least ${n} events to the last hour any workspace has events.`,
    late: `Late: a file written (GCS update time, or the file's modification time) more than ${report.lateAfterMinutes} minutes after its newest event.`,
    rewritten: 'Rewritten: a file whose version changed since the last coverage run from the editor; appending lines is how Databricks re-delivers, changing or removing old lines is not.',
    duplicates: 'Duplicate: the same event (requestId, timestamp, serviceName and actionName) in two places.',
  };
}

export function describeGap(gap: Gap): string {
  const span = `${hourText(gap.from)} to ${hourText(gap.to)} UTC (${plural(gap.hours, 'hour')})`;
  return gap.after === null
    ? `No events from ${span}, the end of the scope, after an hour of ${plural(gap.before, 'event')}: delivery may have stopped`
    : `No events from ${span}, between an hour of ${plural(gap.before, 'event')} and one of ${plural(gap.after, 'event')}`;
}

/** Every day from `first` to `last`, ascending; the newest `MAX_DAYS` when there are more. */
function dayColumns(first: string, last: string): { days: string[]; leftOut: number } {
  const days: string[] = [];
  for (let t = dayStart(first); t <= dayStart(last); t += DAY_MS) days.push(dayOf(t));
  const leftOut = Math.max(0, days.length - MAX_DAYS);
  return { days: days.slice(leftOut), leftOut };
}

/** A file as the notes name it: below its source when the pass read one source (the page says which), else whole. */
function shortener(sources: readonly string[]): (file: string) => string {
  const only = sources.length === 1 ? sources[0]!.replace(/[\\/]+$/, '') : undefined;
  return (file) => (only !== undefined && file.length > only.length + 1 && file.startsWith(only) && /[\\/]/.test(file[only.length]!) ? file.slice(only.length + 1) : file);
}

export function buildCoverageView(run: CoverageRun, scope: { from?: string; to?: string } = {}): CoverageView {
  const { report } = run;
  const short = shortener(report.sources);
  const eventDays = report.workspaces.flatMap((w) => w.hours.map((h) => h.hour.slice(0, 10))).sort();
  const first = scope.from ?? eventDays[0];
  const last = scope.to ?? eventDays.at(-1);
  const { days, leftOut } = first !== undefined && last !== undefined && first <= last ? dayColumns(first, last) : { days: [], leftOut: 0 };
  const column = new Map(days.map((d, i) => [d, i]));

  const filesPerDay = new Map<string, number>();
  for (const file of run.files) {
    for (const date of new Set(file.hours.map(dayOf))) filesPerDay.set(`${file.workspaceId}|${date}`, (filesPerDay.get(`${file.workspaceId}|${date}`) ?? 0) + 1);
  }
  const duplicatesPerDay = new Map(run.report.duplicates.days.map((d) => [`${d.workspaceId}|${d.date}`, d.events]));

  const rows: CoverageRow[] = report.workspaces.map((w) => {
    const cells: CoverageDay[] = days.map((date) => ({
      date,
      events: 0,
      files: filesPerDay.get(`${w.workspaceId}|${date}`) ?? 0,
      hours: new Array<number>(24).fill(0),
      hourFiles: new Array<number>(24).fill(0),
      gapHours: [],
      gaps: [],
      duplicates: duplicatesPerDay.get(`${w.workspaceId}|${date}`) ?? 0,
    }));
    for (const h of w.hours) {
      const cell = cells[column.get(h.hour.slice(0, 10)) ?? -1];
      if (!cell) continue;
      const hour = Number(h.hour.slice(11, 13));
      cell.events += h.events;
      cell.hours[hour] = h.events;
      cell.hourFiles[hour] = h.files;
    }
    for (const gap of w.gaps) {
      const text = describeGap(gap);
      for (let t = Date.parse(gap.from); t < Date.parse(gap.to); t += HOUR_MS) {
        const cell = cells[column.get(dayOf(t)) ?? -1];
        if (!cell) continue;
        cell.gapHours.push(new Date(t).getUTCHours());
        if (cell.gaps.at(-1) !== text) cell.gaps.push(text);
      }
    }
    return { workspaceId: w.workspaceId, events: w.events, files: w.files, stopped: w.stopped, lastEvent: w.last === null ? null : new Date(w.last).toISOString(), days: cells };
  });

  // The page names the one source it read: its notes say "this source" rather than repeat the path.
  const only = report.sources.length === 1 ? report.sources[0]! : undefined;
  const notes: string[] = [...report.listingNotes, ...report.lateNotes.map((note) => (only === undefined ? note : note.split(only).join('this source')))].map((note) => `${note.charAt(0).toUpperCase()}${note.slice(1)}`);
  if (leftOut > 0) notes.push(`The scope spans ${plural(days.length + leftOut, 'day')}: the newest ${MAX_DAYS} are shown. Set a date range in the tree to see the others.`);
  for (const u of report.unreadable.slice(0, LISTED)) notes.push(`Could not read ${short(u.file)}: ${u.reason}`);
  if (report.unreadable.length > LISTED) notes.push(`… and ${report.unreadable.length - LISTED} more files could not be read: the report is incomplete.`);
  for (const l of report.late.slice(0, LISTED)) notes.push(`Late: ${short(l.file)} was written ${plural(l.delayMinutes, 'minute')} after its newest event.`);
  if (report.late.length > LISTED) notes.push(`… and ${report.late.length - LISTED} more late files.`);
  for (const r of report.rewritten.filter((r) => !r.appendOnly).slice(0, LISTED)) notes.push(`Rewritten with old lines changed or removed (never expected): ${short(r.file)}, ${plural(r.linesRemoved, 'line')} gone.`);
  for (const r of report.rewritten.filter((r) => r.appendOnly).slice(0, LISTED)) notes.push(`Rewritten by appending: ${short(r.file)}, ${plural(r.linesAdded, 'line')} added.`);
  for (const d of report.duplicates.examples.slice(0, LISTED)) notes.push(`Duplicate: ${d.serviceName}.${d.actionName} request ${d.requestId} at ${new Date(d.timestamp).toISOString()} in ${d.places.map(short).join(' and ')}.`);

  return {
    days,
    rows,
    summary: {
      files: report.files,
      events: report.workspaces.reduce((sum, w) => sum + w.events, 0),
      gaps: report.workspaces.reduce((sum, w) => sum + w.gaps.length, 0),
      duplicates: report.duplicates.events,
      late: report.late.length,
      rewritten: report.rewritten.length,
      rewrittenChanged: report.rewritten.filter((r) => !r.appendOnly).length,
      unreadable: report.unreadable.length,
      rejectedLines: report.rejectedLines,
    },
    rules: coverageRules(report),
    notes,
  };
}

/** The files the pass read that hold events of the cell's workspace and day (or hour), in the order read. */
export function filesOfCell(files: readonly CoverageFileHours[], cell: CoverageCellRef): string[] {
  const start = dayStart(cell.date) + (cell.hour ?? 0) * HOUR_MS;
  const end = cell.hour === undefined ? start + DAY_MS : start + HOUR_MS;
  return files.filter((f) => f.workspaceId === cell.workspaceId && f.hours.some((h) => h >= start && h < end)).map((f) => f.uri);
}
