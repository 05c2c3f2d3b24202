/**
 * The typed message protocol between the Timeline panel's extension side and its webview. Every
 * message is a notification (no replies); the extension validates each one from the webview with
 * `parseTimelineWebviewMessage` and acts only on known, well-formed ones.
 */
import { parseAsOfChoice, parseInstant, type AsOfChoice } from '../shared/asOf';
import { IDENTITY_KINDS, type Identity, type Timeline } from '../shared/timeline';
import type { NotebookScope } from '../shared/notebook/format';
import type { WireError } from './notebook';
import { isEmptyParams, isRecord, type Validated } from './validate';

export { parseAsOfChoice } from '../shared/asOf';
export type { AsOfChoice } from '../shared/asOf';
export type { Identity, IdentityKind, Timeline, TimelineEvent, TimelineSummary } from '../shared/timeline';
export type { WireError } from './notebook';
export type { Validated } from './validate';

/** Which events a timeline covers: a date range (inclusive `yyyy-mm-dd`, either end open), or ± a window around an instant. */
export type TimelineWindow = { kind: 'range'; from?: string; to?: string } | { kind: 'around'; at: string; windowMs: number };

/** What the panel asks the engine: the identity is the panel's own; the window and as-of are the user's choice. */
export interface TimelineQuery {
  identity: Identity;
  window: TimelineWindow;
  asOf: AsOfChoice;
}

export type TimelineStatus =
  | { state: 'loading'; message: string; done?: number; total?: number }
  /** `eventsFound` is set when the timeline held more events than the page is sent (the summary still counts them all). */
  | { state: 'ready'; timeline: Timeline; durationMs: number; eventsFound?: number }
  | { state: 'cancelled' }
  | { state: 'error'; error: WireError };

/** Notifications from the extension. */
export interface TimelineHostNotifications {
  /** The panel's query and its scope (and how the scope reads), sent on `ready` and whenever the query changes; the page keeps them as its state, so the panel survives a reload. */
  show: { query: TimelineQuery; scope: NotebookScope; scopeLabel: string };
  status: TimelineStatus;
}
export type TimelineHostMethod = keyof TimelineHostNotifications;
export type TimelineHostMessage = { [M in TimelineHostMethod]: { kind: 'notify'; method: M; params: TimelineHostNotifications[M] } }[TimelineHostMethod];

/** Notifications from the webview. */
export interface TimelineWebviewNotifications {
  ready: Record<string, never>;
  /** Runs the panel's identity again over another window or as-of. */
  run: { window: TimelineWindow; asOf: AsOfChoice };
  cancel: Record<string, never>;
  openRaw: { file: string; line: number };
  /** Opens a timeline of another identity seen in this one (an IP, a session, a request id). */
  pivot: { identity: Identity };
}
export type TimelineWebviewMethod = keyof TimelineWebviewNotifications;
export type TimelineWebviewMessage = { [M in TimelineWebviewMethod]: { kind: 'notify'; method: M; params: TimelineWebviewNotifications[M] } }[TimelineWebviewMethod];

/** The most events a page is sent: past it the first ones are shown, and the window should narrow. */
export const MAX_EVENTS_SHOWN = 100_000;

// ---------------------------------------------------------------------------------------------
// Validation of messages coming from the webview.

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MAX_WINDOW_MS = 366 * 86_400_000;
export const MAX_IDENTITY_LENGTH = 1000;

/** An identity as the wire may carry it: a known kind and a non-blank value of sane length. */
export function parseIdentity(value: unknown): Identity | undefined {
  if (!isRecord(value)) return undefined;
  const kind = IDENTITY_KINDS.find((k) => k === value.kind);
  if (kind === undefined || typeof value.value !== 'string') return undefined;
  if (value.value.trim() === '' || value.value.length > MAX_IDENTITY_LENGTH) return undefined;
  return { kind, value: value.value };
}

export function parseTimelineWindow(value: unknown): TimelineWindow | undefined {
  if (!isRecord(value)) return undefined;
  if (value.kind === 'range') {
    const bound = (b: unknown) => b === undefined || (typeof b === 'string' && DATE.test(b) && parseInstant(b) !== undefined);
    if (!bound(value.from) || !bound(value.to)) return undefined;
    if (typeof value.from === 'string' && typeof value.to === 'string' && value.from > value.to) return undefined;
    return { kind: 'range', ...(typeof value.from === 'string' ? { from: value.from } : {}), ...(typeof value.to === 'string' ? { to: value.to } : {}) };
  }
  if (value.kind === 'around') {
    if (typeof value.at !== 'string' || parseInstant(value.at) === undefined) return undefined;
    const windowMs = value.windowMs;
    if (typeof windowMs !== 'number' || !Number.isSafeInteger(windowMs) || windowMs <= 0 || windowMs > MAX_WINDOW_MS) return undefined;
    return { kind: 'around', at: value.at, windowMs };
  }
  return undefined;
}

/** Accepts only known, well-formed messages, rebuilt from their checked parts; anything else comes back with the reason. */
export function parseTimelineWebviewMessage(value: unknown): Validated<TimelineWebviewMessage> {
  if (!isRecord(value)) return { ok: false, reason: 'message is not an object' };
  if (value.kind !== 'notify') return { ok: false, reason: 'message kind must be notify' };
  const { method, params } = value;
  const p = isRecord(params) ? params : {};
  switch (method) {
    case 'ready':
    case 'cancel':
      return isEmptyParams(params) ? { ok: true, value: { kind: 'notify', method, params: {} } } : { ok: false, reason: `${method} takes no parameters` };
    case 'run': {
      const window = parseTimelineWindow(p.window);
      const asOf = parseAsOfChoice(p.asOf);
      return window && asOf ? { ok: true, value: { kind: 'notify', method, params: { window, asOf } } } : { ok: false, reason: 'run needs {window, asOf}' };
    }
    case 'openRaw': {
      const { file, line } = p;
      return typeof file === 'string' && file.length > 0 && file.length <= 4096 && typeof line === 'number' && Number.isSafeInteger(line) && line >= 1
        ? { ok: true, value: { kind: 'notify', method, params: { file, line } } }
        : { ok: false, reason: 'openRaw needs {file, line >= 1}' };
    }
    case 'pivot': {
      const identity = parseIdentity(p.identity);
      return identity ? { ok: true, value: { kind: 'notify', method, params: { identity } } } : { ok: false, reason: 'pivot needs {identity: {kind, value}}' };
    }
    default:
      return { ok: false, reason: typeof method === 'string' ? `unknown notification ${JSON.stringify(method.slice(0, 50))}` : 'message has no method' };
  }
}
