/**
 * Spark syntax that has no SQLite spelling, rewritten as edits on the significant tokens:
 * - calls SQLite spells differently or reserves (see ./calls), and every "now" (see ./now);
 * - `x[0]` and `x['key']` on JSON arrays and maps become json_extract (a `requestParams['key']`
 *   reads the value as a string, as `requestParams.key` does);
 * - dates, times and intervals (see ./temporal), and the epoch-ms `timestamp` next to them (see ./raw-timestamp);
 * - generators: explode, posexplode, json_tuple, LATERAL VIEW (see ./generators);
 * - QUALIFY (see ./qualify); features not supported yet are refused by name (see ./unsupported);
 * - Databricks' `system.access.audit` (any part in backticks) is the session's `system_access_audit` view.
 */
import { identifierName, isNameToken, sparkStringValue, type Token } from '../../../shared/sql/lexer';
import { callEdits } from './calls';
import { emptyEdits, isPunct, matchingParens, type TokenEdits } from './edits';
import { sqliteString } from './lex';
import { fieldChain, jsonKey } from './calls';
import { generatorEdits } from './generators';
import { nowEdits } from './now';
import { qualifyEdits } from './qualify';
import { temporalEdits } from './temporal';
import { rawTimestampEdits } from './raw-timestamp';
import { unsupportedCheck } from './unsupported';
import { MAP_COLUMN_NAMES } from '../../../shared/auditRecord';

export type { TokenEdits } from './edits';

export interface SyntaxEdits extends TokenEdits {
  /** Bare references to columns a generator introduced → the name Spark shows for them. */
  generatedColumns: ReadonlyMap<number, string>;
}

export function sparkSyntaxEdits(source: string, sig: readonly Token[], translateFragment: (sql: string) => string): SyntaxEdits {
  const edits = emptyEdits();
  const match = matchingParens(sig);
  const generated = generatorEdits(source, sig, match, edits, translateFragment);
  qualifyEdits(source, sig, match, edits, translateFragment);
  unsupportedCheck(source, sig, match);
  callEdits(source, sig, match, edits);
  nowEdits(sig, match, edits);
  subscripts(sig, match, edits);
  temporalEdits(source, sig, match, edits);
  rawTimestampEdits(source, sig, match, edits);
  systemTable(sig, edits);
  return { ...edits, generatedColumns: generated.columns };
}

/** Where the operand ending at `end` starts: a dotted name, a call, a parenthesis or a subscript. */
function operandStart(sig: readonly Token[], match: ReadonlyMap<number, number>, end: number, subscriptStart: ReadonlyMap<number, number>): number | undefined {
  const t = sig[end];
  if (t === undefined) return undefined;
  const sub = subscriptStart.get(end);
  if (sub !== undefined) return sub;
  if (isPunct(t, ')')) {
    const open = match.get(end);
    if (open === undefined) return undefined;
    return isNameToken(sig[open - 1]) ? open - 1 : open;
  }
  if (!isNameToken(t)) return undefined;
  let start = end;
  while (isPunct(sig[start - 1], '.') && isNameToken(sig[start - 2])) start -= 2;
  return start;
}

function subscripts(sig: readonly Token[], match: ReadonlyMap<number, number>, edits: TokenEdits): void {
  const subscriptStart = new Map<number, number>();
  sig.forEach((t, k) => {
    const previous = sig[k - 1];
    if (edits.replace.has(k)) return; // part of a rewrite already (a col:path)
    if (isPunct(t, ')') && isPunct(sig[k + 1], '.') && isNameToken(sig[k + 2]) && !edits.replace.has(k + 1)) return resultField(sig, match, k, edits, subscriptStart);
    if (t.kind !== 'bracket' || previous === undefined || previous.end !== t.start) return;
    const inside = t.text.slice(1, -1).trim();
    let path: string | undefined;
    let key: string | undefined;
    if (/^\d+$/.test(inside)) path = `$[${inside}]`;
    else if (/^'(?:[^']|'')*'$/.test(inside)) key = inside.slice(1, -1).replace(/''/g, "'");
    else if (/^"(?:[^"\\]|\\.|"")*"$/.test(inside)) key = sparkStringValue({ ...t, kind: 'dquoted', text: inside });
    else return;
    const start = operandStart(sig, match, k - 1, subscriptStart);
    if (start === undefined) return;
    subscriptStart.set(k, start);
    if (key !== undefined && start === k - 1 && previous.kind === 'word' && MAP_COLUMN_NAMES.has(previous.text.toLowerCase())) {
      const column = previous.text;
      const p = sqliteString(`$."${key.replace(/"/g, '\\"')}"`);
      edits.replace.set(k - 1, `CASE json_type(${column}, ${p}) WHEN 'text' THEN json_extract(${column}, ${p}) WHEN 'null' THEN NULL ELSE ${column} -> ${p} END`);
      edits.replace.set(k, '');
      return;
    }
    path ??= `$.${jsonKey(key!)}`;
    const fields = fieldChain(sig, k, edits);
    edits.before.set(start, ['json_extract(', ...(edits.before.get(start) ?? [])]);
    edits.replace.set(k, `, ${sqliteString(path + fields.path)})`);
    if (fields.last !== k) subscriptStart.set(fields.last, start);
  });
}

/** Words a parenthesis can follow without being a call's. */
const NOT_CALLS: ReadonlySet<string> = new Set([
  'and', 'or', 'not', 'in', 'exists', 'as', 'from', 'join', 'on', 'when', 'then', 'else', 'case', 'over', 'values', 'using', 'select',
  'where', 'by', 'filter', 'having', 'is', 'like', 'rlike', 'ilike', 'between', 'all', 'any', 'some', 'distinct', 'return', 'with', 'union',
]);

/** `from_json(x, 'a INT').a`, `(expr).a.b`: a field of a call's or a parenthesis' value. */
function resultField(sig: readonly Token[], match: ReadonlyMap<number, number>, close: number, edits: TokenEdits, subscriptStart: Map<number, number>): void {
  const open = match.get(close);
  if (open === undefined) return;
  const name = sig[open - 1];
  const isCall = isNameToken(name) && !isPunct(sig[open - 2], '.') && !(name!.kind === 'word' && NOT_CALLS.has(name!.text.toLowerCase()));
  const start = isCall ? open - 1 : open;
  const fields = fieldChain(sig, close, edits);
  edits.before.set(start, ['json_extract(', ...(edits.before.get(start) ?? [])]);
  edits.after.set(close, [...(edits.after.get(close) ?? []), `, ${sqliteString('$' + fields.path)})`]);
  subscriptStart.set(fields.last, start);
}

const SYSTEM_TABLE = ['system', 'access', 'audit'];

/** `system.access.audit` → `system_access_audit`, so published system-table queries run as written. */
function systemTable(sig: readonly Token[], edits: TokenEdits): void {
  sig.forEach((_, k) => {
    if (isPunct(sig[k - 1], '.') || isPunct(sig[k + 5], '(')) return;
    const named = SYSTEM_TABLE.every((part, i) => isNameToken(sig[k + 2 * i]) && identifierName(sig[k + 2 * i]!)!.toLowerCase() === part && (i === 0 || isPunct(sig[k + 2 * i - 1], '.')));
    if (!named) return;
    edits.replace.set(k, 'system_access_audit');
    for (let j = k + 1; j <= k + 4; j++) edits.replace.set(j, '');
  });
}
