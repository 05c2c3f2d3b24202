/**
 * The typed message protocol between the Coverage panel's extension side and its webview. Every
 * message is a notification; the extension validates each one from the webview with
 * `parseCoverageWebviewMessage` and acts only on known, well-formed ones.
 */
import type { WireError } from './notebook';
import { isEmptyParams, isRecord, type Validated } from './validate';

export type { WireError } from './notebook';
export type { Validated } from './validate';

/** One workspace's UTC day: its events, per hour, and what looks wrong in it. */
export interface CoverageDay {
  /** `yyyy-mm-dd`, UTC. */
  date: string;
  events: number;
  /** Files the pass read that hold events of this day. */
  files: number;
  /** Events per UTC hour, 24 entries. */
  hours: number[];
  /** Files holding events of each hour, 24 entries. */
  hourFiles: number[];
  /** Hours (0–23) inside a gap. */
  gapHours: number[];
  /** Each gap touching the day, said in words. */
  gaps: string[];
  /** Events of the day delivered more than once. */
  duplicates: number;
}

export interface CoverageRow {
  workspaceId: string;
  events: number;
  files: number;
  /** The workspace went silent before the scope's end after busy hours: its delivery may have stopped. */
  stopped: boolean;
  /** Its newest event (ISO-8601), if any. */
  lastEvent: string | null;
  /** One per column of the view, in the same order. */
  days: CoverageDay[];
}

export interface CoverageSummary {
  files: number;
  events: number;
  gaps: number;
  /** Extra copies of events delivered more than once. */
  duplicates: number;
  late: number;
  rewritten: number;
  /** Rewrites that changed or removed old lines (never expected: Databricks only appends). */
  rewrittenChanged: number;
  unreadable: number;
  rejectedLines: number;
}

/** The rules the report follows, in words, shown with the summary. */
export interface CoverageRules {
  gaps: string;
  stopped: string;
  late: string;
  rewritten: string;
  duplicates: string;
}

export interface CoverageView {
  /** The columns: every UTC day from the first to the last, ascending. */
  days: string[];
  rows: CoverageRow[];
  summary: CoverageSummary;
  rules: CoverageRules;
  /** Things the user should know: listing notes, why late files were not judged, files not read, columns left out. */
  notes: string[];
}

export type CoverageStatus =
  | { state: 'loading'; message: string; done?: number; total?: number }
  | { state: 'ready'; view: CoverageView; durationMs: number }
  | { state: 'cancelled' }
  | { state: 'error'; error: WireError };

/** Notifications from the extension. */
export interface CoverageHostNotifications {
  /** What the panel covers, in words; sent on `ready`. */
  show: { title: string; scopeLabel: string };
  status: CoverageStatus;
}
export type CoverageHostMethod = keyof CoverageHostNotifications;
export type CoverageHostMessage = { [M in CoverageHostMethod]: { kind: 'notify'; method: M; params: CoverageHostNotifications[M] } }[CoverageHostMethod];

/** A cell of the heatmap: a workspace's day, or one hour of it. */
export interface CoverageCellRef {
  workspaceId: string;
  date: string;
  /** 0–23 for an hour cell; absent for a whole day. */
  hour?: number;
}

/** Notifications from the webview. */
export interface CoverageWebviewNotifications {
  ready: Record<string, never>;
  /** Runs the pass again. */
  run: Record<string, never>;
  cancel: Record<string, never>;
  /** Opens the files the pass read that hold the cell's events. */
  openFiles: CoverageCellRef;
}
export type CoverageWebviewMethod = keyof CoverageWebviewNotifications;
export type CoverageWebviewMessage = { [M in CoverageWebviewMethod]: { kind: 'notify'; method: M; params: CoverageWebviewNotifications[M] } }[CoverageWebviewMethod];

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const WORKSPACE = /^\d{1,30}$/;

export function parseCoverageCell(value: unknown): CoverageCellRef | undefined {
  if (!isRecord(value)) return undefined;
  const { workspaceId, date, hour } = value;
  if (typeof workspaceId !== 'string' || !WORKSPACE.test(workspaceId)) return undefined;
  if (typeof date !== 'string' || !DATE.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) return undefined;
  if (hour === undefined) return { workspaceId, date };
  if (typeof hour !== 'number' || !Number.isInteger(hour) || hour < 0 || hour > 23) return undefined;
  return { workspaceId, date, hour };
}

/** Accepts only known, well-formed messages, rebuilt from their checked parts; anything else comes back with the reason. */
export function parseCoverageWebviewMessage(value: unknown): Validated<CoverageWebviewMessage> {
  if (!isRecord(value)) return { ok: false, reason: 'message is not an object' };
  if (value.kind !== 'notify') return { ok: false, reason: 'message kind must be notify' };
  const { method, params } = value;
  switch (method) {
    case 'ready':
    case 'run':
    case 'cancel':
      return isEmptyParams(params) ? { ok: true, value: { kind: 'notify', method, params: {} } } : { ok: false, reason: `${method} takes no parameters` };
    case 'openFiles': {
      const cell = parseCoverageCell(params);
      return cell ? { ok: true, value: { kind: 'notify', method, params: cell } } : { ok: false, reason: 'openFiles needs {workspaceId, date yyyy-mm-dd, hour 0-23?}' };
    }
    default:
      return { ok: false, reason: typeof method === 'string' ? `unknown notification ${JSON.stringify(method.slice(0, 50))}` : 'message has no method' };
  }
}
