/**
 * Published Databricks SQL queries and alerts read as they are: a JSON array of
 * `{name, description, query, alert?}` entries, or an object whose values are such arrays (as in
 * andyweaves/system-tables-audit-logs' `resources/queries_and_alerts.json`). Each entry is a
 * detection whose id is its name; with an alert, a finding is each row where the alert's
 * condition holds, otherwise every row is one.
 */
import { SEVERITIES, type AlertCondition, type Detection, type Severity } from '../analyses/types';
import type { PackDocument } from './document';
import { fieldName, packError } from './errors';
import { ALERT_OPERATOR_SPELLINGS, alertOperator, applyAlert } from './alert';

type Entry = Record<string, unknown>;

function isEntry(value: unknown): value is Entry {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as Entry).name === 'string' && typeof (value as Entry).query === 'string';
}

function isEntryList(value: unknown): value is Entry[] {
  return Array.isArray(value) && value.length > 0 && value.every(isEntry);
}

/** Whether a file's value is in this shape: a list of entries, or an object of such lists. */
export function isQueriesAndAlerts(value: unknown): boolean {
  if (isEntryList(value)) return true;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const lists = Object.values(value);
  return lists.length > 0 && lists.every(isEntryList);
}

/** Every entry with the path it sits at. */
function entries(value: unknown): { entry: Entry; path: (string | number)[] }[] {
  if (Array.isArray(value)) return value.map((entry: Entry, index) => ({ entry, path: [index] }));
  return Object.entries(value as Record<string, Entry[]>).flatMap(([key, list]) => list.map((entry, index) => ({ entry, path: [key, index] })));
}

function titleOf(name: string): string {
  const words = name.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function firstSentence(text: string): string {
  const match = /^(.+?[.?!])(\s|$)/s.exec(text.trim());
  return (match ? match[1]! : text).trim();
}

function readAlert(raw: unknown, fail: (field: (string | number)[], message: string) => never): AlertCondition {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(['alert'], 'must be an object with column, op and value');
  // The published file nests the condition in `options`; the Alerts API's newer shape has it at the top.
  const nested = typeof (raw as Entry).options === 'object' && (raw as Entry).options !== null;
  const condition = (nested ? (raw as Entry).options : raw) as Entry;
  const at = (field: string) => (nested ? ['alert', 'options', field] : ['alert', field]);
  const { column, op, value } = condition;
  if (typeof column !== 'string' || column.trim() === '') fail(at('column'), 'must name a column of the query');
  if (typeof op !== 'string') fail(at('op'), `must be one of ${ALERT_OPERATOR_SPELLINGS.join(', ')}`);
  const operator = alertOperator(op);
  if (!operator) fail(at('op'), `'${op}' is not one of ${ALERT_OPERATOR_SPELLINGS.join(', ')}`);
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') fail(at('value'), 'must be a string, number or boolean');
  return { column, op: operator, value };
}

function toDetection(entry: Entry, path: (string | number)[], document: PackDocument, pack: string): Detection {
  const id = (entry.name as string).trim();
  const fail = (field: (string | number)[], message: string): never => {
    const line = document.lineOf([...path, ...field]);
    throw packError({ file: document.file, ...(line === undefined ? {} : { line }), detection: id || fieldName(path)!, field: fieldName(field)! }, message);
  };
  if (id === '' || id.includes(',')) fail(['name'], 'must be a name without commas');
  const description = typeof entry.description === 'string' && entry.description.trim() !== '' ? entry.description.trim() : undefined;
  let severity: Severity = 'medium';
  if (entry.severity !== undefined) {
    const text = typeof entry.severity === 'string' ? entry.severity.toLowerCase() : undefined;
    if (!text || !(SEVERITIES as readonly string[]).includes(text)) fail(['severity'], `must be one of ${SEVERITIES.join(', ')}`);
    severity = text as Severity;
  }
  const query = entry.query as string;
  if (query.trim() === '') fail(['query'], 'is empty');
  const alert = entry.alert === undefined || entry.alert === null ? undefined : readAlert(entry.alert, fail);
  return {
    id,
    category: 'detection',
    title: titleOf(id),
    severity,
    question: description ? firstSentence(description) : `Rows of the published query ${id}.`,
    rationale: description ?? `Published query ${id}.`,
    services: [],
    pack,
    sqlTemplate: query,
    sql: alert ? applyAlert(query, alert) : query,
    parameters: {},
    mitre: [],
    references: [],
    tests: { fires: [], quiet: [] },
    ...(alert ? { alert } : {}),
  };
}

export function readQueriesAndAlerts(document: PackDocument, pack: string): Detection[] {
  return entries(document.value).map(({ entry, path }) => toDetection(entry, path, document, pack));
}
