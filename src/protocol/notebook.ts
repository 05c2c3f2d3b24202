/**
 * The typed message protocol between the query notebook's extension side and its webview.
 * Both sides import this one file. Requests carry an id and get exactly one reply; notifications
 * do not. The extension validates every message from the webview with `parseWebviewMessage`
 * and acts only on known, well-formed ones.
 */
import type { NotebookDocument, NotebookEngine, NotebookScope } from '../shared/notebook/format';
import { parseNotebook, parseScope } from '../shared/notebook/format';
import type { Analysis } from '../shared/analysis';
import type { QueryResult } from '../shared/sql/result';
import type { ResultSort } from '../shared/sql/resultSort';
import { parseAsOfChoice, type AsOfChoice } from '../shared/asOf';
import type { Identity } from '../shared/timeline';
import { parseIdentity } from './timeline';
import { isEmptyParams, isRecord, type Validated } from './validate';

export type { NotebookCell, NotebookDocument, NotebookEngine, NotebookScope } from '../shared/notebook/format';
export type { CellValue, ColumnKind } from '../shared/sql/result';

export type { AsOfChoice } from '../shared/asOf';

/** A query's answer as the webview shows it (rows capped by the session), and the instant (epoch ms) its "now" answered at. */
export type CellResult = QueryResult & { asOf?: number };

/** An error as the webview shows it; `position` is a 0-based offset into the cell's SQL. */
export interface WireError {
  code: string;
  userMessage: string;
  detail?: string;
  position?: { offset: number; length: number };
}

export type CellSortRequest = ResultSort;

function isSort(value: unknown): boolean {
  return value === undefined || (isRecord(value) && isId(value.column) && value.column < 10_000 && (value.direction === 'asc' || value.direction === 'desc') && (value.name === undefined || isShortString(value.name)));
}

/** An analysis of the library, as the webview offers it. */
export type LibraryEntry = Analysis;

/** What SQL completion knows: columns, nested paths, and the catalog of services and actions. */
export interface CompletionCatalog {
  columns: { name: string; fields?: string[] }[];
  services: { name: string; actions: { name: string; params: string[] }[] }[];
}

export interface LoadSummaryView {
  files: number;
  bytes: number;
  /** Records the table holds. */
  recordsLoaded: number;
  linesRejected: number;
  problemCount: number;
  durationMs: number;
  /** The slices the table holds (a service, or a service with the actions held in parentheses), when it holds slices of the scope rather than all of it. */
  services?: string[];
  /** Records in the whole scope, when the tree's scan has counted them. */
  recordsInScope?: number;
  /** With the scope's `dedupe`: copies of events already loaded that the load dropped. */
  duplicatesDropped?: number;
  /** Files whose records the record cache served (unchanged since they were read), when it served any. */
  filesFromCache?: number;
}

export type ScopeStatus =
  | { state: 'idle' }
  | { state: 'loading'; message: string; done?: number; total?: number }
  | { state: 'ready'; summary: LoadSummaryView }
  | { state: 'error'; error: WireError }
  /** Cells run on a Databricks SQL warehouse, which reads the scope itself: nothing is loaded here. */
  | { state: 'remote'; message: string };

/** Which engine the notebook runs on, and whether the other one can be chosen. */
export interface EngineView {
  engine: NotebookEngine;
  /** A warehouse id and a way to find the host are set (auditLens.databricks.*, env or profile). */
  databricksConfigured: boolean;
}

export interface HistogramBucket {
  date: string;
  serviceName: string;
  count: number;
}

export type ExportFormat = 'csv' | 'json';

export interface ExportOutcome {
  /** False when the user dismissed the save dialog. */
  saved: boolean;
  rowCount?: number;
  fileName?: string;
  /** The instant (epoch ms) the export's "now" answered at. */
  asOf?: number;
}

/** Requests from the webview and the value each one's reply carries. */
export interface WebviewRequests {
  /** `sort` re-runs the cell ordered by a result column (0-based) in the engine. */
  /** `asOf`: the scope bar's choice of the instant every "now" evaluates at (the wall clock when absent). */
  runCell: { params: { cellId: string; sql: string; sort?: CellSortRequest; asOf?: AsOfChoice }; result: CellResult };
  histogram: { params: Record<string, never>; result: HistogramBucket[] };
  exportResult: { params: { cellId: string; sql: string; format: ExportFormat; asOf?: AsOfChoice }; result: ExportOutcome };
}
export type WebviewRequestMethod = keyof WebviewRequests;

/** A request of method `M`, as validated from the webview. */
export type WebviewRequest<M extends WebviewRequestMethod = WebviewRequestMethod> = { [K in M]: { kind: 'request'; id: number; method: K; params: WebviewRequests[K]['params'] } }[M];

/** The extension's answer to each request, typed by the request -> reply map. */
export type RequestAnswers = { [M in WebviewRequestMethod]: (params: WebviewRequests[M]['params'], requestId: number) => Promise<WebviewRequests[M]['result']> };

/** The reply to a request of method `M`: its result, or the error that ended it. */
export type HostReply<M extends WebviewRequestMethod = WebviewRequestMethod> =
  | { kind: 'reply'; id: number; ok: true; result: WebviewRequests[M]['result'] }
  | { kind: 'reply'; id: number; ok: false; error: WireError };

/** Notifications from the webview. */
export interface WebviewNotifications {
  ready: Record<string, never>;
  /** The document changed (edits, moves, scope); the extension keeps the latest copy for saving. */
  documentChanged: { document: NotebookDocument };
  /** Load (or reload) the session over this scope. */
  reload: { scope: NotebookScope };
  /** Cancel a pending request by its id (a running cell, an export). */
  cancel: { requestId: number };
  openRaw: { file: string; line: number };
  /** Opens the timeline of an identity a result cell holds, over the notebook's scope. */
  showTimeline: { identity: Identity };
  copyText: { text: string; what: string };
  command: { name: 'save' | 'open' | 'exportDatabricks' };
  /** Run the notebook's cells on another engine; the cells stay. */
  setEngine: { engine: NotebookEngine };
}
export type WebviewNotificationMethod = keyof WebviewNotifications;

export type WebviewMessage =
  | WebviewRequest
  | { [M in WebviewNotificationMethod]: { kind: 'notify'; method: M; params: WebviewNotifications[M] } }[WebviewNotificationMethod];

/** Notifications from the extension. */
export interface HostNotifications {
  init: { document: NotebookDocument; catalog: CompletionCatalog; library: LibraryEntry[]; status: ScopeStatus };
  scopeStatus: ScopeStatus;
  /** Replace the document (a notebook file was opened). */
  loadDocument: { document: NotebookDocument };
  /** Ask the webview to run every cell (command palette). */
  runAll: Record<string, never>;
  exportProgress: { requestId: number; rows: number };
  engine: EngineView;
  /** The rows of a running cell so far (warehouse results arrive chunk by chunk). */
  cellPage: { requestId: number; result: CellResult };
}
export type HostNotificationMethod = keyof HostNotifications;

export type HostMessage =
  | HostReply
  | { [M in HostNotificationMethod]: { kind: 'notify'; method: M; params: HostNotifications[M] } }[HostNotificationMethod];

// ---------------------------------------------------------------------------------------------
// Validation of messages coming from the webview.

export type { Validated };

const MAX_SQL_LENGTH = 1_000_000;
const MAX_TEXT_LENGTH = 64 * 1024 * 1024;

function isShortString(value: unknown, max = 1000): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= max;
}
function isId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
function isAsOf(value: unknown): boolean {
  return value === undefined || parseAsOfChoice(value) !== undefined;
}
type Check = (params: unknown) => string | undefined;

const requestChecks: { [M in WebviewRequestMethod]: Check } = {
  runCell: (p) => (isRecord(p) && isShortString(p.cellId) && typeof p.sql === 'string' && p.sql.length <= MAX_SQL_LENGTH && isSort(p.sort) && isAsOf(p.asOf) ? undefined : 'runCell needs {cellId, sql, sort?: {column, direction, name?}, asOf?: {kind, at?}}'),
  histogram: (p) => (isEmptyParams(p) ? undefined : 'histogram takes no parameters'),
  exportResult: (p) =>
    isRecord(p) && isShortString(p.cellId) && typeof p.sql === 'string' && p.sql.length <= MAX_SQL_LENGTH && (p.format === 'csv' || p.format === 'json') && isAsOf(p.asOf)
      ? undefined
      : "exportResult needs {cellId, sql, format: 'csv'|'json', asOf?: {kind, at?}}",
};

const notificationChecks: { [M in WebviewNotificationMethod]: Check } = {
  ready: (p) => (isEmptyParams(p) ? undefined : 'ready takes no parameters'),
  documentChanged: (p) => {
    if (!isRecord(p)) return 'documentChanged needs {document}';
    const doc = parseNotebook(p.document);
    return doc.ok ? undefined : `documentChanged: ${doc.reason}`;
  },
  reload: (p) => {
    if (!isRecord(p)) return 'reload needs {scope}';
    const scope = parseScope(p.scope);
    return scope.ok ? undefined : `reload: ${scope.reason}`;
  },
  cancel: (p) => (isRecord(p) && isId(p.requestId) ? undefined : 'cancel needs {requestId}'),
  openRaw: (p) => (isRecord(p) && isShortString(p.file, 4096) && isId(p.line) && p.line >= 1 ? undefined : 'openRaw needs {file, line >= 1}'),
  showTimeline: (p) => (isRecord(p) && parseIdentity(p.identity) ? undefined : 'showTimeline needs {identity: {kind, value}}'),
  copyText: (p) => (isRecord(p) && typeof p.text === 'string' && p.text.length <= MAX_TEXT_LENGTH && isShortString(p.what, 200) ? undefined : 'copyText needs {text, what}'),
  command: (p) => (isRecord(p) && (p.name === 'save' || p.name === 'open' || p.name === 'exportDatabricks') ? undefined : 'command needs a known name'),
  setEngine: (p) => (isRecord(p) && (p.engine === 'local' || p.engine === 'databricks') ? undefined : "setEngine needs {engine: 'local'|'databricks'}"),
};

function hasOwn<T extends object>(table: T, key: string): key is Extract<keyof T, string> {
  return Object.prototype.hasOwnProperty.call(table, key);
}

/** Accepts only known, well-formed messages; anything else comes back with the reason. */
export function parseWebviewMessage(value: unknown): Validated<WebviewMessage> {
  if (!isRecord(value)) return { ok: false, reason: 'message is not an object' };
  const { kind, method, params } = value;
  if (typeof method !== 'string') return { ok: false, reason: 'message has no method' };
  if (kind === 'request') {
    if (!isId(value.id)) return { ok: false, reason: 'request has no valid id' };
    if (!hasOwn(requestChecks, method)) return { ok: false, reason: `unknown request ${JSON.stringify(method.slice(0, 50))}` };
    const problem = requestChecks[method](params);
    if (problem) return { ok: false, reason: problem };
    return { ok: true, value: { kind, id: value.id, method, params: (params ?? {}) as never } };
  }
  if (kind === 'notify') {
    if (!hasOwn(notificationChecks, method)) return { ok: false, reason: `unknown notification ${JSON.stringify(method.slice(0, 50))}` };
    const problem = notificationChecks[method](params);
    if (problem) return { ok: false, reason: problem };
    const clean = method === 'showTimeline' ? { identity: parseIdentity((params as { identity: unknown }).identity) } : method === 'documentChanged' ? { document: (parseNotebook((params as { document: unknown }).document) as { value: NotebookDocument }).value } : method === 'reload' ? { scope: (parseScope((params as { scope: unknown }).scope) as { value: NotebookScope }).value } : (params ?? {});
    return { ok: true, value: { kind, method, params: clean as never } };
  }
  return { ok: false, reason: 'message kind must be request or notify' };
}
