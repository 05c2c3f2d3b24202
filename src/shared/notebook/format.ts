/**
 * The notebook file format (`*.auditlens.json`): a scope and an ordered list of SQL cells.
 * Pure data and validation, shared by the extension, the webview and the tests.
 */
import { parseAsOfChoice, type AsOfChoice } from '../asOf';

export const NOTEBOOK_FILE_EXTENSION = '.auditlens.json';
export const NOTEBOOK_FORMAT_VERSION = 1;

/** What the notebook's session loads: sources (gs:// URIs or folders), workspaces and a date range. */
export interface NotebookScope {
  sources: string[];
  workspaces?: string[];
  /** Inclusive yyyy-mm-dd bounds. */
  from?: string;
  to?: string;
  /** Load each event once: a copy delivered twice (same requestId, timestamp, serviceName, actionName) is dropped. */
  dedupe?: boolean;
}

export interface NotebookCell {
  id: string;
  title: string;
  sql: string;
  /** The library entry the cell came from, if any. */
  analysisId?: string;
}

/** Where a notebook's cells run: this machine's sql.js session, or a Databricks SQL warehouse. */
export type NotebookEngine = 'local' | 'databricks';

export interface NotebookDocument {
  version: typeof NOTEBOOK_FORMAT_VERSION;
  title: string;
  /** Absent means local. */
  engine?: NotebookEngine;
  scope: NotebookScope;
  /** The instant every "now" of a run evaluates at; absent means the wall clock. */
  asOf?: AsOfChoice;
  cells: NotebookCell[];
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: string };

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function emptyNotebook(scope: NotebookScope = { sources: [] }): NotebookDocument {
  return { version: NOTEBOOK_FORMAT_VERSION, title: 'Untitled', scope, cells: [] };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

export function parseScope(value: unknown): ParseResult<NotebookScope> {
  if (!isRecord(value)) return { ok: false, reason: 'scope must be an object' };
  if (!isStringArray(value.sources)) return { ok: false, reason: 'scope.sources must be a list of strings' };
  const scope: NotebookScope = { sources: [...value.sources] };
  if (value.workspaces !== undefined) {
    if (!isStringArray(value.workspaces) || !value.workspaces.every((w) => /^\d+$/.test(w))) {
      return { ok: false, reason: 'scope.workspaces must be a list of numeric workspace ids (as strings)' };
    }
    if (value.workspaces.length > 0) scope.workspaces = [...value.workspaces];
  }
  for (const key of ['from', 'to'] as const) {
    const v = value[key];
    if (v === undefined || v === '') continue;
    if (typeof v !== 'string' || !DATE.test(v)) return { ok: false, reason: `scope.${key} must be a date written yyyy-mm-dd` };
    scope[key] = v;
  }
  if (value.dedupe !== undefined && typeof value.dedupe !== 'boolean') return { ok: false, reason: 'scope.dedupe must be true or false' };
  if (value.dedupe === true) scope.dedupe = true;
  return { ok: true, value: scope };
}

export function parseCell(value: unknown, index: number): ParseResult<NotebookCell> {
  if (!isRecord(value)) return { ok: false, reason: `cell ${index + 1} must be an object` };
  const { id, title, sql, analysisId } = value;
  if (typeof id !== 'string' || id === '') return { ok: false, reason: `cell ${index + 1} needs a non-empty string id` };
  if (typeof title !== 'string') return { ok: false, reason: `cell ${index + 1} needs a string title` };
  if (typeof sql !== 'string') return { ok: false, reason: `cell ${index + 1} needs a string sql` };
  if (analysisId !== undefined && typeof analysisId !== 'string') return { ok: false, reason: `cell ${index + 1}: analysisId must be a string` };
  return { ok: true, value: analysisId === undefined ? { id, title, sql } : { id, title, sql, analysisId } };
}

/** Checks an already-parsed JSON value against the format. */
export function parseNotebook(value: unknown): ParseResult<NotebookDocument> {
  if (!isRecord(value)) return { ok: false, reason: 'a notebook must be a JSON object' };
  if (value.version !== NOTEBOOK_FORMAT_VERSION) {
    return { ok: false, reason: `unsupported notebook version ${JSON.stringify(value.version)} (expected ${NOTEBOOK_FORMAT_VERSION})` };
  }
  const title = value.title === undefined ? 'Untitled' : value.title;
  if (typeof title !== 'string') return { ok: false, reason: 'title must be a string' };
  const scope = parseScope(value.scope);
  if (!scope.ok) return scope;
  if (value.engine !== undefined && value.engine !== 'local' && value.engine !== 'databricks') return { ok: false, reason: "engine must be 'local' or 'databricks'" };
  const asOf = value.asOf === undefined ? undefined : parseAsOfChoice(value.asOf);
  if (value.asOf !== undefined && asOf === undefined) return { ok: false, reason: 'asOf must be {"kind":"now"}, {"kind":"scope-end"} or {"kind":"instant","at":"<ISO-8601 instant>"}' };
  if (!Array.isArray(value.cells)) return { ok: false, reason: 'cells must be a list' };
  const cells: NotebookCell[] = [];
  const ids = new Set<string>();
  for (const [i, raw] of value.cells.entries()) {
    const cell = parseCell(raw, i);
    if (!cell.ok) return cell;
    if (ids.has(cell.value.id)) return { ok: false, reason: `cell id ${JSON.stringify(cell.value.id)} appears twice` };
    ids.add(cell.value.id);
    cells.push(cell.value);
  }
  return { ok: true, value: { version: NOTEBOOK_FORMAT_VERSION, title, ...(value.engine === 'databricks' ? { engine: 'databricks' as const } : {}), scope: scope.value, ...(asOf && asOf.kind !== 'now' ? { asOf } : {}), cells } };
}

/** Reads a notebook file's text. */
export function parseNotebookText(text: string): ParseResult<NotebookDocument> {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return { ok: false, reason: `not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  return parseNotebook(value);
}

/** Writes a notebook file's text: stable key order, two-space indent, trailing newline. */
export function serializeNotebook(doc: NotebookDocument): string {
  const scope: NotebookScope = { sources: doc.scope.sources };
  if (doc.scope.workspaces?.length) scope.workspaces = doc.scope.workspaces;
  if (doc.scope.from) scope.from = doc.scope.from;
  if (doc.scope.to) scope.to = doc.scope.to;
  if (doc.scope.dedupe) scope.dedupe = true;
  const cells = doc.cells.map((c) => (c.analysisId ? { id: c.id, title: c.title, analysisId: c.analysisId, sql: c.sql } : { id: c.id, title: c.title, sql: c.sql }));
  const asOf = doc.asOf && doc.asOf.kind !== 'now' ? { asOf: doc.asOf } : {};
  return JSON.stringify({ version: doc.version, title: doc.title, ...(doc.engine === 'databricks' ? { engine: doc.engine } : {}), scope, ...asOf, cells }, null, 2) + '\n';
}
