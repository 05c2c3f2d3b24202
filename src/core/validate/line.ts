/**
 * Validates one line of an audit-log file. A line that is a JSON object is a record (it is loaded
 * whatever its findings, as Spark's JSON reader loads it); any other line is rejected.
 */
import { AUDIT_LEVELS, documentedSpellingOf, findAction, findServices, type AuditLevel } from '../catalog';
import { checkRecord, type SchemaIssue } from '../schema';
import { scanJson, type ScanResult, type ScannedMember } from './scan';
import type { Finding, FindingCode, LineContext, LineValidation, Severity } from './types';
import { own } from '../own';
import { DELIVERED_FIELDS, NESTED_FIELDS } from '../../shared/auditRecord';

const TRUNCATED_SUFFIX = '... truncated';
const TRUNCATED_KEY = 'TRUNCATED';
const documentedKeys = new WeakMap<object, Set<string>>();

type Span = { start: number; end: number };

class LineFindings {
  readonly list: Finding[] = [];
  constructor(private readonly context: LineContext) {}

  add(span: Span, severity: Severity, code: FindingCode, message: string): void {
    this.list.push({
      file: this.context.file,
      line: this.context.line,
      column: span.start + 1,
      endColumn: Math.max(span.end, span.start + 1) + 1,
      severity,
      code,
      message,
    });
  }
}

function pathKey(path: readonly string[]): string {
  return path.join('\u0000');
}

function keySpan(m: ScannedMember): Span {
  return { start: m.keyStart, end: m.keyEnd };
}

function valueSpan(m: ScannedMember): Span {
  return { start: m.valueStart, end: m.valueEnd };
}

function quoteShort(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

export function validateLine(text: string, context: LineContext): LineValidation {
  const out = new LineFindings(context);
  const scan = scanJson(text);
  if (scan.error) {
    reportSyntax(text, scan, out);
    return { isRecord: false, findings: out.list };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // The scanner accepts exactly JSON; this guards against a disagreement all the same.
    out.add({ start: 0, end: text.length }, 'error', 'invalid-json', `invalid JSON: ${(error as Error).message}`);
    return { isRecord: false, findings: out.list };
  }
  if (scan.rootKind !== 'object') {
    const what = scan.rootKind === 'array' ? 'an array' : scan.rootKind === 'string' ? 'a string' : scan.rootKind === 'number' ? 'a number' : scan.rootKind === 'null' ? 'null' : 'a boolean';
    const start = text.length - text.trimStart().length;
    out.add({ start, end: text.trimEnd().length }, 'error', 'not-object', `the line is ${what}, not a JSON object: it cannot be a record`);
    return { isRecord: false, findings: out.list };
  }
  checkRecordLine(text, value as Record<string, unknown>, scan, context, out);
  out.list.sort((a, b) => a.column - b.column || a.endColumn - b.endColumn);
  return { isRecord: true, findings: out.list, value: value as Record<string, unknown> };
}

function reportSyntax(text: string, scan: ScanResult, out: LineFindings): void {
  const error = scan.error!;
  if (error.nul) {
    out.add({ start: error.offset, end: error.offset + 1 }, 'error', 'nul-byte', 'NUL byte (U+0000) in the line: JSON allows no raw control characters, so the line is not valid JSON');
    return;
  }
  if (error.truncated) {
    const start = Math.max(0, text.length - 1);
    out.add({ start, end: text.length }, 'error', 'invalid-json', `invalid JSON: ${error.message}`);
    return;
  }
  const end = /after the end of the JSON value/.test(error.message) ? text.trimEnd().length : error.offset + 1;
  out.add({ start: error.offset, end }, 'error', 'invalid-json', `invalid JSON at column ${error.offset + 1}: ${error.message}`);
}

function checkRecordLine(
  text: string,
  record: Record<string, unknown>,
  scan: ScanResult,
  context: LineContext,
  out: LineFindings,
): void {
  const members = new Map<string, ScannedMember>();
  for (const m of scan.members) members.set(pathKey(m.path), m);
  const find = (...path: string[]): ScannedMember | undefined => members.get(pathKey(path));
  const recordStart: Span = { start: text.indexOf('{'), end: text.indexOf('{') + 1 };

  const variants = casingVariants(scan, out);
  for (const issue of checkRecord(record)) reportSchemaIssue(issue, record, find, recordStart, variants, out);

  for (const big of scan.bigIntegers) {
    const span = { start: big.start, end: big.end };
    const rounded = String(Number(big.text));
    if (big.path?.length === 1 && big.path[0] === 'workspaceId') {
      out.add(span, 'warning', 'unsafe-integer', `workspaceId ${big.text} is a JSON number past 2^53: most JSON readers round it (to ${rounded}); write workspace ids as strings`);
    } else {
      const where = big.path ? `${big.path.join('.')} ` : '';
      out.add(span, 'warning', 'unsafe-integer', `${where}${big.text} is an integer past 2^53: most JSON readers round it (to ${rounded})`);
    }
  }
  for (const dup of scan.duplicates) {
    const key = dup.path[dup.path.length - 1];
    const parent = dup.path.length > 1 ? ` in ${dup.path.slice(0, -1).join('.')}` : '';
    out.add({ start: dup.keyStart, end: dup.keyEnd }, 'warning', 'duplicate-key', `duplicate key ${key}${parent}: JSON readers keep only its last value`);
  }

  checkTruncation(record, scan, find, out);
  checkCatalog(record, find, out);
  checkExpectations(text, record, find, context, out);
}

/** Keys that differ from a schema field only in letter case (`ServiceName`); returns variant by field. */
function casingVariants(scan: ScanResult, out: LineFindings): Map<string, string> {
  const byField = new Map<string, string>();
  for (const m of scan.members) {
    const key = m.path[m.path.length - 1]!;
    const known = m.path.length === 1 ? DELIVERED_FIELDS : NESTED_FIELDS.get(m.path[0]!);
    if (!known || known.includes(key)) continue;
    const field = known.find((f) => f.toLowerCase() === key.toLowerCase());
    if (!field) continue;
    const parent = m.path.length > 1 ? `${m.path[0]}.` : '';
    byField.set(parent + field, key);
    out.add(keySpan(m), 'warning', 'key-casing', `${parent}${key} differs from the field ${parent}${field} only in letter case: queries of ${parent}${field} do not see it`);
  }
  return byField;
}

function reportSchemaIssue(
  issue: SchemaIssue,
  record: Record<string, unknown>,
  find: (...path: string[]) => ScannedMember | undefined,
  recordStart: Span,
  variants: Map<string, string>,
  out: LineFindings,
): void {
  const member = find(...issue.path);
  const field = issue.path.join('.');
  switch (issue.keyword) {
    case 'required': {
      const variant = variants.get(field);
      const hint = variant ? ` (the line has ${variant}, spelt differently)` : '';
      out.add(recordStart, 'error', 'missing-field', `missing required field ${field}${hint}`);
      return;
    }
    case 'type': {
      if (!member) return;
      if (issue.path[0] === 'requestParams' && issue.path.length === 2) {
        reportNonStringParam(issue.path[1]!, member, out);
        return;
      }
      let message = `${field} is ${kindName(member.kind)}; it must be ${issue.allowed?.join(' or ') ?? 'another type'}`;
      if (field === 'timestamp' && member.kind === 'string') {
        const parsed = Date.parse(String(record.timestamp));
        message += Number.isNaN(parsed)
          ? ': a number of epoch milliseconds'
          : `: write epoch milliseconds (${parsed}) rather than a date string`;
      } else if (field === 'timestamp' && member.kind === 'number') {
        message += ': a whole number of epoch milliseconds';
      }
      out.add(valueSpan(member), 'error', 'wrong-type', message);
      return;
    }
    case 'enum':
      if (!member) return;
      out.add(valueSpan(member), 'error', 'bad-audit-level', `${field} is ${quoteShort(String(record[field]))}; it must be ${AUDIT_LEVELS.join(' or ')}`);
      return;
    case 'pattern':
      if (!member) return;
      out.add(valueSpan(member), 'error', 'bad-workspace-id', `${field} must be a workspace id (digits only)`);
      return;
    default:
      out.add(member ? valueSpan(member) : recordStart, 'error', 'schema', issue.message);
  }
}

function kindName(kind: ScannedMember['kind']): string {
  switch (kind) {
    case 'object':
      return 'an object';
    case 'array':
      return 'an array';
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'null':
      return 'null';
    default:
      return 'a boolean';
  }
}

/** Delivered logs JSON-encode every parameter value as a string; other types load, with a note. */
function reportNonStringParam(key: string, member: ScannedMember, out: LineFindings): void {
  const nested = member.kind === 'object' || member.kind === 'array';
  const severity: Severity = nested ? 'warning' : 'information';
  const advice = nested
    ? 'delivered logs JSON-encode nested values as strings, and a structure where other records hold a string makes the column\'s type conflict'
    : 'delivered logs write parameter values as strings (for example "1", "true")';
  out.add(valueSpan(member), severity, 'non-string-param', `requestParams.${key} is ${kindName(member.kind)}: ${advice}`);
}

function checkTruncation(
  record: Record<string, unknown>,
  scan: ScanResult,
  find: (...path: string[]) => ScannedMember | undefined,
  out: LineFindings,
): void {
  const params = record.requestParams;
  if (params && typeof params === 'object' && !Array.isArray(params)) {
    const keys = Object.keys(params);
    if (keys.length === 1 && keys[0] === TRUNCATED_KEY) {
      const m = find('requestParams', TRUNCATED_KEY);
      if (m) out.add(keySpan(m), 'warning', 'truncated-params', 'requestParams was too large and was replaced by a single TRUNCATED key: the parameters are lost');
    }
  }
  for (const m of scan.members) {
    if (m.kind !== 'string' || m.path.length === 0) continue;
    if (!text(m, record).endsWith(TRUNCATED_SUFFIX)) continue;
    out.add(valueSpan(m), 'warning', 'truncated-value', `${m.path.join('.')} ends in "${TRUNCATED_SUFFIX}": the value was cut (values over 100 KB are)`);
  }
}

/** A tracked string member's parsed value (the last occurrence, as JSON.parse keeps). */
function text(m: ScannedMember, record: Record<string, unknown>): string {
  let node: unknown = record;
  for (const key of m.path) node = node && typeof node === 'object' ? own(node as Record<string, unknown>, key) : undefined;
  return typeof node === 'string' ? node : '';
}

function checkCatalog(record: Record<string, unknown>, find: (...path: string[]) => ScannedMember | undefined, out: LineFindings): void {
  const service = record.serviceName;
  const action = record.actionName;
  if (typeof service !== 'string') return;
  const serviceMember = find('serviceName');
  if (findServices(service).length === 0) {
    if (serviceMember) out.add(valueSpan(serviceMember), 'information', 'unknown-service', `service ${quoteShort(service)} is not in the catalog (logs carry services the documentation does not list)`);
    return;
  }
  if (typeof action !== 'string') return;
  const level = AUDIT_LEVELS.includes(record.auditLevel as AuditLevel) ? (record.auditLevel as AuditLevel) : undefined;
  const entry = findAction(service, action, level);
  if (!entry) {
    const actionMember = find('actionName');
    const partial = findServices(service).some((s) => s.partial);
    const text = partial ? `is not among the actions the catalog holds for ${service} (it holds only some)` : `is not a documented action of ${service}`;
    if (actionMember) out.add(valueSpan(actionMember), 'information', 'unknown-action', `action ${quoteShort(action)} ${text}`);
    return;
  }
  const params = record.requestParams;
  if (!params || typeof params !== 'object' || Array.isArray(params)) return;
  const keys = Object.keys(params);
  if (keys.length === 1 && keys[0] === TRUNCATED_KEY) return;
  let documented = documentedKeys.get(entry);
  if (!documented) documentedKeys.set(entry, (documented = new Set(entry.params.map((p) => p.name))));
  for (const key of keys) {
    if (documented.has(key)) continue;
    const m = find('requestParams', key);
    if (!m) continue;
    const spelling = documentedSpellingOf(service, action, key, level);
    if (spelling) {
      out.add(keySpan(m), 'information', 'key-casing', `requestParams.${key} differs from the documented key ${spelling} only in letter case: queries of requestParams.${spelling} do not see it`);
    } else {
      out.add(keySpan(m), 'information', 'undocumented-param', `requestParams.${key} is not documented for ${entry.service}.${entry.name}`);
    }
  }
}

function checkExpectations(
  line: string,
  record: Record<string, unknown>,
  find: (...path: string[]) => ScannedMember | undefined,
  context: LineContext,
  out: LineFindings,
): void {
  const workspace = find('workspaceId');
  // Account-level events are delivered to workspaceId=0 even when they name the workspace they concern.
  const accountFolder = context.expectedWorkspaceId === '0' && record.auditLevel === 'ACCOUNT_LEVEL';
  if (context.expectedWorkspaceId !== undefined && !accountFolder && workspace && (workspace.kind === 'string' || workspace.kind === 'number')) {
    // The raw token, not the parsed value: a number past 2^53 would compare rounded.
    const raw = line.slice(workspace.valueStart, workspace.valueEnd);
    const id = workspace.kind === 'string' ? String(record.workspaceId) : raw;
    if (id !== context.expectedWorkspaceId) {
      out.add(valueSpan(workspace), 'warning', 'workspace-mismatch', `workspaceId ${id} differs from the file's folder workspaceId=${context.expectedWorkspaceId}`);
    }
  }
  const timestamp = record.timestamp;
  const stamp = find('timestamp');
  if (context.expectedDate !== undefined && stamp && typeof timestamp === 'number' && Number.isInteger(timestamp)) {
    const date = new Date(timestamp);
    if (!Number.isNaN(date.getTime())) {
      const day = date.toISOString().slice(0, 10);
      if (day !== context.expectedDate) {
        out.add(valueSpan(stamp), 'warning', 'date-mismatch', `timestamp ${timestamp} is on ${day} (UTC), not on the file's folder date=${context.expectedDate}`);
      }
    }
  }
}
