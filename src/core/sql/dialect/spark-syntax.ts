/**
 * Spark syntax that has no SQLite spelling, rewritten as edits on the significant tokens:
 * - `current_date()`, `current_timestamp()`, `left(s, n)`, `right(s, n)` (SQLite keywords) call
 *   the registered spark_* functions; `nvl(a, b)` is ifnull; `nvl2(a, b, c)` a CASE;
 * - `x[0]` and `x['key']` on JSON arrays and maps become json_extract (a `requestParams['key']`
 *   reads the value as a string, as `requestParams.key` does);
 * - `<date/time function> ± INTERVAL n DAYS|HOURS|MINUTES|SECONDS|WEEKS` becomes spark_time_add;
 *   any other INTERVAL is an error at its position rather than a wrong answer;
 * - a comparison between a date/time function (with its intervals) and a column, string or
 *   another date/time function compares both as epoch milliseconds, so `timestamp` (epoch ms),
 *   `date` (yyyy-MM-dd) and `event_time` (ISO text) all compare with it as Spark compares them.
 */
import { SqlError } from './position';
import { sparkStringValue, type Token } from '../../../shared/sql/lexer';
import { sqliteString } from './lex';

export interface TokenEdits {
  /** Text emitted before a significant token, outermost first. */
  before: Map<number, string[]>;
  /** Text emitted after a significant token, innermost first. */
  after: Map<number, string[]>;
  /** Replacement text of a significant token ('' drops it). */
  replace: Map<number, string>;
}

/** Functions whose value is a Spark DATE or TIMESTAMP. */
const TEMPORAL_FUNCTIONS: ReadonlySet<string> = new Set([
  'current_date', 'current_timestamp', 'now', 'to_timestamp', 'to_date', 'date_trunc', 'date_add', 'date_sub',
]);

const INTERVAL_UNITS: ReadonlyMap<string, string> = new Map([
  ['week', 'week'], ['weeks', 'week'], ['day', 'day'], ['days', 'day'], ['hour', 'hour'], ['hours', 'hour'],
  ['minute', 'minute'], ['minutes', 'minute'], ['second', 'second'], ['seconds', 'second'],
]);

const COMPARISONS: ReadonlySet<string> = new Set(['=', '==', '!=', '<>', '<', '>', '<=', '>=', '<=>']);
const MAP_COLUMNS: ReadonlySet<string> = new Set(['requestparams', 'request_params']);

const isPunct = (t: Token | undefined, text: string): boolean => t !== undefined && t.kind === 'punct' && t.text === text;
const isWord = (t: Token | undefined, ...words: string[]): boolean => t !== undefined && t.kind === 'word' && words.includes(t.text.toLowerCase());
const isName = (t: Token | undefined): boolean => t !== undefined && (t.kind === 'word' || t.kind === 'backtick' || t.kind === 'bracket');

export function sparkSyntaxEdits(source: string, sig: readonly Token[]): TokenEdits {
  const edits: TokenEdits = { before: new Map(), after: new Map(), replace: new Map() };
  const match = matchingParens(sig);
  renameCalls(sig, match, edits);
  subscripts(sig, match, edits);
  const spans = temporalSpans(source, sig, match, edits);
  compareAsMillis(sig, spans, edits);
  return edits;
}

function wrap(edits: TokenEdits, first: number, last: number, open: string, close: string): void {
  edits.before.set(first, [open, ...(edits.before.get(first) ?? [])]);
  edits.after.set(last, [...(edits.after.get(last) ?? []), close]);
}

/** For each '(' its ')' and for each ')' its '(' (unbalanced ones are left to SQLite to report). */
function matchingParens(sig: readonly Token[]): Map<number, number> {
  const match = new Map<number, number>();
  const open: number[] = [];
  sig.forEach((t, k) => {
    if (isPunct(t, '(')) open.push(k);
    else if (isPunct(t, ')')) {
      const o = open.pop();
      if (o !== undefined) {
        match.set(o, k);
        match.set(k, o);
      }
    }
  });
  return match;
}

/** Top-level commas of the call whose '(' is at `open`. */
function argumentCommas(sig: readonly Token[], open: number, close: number): number[] {
  const commas: number[] = [];
  let depth = 0;
  for (let k = open + 1; k < close; k++) {
    if (isPunct(sig[k], '(')) depth++;
    else if (isPunct(sig[k], ')')) depth--;
    else if (depth === 0 && isPunct(sig[k], ',')) commas.push(k);
  }
  return commas;
}

function renameCalls(sig: readonly Token[], match: ReadonlyMap<number, number>, edits: TokenEdits): void {
  sig.forEach((t, k) => {
    if (t.kind !== 'word' || !isPunct(sig[k + 1], '(') || isPunct(sig[k - 1], '.')) return;
    const name = t.text.toLowerCase();
    if (name === 'current_date' || name === 'current_timestamp' || name === 'left' || name === 'right') edits.replace.set(k, `spark_${name}`);
    else if (name === 'nvl') edits.replace.set(k, 'ifnull');
    else if (name === 'nvl2') {
      const close = match.get(k + 1);
      if (close === undefined) return;
      const commas = argumentCommas(sig, k + 1, close);
      if (commas.length !== 2) return; // SQLite then reports the unknown function at its name
      edits.replace.set(k, 'CASE WHEN ');
      edits.replace.set(commas[0]!, ') IS NOT NULL THEN (');
      edits.replace.set(commas[1]!, ') ELSE (');
      edits.replace.set(close, ') END');
    }
  });
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
    return isName(sig[open - 1]) ? open - 1 : open;
  }
  if (!isName(t)) return undefined;
  let start = end;
  while (isPunct(sig[start - 1], '.') && isName(sig[start - 2])) start -= 2;
  return start;
}

function subscripts(sig: readonly Token[], match: ReadonlyMap<number, number>, edits: TokenEdits): void {
  const subscriptStart = new Map<number, number>();
  sig.forEach((t, k) => {
    const previous = sig[k - 1];
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
    if (key !== undefined && start === k - 1 && previous.kind === 'word' && MAP_COLUMNS.has(previous.text.toLowerCase())) {
      const column = previous.text;
      const p = sqliteString(`$."${key.replace(/"/g, '\\"')}"`);
      edits.replace.set(k - 1, `CASE json_type(${column}, ${p}) WHEN 'text' THEN json_extract(${column}, ${p}) WHEN 'null' THEN NULL ELSE ${column} -> ${p} END`);
      edits.replace.set(k, '');
      return;
    }
    path ??= `$."${key!.replace(/"/g, '\\"')}"`;
    edits.before.set(start, ['json_extract(', ...(edits.before.get(start) ?? [])]);
    edits.replace.set(k, `, ${sqliteString(path)})`);
  });
}

interface Span {
  first: number;
  last: number;
}

/** Date/time function calls with their `± INTERVAL` terms; rewrites the intervals. */
function temporalSpans(source: string, sig: readonly Token[], match: ReadonlyMap<number, number>, edits: TokenEdits): Span[] {
  const byLast = new Map<number, Span>();
  sig.forEach((t, k) => {
    if (t.kind !== 'word' || isPunct(sig[k - 1], '.') || !TEMPORAL_FUNCTIONS.has(t.text.toLowerCase())) return;
    if (isPunct(sig[k + 1], '(')) {
      const close = match.get(k + 1);
      if (close !== undefined) byLast.set(close, { first: k, last: close });
    } else if (isWord(t, 'current_date', 'current_timestamp')) {
      byLast.set(k, { first: k, last: k });
    }
  });
  const unsupported = (k: number): SqlError =>
    SqlError.at(source, sig[k]!.start, 'INTERVAL works here only as <date/time function> + or - INTERVAL n DAYS|HOURS|MINUTES|SECONDS|WEEKS (for example current_date() - INTERVAL 7 DAYS)');
  sig.forEach((t, k) => {
    if (!isWord(t, 'interval')) return;
    const op = sig[k - 1];
    const operand = byLast.get(k - 2);
    if (!operand || op?.kind !== 'operator' || (op.text !== '-' && op.text !== '+')) {
      if (isNumberLike(sig[k + 1]) || (sig[k + 1]?.kind === 'operator' && isNumberLike(sig[k + 2]))) throw unsupported(k);
      return;
    }
    let n = k + 1;
    let sign = op.text === '-' ? -1 : 1;
    if (sig[n]?.kind === 'operator' && (sig[n]!.text === '-' || sig[n]!.text === '+')) {
      if (sig[n]!.text === '-') sign = -sign;
      edits.replace.set(n, '');
      n++;
    }
    const amount = intervalAmount(sig[n]);
    const unit = sig[n + 1]?.kind === 'word' ? INTERVAL_UNITS.get(sig[n + 1]!.text.toLowerCase()) : undefined;
    if (amount === undefined || unit === undefined) throw unsupported(k);
    edits.before.set(operand.first, ['spark_time_add(', ...(edits.before.get(operand.first) ?? [])]);
    edits.replace.set(k - 1, ',');
    edits.replace.set(k, '');
    edits.replace.set(n, String(sign * amount));
    edits.replace.set(n + 1, `, '${unit}')`);
    byLast.delete(k - 2);
    byLast.set(n + 1, { first: operand.first, last: n + 1 });
  });
  return [...byLast.values()];
}

function isNumberLike(t: Token | undefined): boolean {
  return t !== undefined && (t.kind === 'number' || t.kind === 'string' || t.kind === 'dquoted');
}

function intervalAmount(t: Token | undefined): number | undefined {
  if (t === undefined) return undefined;
  const raw = t.kind === 'number' ? t.text : t.kind === 'string' || t.kind === 'dquoted' ? sparkStringValue(t) : undefined;
  return raw !== undefined && /^\d+$/.test(raw.trim()) ? Number(raw) : undefined;
}

const ARITHMETIC = new Set(['+', '-', '*', '/', '%', '||', '&', '|', '<<', '>>', '->', '->>', '~']);

/** Whether a token may sit next to an operand without being part of it. */
function bounds(t: Token | undefined): boolean {
  if (t === undefined) return true;
  if (t.kind === 'operator') return !ARITHMETIC.has(t.text);
  if (t.kind === 'punct') return t.text !== '.' && t.text !== '(';
  return t.kind === 'word'; // a keyword (WHERE, AND, THEN, …) or an alias
}

/** A column, a string literal or a date/time span next to a comparison operator. */
function simpleOperand(sig: readonly Token[], spans: readonly Span[], from: number, direction: -1 | 1): Span | undefined {
  const span = spans.find((s) => (direction === 1 ? s.first === from : s.last === from));
  if (span) return span;
  const t = sig[from];
  if (t === undefined) return undefined;
  if (t.kind === 'string' || t.kind === 'dquoted') return { first: from, last: from };
  if (!isName(t)) return undefined;
  let first = from;
  let last = from;
  if (direction === -1) while (isPunct(sig[first - 1], '.') && isName(sig[first - 2])) first -= 2;
  else while (isPunct(sig[last + 1], '.') && isName(sig[last + 2])) last += 2;
  return { first, last };
}

function compareAsMillis(sig: readonly Token[], spans: readonly Span[], edits: TokenEdits): void {
  const wrapped = new Set<number>();
  const wrapOnce = (s: Span): void => {
    if (wrapped.has(s.first)) return;
    wrapped.add(s.first);
    wrap(edits, s.first, s.last, 'spark_epoch_ms(', ')');
  };
  for (const span of spans) {
    const before = sig[span.first - 1];
    const after = sig[span.last + 1];
    let other: Span | undefined;
    if (before?.kind === 'operator' && COMPARISONS.has(before.text)) {
      other = simpleOperand(sig, spans, span.first - 2, -1);
      if (other && (!bounds(sig[other.first - 1]) || !bounds(after))) other = undefined;
    }
    if (!other && after?.kind === 'operator' && COMPARISONS.has(after.text)) {
      other = simpleOperand(sig, spans, span.last + 2, 1);
      if (other && (!bounds(sig[other.last + 1]) || !bounds(before))) other = undefined;
    }
    if (!other) continue;
    wrapOnce(span);
    wrapOnce(other);
  }
}

