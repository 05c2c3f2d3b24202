/**
 * What the Findings view shows, as plain data: severity → detection (with counts) → rows. Pure,
 * so it is tested without VS Code; every text taken from a log has its control characters escaped.
 */
import { BUILTIN_PACK, bySeverity, SEVERITIES, severityCounts, type DetectionRun, type Severity, type SeverityCounts } from '../../core/analyses';
import { escapeControls } from '../../core/controlChars';
import { showBidiControls } from '../../shared/text/untrusted';
import type { NotebookScope } from '../../shared/notebook/format';
import { answeredAt, type AsOfChoice } from '../../shared/asOf';
import { scopeLabel } from '../notebook/scope';
import { canIgnore } from '../detections/ignore';
import { plural } from '../../shared/text/quantities';

/** A finished run of the detections over one scope. */
export interface FindingsResult {
  scope: NotebookScope;
  runs: DetectionRun[];
  /** Records loaded for the run. */
  records: number;
  /** Of the scope's files, how many the record cache served, when it served any. */
  fromCache?: { files: number; cached: number };
  /** The files the run loaded: the only ones a finding's row may open. */
  loadedFiles: ReadonlySet<string>;
  /** The instant (epoch ms) every detection's "now" answered at, and the choice it came from. */
  asOf: { choice: AsOfChoice; at: number };
  /** Files that exist but could not be read (permission denied, failed downloads): the findings are incomplete. */
  unreadableFiles: number;
  /** Every file the load skipped whole, as `file: reason`, for the output channel. */
  skippedFiles: string[];
  /** The scope held no audit logs at all: "no findings" would mean nothing. */
  noLogs: boolean;
  /** What the view says about the detections run (restricted mode runs the built-ins only). */
  libraryNotes?: readonly string[];
  /** Set when a watch keeps the result current: what it watches and when it last polled (epoch ms). */
  watching?: { source: string; lastPoll: number };
}

export type FindingsState =
  | { state: 'idle' }
  | { state: 'running'; scope: NotebookScope; message: string }
  | { state: 'error'; scope: NotebookScope; message: string }
  | { state: 'done'; result: FindingsResult };

export interface SeverityNode {
  kind: 'severity';
  severity: Severity;
  findings: number;
  runs: DetectionRun[];
}

export interface DetectionNode {
  kind: 'detection';
  scope: NotebookScope;
  run: DetectionRun;
}

export interface RowNode {
  kind: 'row';
  run: DetectionRun;
  index: number;
}

export interface NoteNode {
  kind: 'note';
  id: string;
  text: string;
  icon: 'info' | 'warning' | 'error' | 'loading~spin';
}

export type FindingNode = SeverityNode | DetectionNode | RowNode | NoteNode;


/** `HH:MM` of an instant, in the editor's time zone. */
export function clockTime(at: number): string {
  const d = new Date(at);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

/** What the view says of a finished run: its scope, records, detections and the instant that answered (and the watch keeping it current). */
export function doneMessage(result: FindingsResult): string {
  const incomplete = result.unreadableFiles > 0 ? `incomplete: ${plural(result.unreadableFiles, 'file')} unreadable · ` : '';
  const watching = result.watching ? `watching ${scopeLabel({ sources: [result.watching.source] })} · last poll ${clockTime(result.watching.lastPoll)} · ` : '';
  const cached = result.fromCache ? ` (${result.fromCache.cached} of ${plural(result.fromCache.files, 'file')} from the record cache)` : '';
  return `${watching}${incomplete}${scopeLabel(result.scope)} · ${plural(result.records, 'record')}${cached} · ${plural(result.runs.length, 'detection')} · as of ${answeredAt(result.asOf.choice, result.asOf.at)}`;
}

/** What stands above the findings when they cannot be trusted whole: files unreadable, or no logs at all. */
function evidenceNotes(result: FindingsResult): NoteNode[] {
  const notes: NoteNode[] = [];
  if (result.unreadableFiles > 0) {
    notes.push({ kind: 'note', id: 'incomplete', text: `Incomplete: ${plural(result.unreadableFiles, 'file')} unreadable (permission denied or download failed); findings there are missing. See the Audit Lens output.`, icon: 'warning' });
  }
  if (result.noLogs) notes.push({ kind: 'note', id: 'no-logs', text: 'No audit logs in the scope: check the sources and dates', icon: 'warning' });
  return notes;
}

/** The top level: a node per severity with findings, most severe first (nothing while idle). */
export function rootNodes(state: FindingsState): FindingNode[] {
  switch (state.state) {
    case 'idle':
      return [];
    case 'running':
      return [{ kind: 'note', id: 'running', text: state.message, icon: 'loading~spin' }];
    case 'error':
      return [{ kind: 'note', id: 'error', text: state.message, icon: 'error' }];
    case 'done': {
      const library: NoteNode[] = (state.result.libraryNotes ?? []).map((text, index) => ({ kind: 'note', id: `library|${index}`, text, icon: 'info' }));
      const { runs, records } = state.result;
      const counts = severityCounts(runs);
      const severities: FindingNode[] = SEVERITIES.filter((s) => counts[s] > 0).map((severity) => ({
        kind: 'severity',
        severity,
        findings: counts[severity],
        runs: runs.filter((r) => r.detection.severity === severity && r.result.rowCount > 0),
      }));
      const notes = evidenceNotes(state.result);
      if (severities.length > 0) return [...library, ...notes, ...severities];
      if (state.result.noLogs) return [...library, ...notes];
      const clean: NoteNode = { kind: 'note', id: 'none', text: `No findings: ${plural(runs.length, 'detection')} over ${plural(records, 'record')}`, icon: 'info' };
      return notes.length > 0 ? [...library, ...notes, { ...clean, text: `No findings in the files that could be read: ${plural(runs.length, 'detection')} over ${plural(records, 'record')}`, icon: 'warning' }] : [...library, clean];
    }
  }
}

export function childNodes(node: FindingNode, scope: NotebookScope): FindingNode[] {
  if (node.kind === 'severity') return bySeverity(node.runs).map((run) => ({ kind: 'detection', scope, run }));
  if (node.kind !== 'detection') return [];
  const { result } = node.run;
  const rows: FindingNode[] = result.rows.map((_, index) => ({ kind: 'row', run: node.run, index }));
  if (result.rows.length < result.rowCount) {
    rows.push({ kind: 'note', id: `more|${node.run.detection.id}`, text: `Showing ${result.rows.length} of ${result.rowCount.toLocaleString('en-US')}: open the detection in a notebook for all`, icon: 'info' });
  }
  return rows;
}

export function highFindings(state: FindingsState): number {
  return state.state === 'done' ? severityCounts(state.result.runs).high : 0;
}

export function countsOf(state: FindingsState): SeverityCounts | undefined {
  return state.state === 'done' ? severityCounts(state.result.runs) : undefined;
}

export function severityLabel(severity: Severity): string {
  return `${severity[0]!.toUpperCase()}${severity.slice(1)}`;
}

/** Columns every row-level detection repeats: they go to the tooltip, not the label. */
const CONTEXT_COLUMNS = new Set(['timestamp', 'date', 'workspaceId', 'serviceName', 'userAgent', '_file', '_line']);
const WHO_COLUMNS = ['email', 'user'];

/** A value as one line of tree text: bidi controls shown as in every other label (`[U+202E]`), other controls escaped. */
function cell(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  return escapeControls(showBidiControls(typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value)));
}

function clip(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

export interface RowText {
  label: string;
  description: string;
  tooltip: string;
}

/** A finding's row: who (or the first column) as the label, when and what as the description. */
export function rowText(run: DetectionRun, index: number): RowText {
  const { columns, rows } = run.result;
  const row = rows[index]!;
  const at = (name: string) => columns.indexOf(name);
  const who = WHO_COLUMNS.map(at).find((i) => i >= 0 && row[i] !== null && row[i] !== undefined);
  const labelIndex = who ?? columns.findIndex((c) => !CONTEXT_COLUMNS.has(c));
  const date = at('date') >= 0 ? cell(row[at('date')]) : at('timestamp') >= 0 && typeof row[at('timestamp')] === 'number' ? new Date(row[at('timestamp')] as number).toISOString().replace('T', ' ').slice(0, 19) : undefined;
  const rest = columns.flatMap((c, i) => (i === labelIndex || CONTEXT_COLUMNS.has(c) || row[i] === null || row[i] === undefined ? [] : [cell(row[i])]));
  return {
    label: clip(labelIndex >= 0 ? cell(row[labelIndex]) : `row ${index + 1}`, 80),
    description: clip([date, ...rest].filter((t) => t !== undefined).join(' · '), 160),
    tooltip: columns.map((c, i) => `${c}: ${clip(cell(row[i]), 300)}`).join('\n'),
  };
}

/** The actor a row names (its `email` or `user` column, as the label takes it), for its timeline. */
export function rowActor(run: DetectionRun, index: number): string | undefined {
  const { columns, rows } = run.result;
  for (const name of WHO_COLUMNS) {
    const value = rows[index]?.[columns.indexOf(name)];
    if (typeof value === 'string' && value.trim() !== '') return value;
  }
  return undefined;
}

/** The user agent a row shows (its `userAgent` column), for an ignore action. */
export function rowAgent(run: DetectionRun, index: number): string | undefined {
  const value = run.result.rows[index]?.[run.result.columns.indexOf('userAgent')];
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** The row's context value: what its menu offers (open its line, its actor's timeline, ignore its actor or user agent). */
export function rowContext(run: DetectionRun, index: number): string {
  const actor = rowActor(run, index) !== undefined;
  return [
    'row',
    ...(rowLocation(run, index) ? ['hasLine'] : []),
    ...(actor ? ['hasActor'] : []),
    ...(actor && canIgnore(run.detection, 'actor') ? ['canIgnoreActor'] : []),
    ...(rowAgent(run, index) !== undefined && canIgnore(run.detection, 'agent') ? ['canIgnoreAgent'] : []),
  ].join(' ');
}

/** A pack's short name for a description (its file's name), or undefined for the built-ins. */
export function packLabel(pack: string): string | undefined {
  return pack === BUILTIN_PACK ? undefined : (pack.split(/[\\/]/).pop() ?? pack);
}

/** Where a row's raw line is, when the detection returns `_file` and `_line`. */
export function rowLocation(run: DetectionRun, index: number): { file: string; line: number } | undefined {
  const { columns, rows } = run.result;
  const file = rows[index]?.[columns.indexOf('_file')];
  const line = rows[index]?.[columns.indexOf('_line')];
  return typeof file === 'string' && typeof line === 'number' ? { file, line } : undefined;
}
