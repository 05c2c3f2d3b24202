/**
 * Spark's dates and times in the dialect, as edits on the significant tokens:
 * - `DATE'2024-05-01'` and `TIMESTAMP'2024-05-01 10:00:00'` literals (checked, then written as
 *   Spark prints them);
 * - `<date/time> ± INTERVAL …` in every Spark spelling (`INTERVAL 7 DAYS`, `INTERVAL '7' DAY`,
 *   `INTERVAL '1 day 2 hours'`) becomes spark_time_add; a DATE plus whole days, weeks, months or
 *   years stays a DATE, anything else is a TIMESTAMP, as in Spark;
 * - `DATE ± n` (an integer) is the date n days later or earlier (Spark's date_add);
 * - a comparison (or BETWEEN) between a date/time and a column, a string or another date/time
 *   compares them as epoch milliseconds, so `timestamp` (epoch ms), `date` (yyyy-MM-dd) and `event_time` all
 *   compare with it as Spark compares them.
 * A date/time here is a call of a date/time function, a typed literal, or one of the columns
 * whose Spark type is DATE or TIMESTAMP (`date`, `event_date`, `event_time`).
 */
import { isNameToken, isStringToken, sparkStringValue, type Token } from '../../../shared/sql/lexer';
import { formatDate, formatTimestamp, toMillis } from '../spark-time';
import { sqliteString } from './lex';
import { SqlError } from './position';
import { isPunct, isWord, wrap, type TokenEdits } from './edits';

type TemporalType = 'date' | 'timestamp';

/** Functions whose value is a Spark DATE or TIMESTAMP. */
const TEMPORAL_FUNCTIONS: ReadonlyMap<string, TemporalType> = new Map([
  ['current_date', 'date'], ['to_date', 'date'], ['date_add', 'date'], ['date_sub', 'date'], ['date', 'date'],
  ['last_day', 'date'], ['make_date', 'date'], ['add_months', 'date'], ['curdate', 'date'],
  ['current_timestamp', 'timestamp'], ['localtimestamp', 'timestamp'], ['now', 'timestamp'], ['to_timestamp', 'timestamp'], ['date_trunc', 'timestamp'],
  ['timestamp_millis', 'timestamp'], ['timestamp_seconds', 'timestamp'], ['timestampadd', 'timestamp'], ['dateadd', 'timestamp'],
]);

/** Columns of the two tables whose Spark type is DATE or TIMESTAMP. */
const TEMPORAL_COLUMNS: ReadonlyMap<string, TemporalType> = new Map([
  ['date', 'date'], ['event_date', 'date'], ['event_time', 'timestamp'],
]);

/** Interval units (singular, plural and Spark's short forms) → the unit spark_time_add takes. */
const INTERVAL_UNITS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    year: ['year', 'years', 'y'], month: ['month', 'months', 'mon', 'mons'], week: ['week', 'weeks', 'w'], day: ['day', 'days', 'd'],
    hour: ['hour', 'hours', 'h'], minute: ['minute', 'minutes', 'min', 'mins', 'm'], second: ['second', 'seconds', 's', 'sec', 'secs'],
    millisecond: ['millisecond', 'milliseconds', 'ms'],
  }).flatMap(([unit, spellings]) => spellings.map((s): [string, string] => [s, unit])),
);
const DATE_UNITS: ReadonlySet<string> = new Set(['year', 'month', 'week', 'day']);

const COMPARISONS: ReadonlySet<string> = new Set(['=', '==', '!=', '<>', '<', '>', '<=', '>=', '<=>']);

interface Span {
  first: number;
  last: number;
  type: TemporalType;
}

export function temporalEdits(source: string, sig: readonly Token[], match: ReadonlyMap<number, number>, edits: TokenEdits): void {
  const byLast = new Map<number, Span>();
  typedLiterals(source, sig, edits, byLast);
  temporalCalls(sig, match, byLast);
  intervals(source, sig, edits, byLast);
  dayArithmetic(sig, edits, byLast);
  compareAsMillis(sig, [...byLast.values()], edits);
  betweenAsMillis(sig, [...byLast.values()], edits);
}

function typedLiterals(source: string, sig: readonly Token[], edits: TokenEdits, byLast: Map<number, Span>): void {
  sig.forEach((t, k) => {
    const next = sig[k + 1];
    if (!isWord(t, 'date', 'timestamp', 'timestamp_ntz', 'timestamp_ltz') || !isStringToken(next) || isPunct(sig[k - 1], '.')) return;
    const text = sparkStringValue(next!);
    const ms = toMillis(text.trim());
    const type: TemporalType = isWord(t, 'date') ? 'date' : 'timestamp';
    const literal = ms === null ? null : type === 'date' ? formatDate(ms) : formatTimestamp(ms);
    if (literal === null || (type === 'date' && !/^\s*\d{4}-\d{1,2}-\d{1,2}\s*$/.test(text))) {
      throw SqlError.at(source, t.start, `${t.text.toUpperCase()} literal ${next!.text} is not a valid ${type} (write ${type === 'date' ? "DATE'yyyy-MM-dd'" : "TIMESTAMP'yyyy-MM-dd HH:mm:ss'"})`);
    }
    edits.replace.set(k, '');
    edits.replace.set(k + 1, sqliteString(literal));
    byLast.set(k + 1, { first: k, last: k + 1, type });
  });
}

function temporalCalls(sig: readonly Token[], match: ReadonlyMap<number, number>, byLast: Map<number, Span>): void {
  sig.forEach((t, k) => {
    if (t.kind !== 'word' || isPunct(sig[k - 1], '.') || byLast.has(k + 1)) return;
    const name = t.text.toLowerCase();
    const fn = TEMPORAL_FUNCTIONS.get(name);
    if (fn && isPunct(sig[k + 1], '(')) {
      const close = match.get(k + 1);
      if (close !== undefined) byLast.set(close, { first: k, last: close, type: fn });
      return;
    }
    if (name === 'current_date' || name === 'current_timestamp' || name === 'localtimestamp') {
      byLast.set(k, { first: k, last: k, type: name === 'current_date' ? 'date' : 'timestamp' });
      return;
    }
    const column = TEMPORAL_COLUMNS.get(name);
    const previous = sig[k - 1];
    if (column && !isPunct(sig[k + 1], '(') && !isPunct(sig[k + 1], '.') && !isWord(previous, 'as') && !isStringToken(sig[k + 1])) {
      let first = k;
      while (isPunct(sig[first - 1], '.') && isNameToken(sig[first - 2])) first -= 2;
      if (first !== k || !isPunct(previous, '.')) byLast.set(k, { first, last: k, type: column });
    }
  });
}

interface IntervalPart {
  amount: number;
  unit: string;
}

/** The parts of `INTERVAL …` starting at the keyword, and the index of its last token. */
function readInterval(sig: readonly Token[], k: number): { parts: IntervalPart[]; last: number; replaced: number[] } | undefined {
  let n = k + 1;
  let sign = 1;
  const replaced: number[] = [];
  if (sig[n]?.kind === 'operator' && (sig[n]!.text === '-' || sig[n]!.text === '+')) {
    if (sig[n]!.text === '-') sign = -1;
    replaced.push(n);
    n++;
  }
  const amountToken = sig[n];
  const unitToken = sig[n + 1];
  const unit = unitToken?.kind === 'word' ? INTERVAL_UNITS.get(unitToken.text.toLowerCase()) : undefined;
  if (amountToken?.kind === 'number' && /^\d+$/.test(amountToken.text) && unit) {
    return { parts: [{ amount: sign * Number(amountToken.text), unit }], last: n + 1, replaced: [...replaced, n] };
  }
  if (!isStringToken(amountToken)) return undefined;
  const text = sparkStringValue(amountToken!).trim();
  if (unit) {
    // INTERVAL '7' DAY
    if (!/^[+-]?\d+$/.test(text)) return undefined;
    return { parts: [{ amount: sign * Number(text), unit }], last: n + 1, replaced: [...replaced, n] };
  }
  // INTERVAL '1 day 2 hours'
  const words = text.replace(/^interval\s+/i, '').split(/\s+/);
  if (words.length % 2 !== 0 || words.length === 0) return undefined;
  const parts: IntervalPart[] = [];
  for (let i = 0; i < words.length; i += 2) {
    const u = INTERVAL_UNITS.get(words[i + 1]!.toLowerCase());
    if (!/^[+-]?\d+$/.test(words[i]!) || !u) return undefined;
    parts.push({ amount: sign * Number(words[i]), unit: u });
  }
  return { parts, last: n, replaced: [...replaced, n] };
}

const INTERVAL_HELP =
  "INTERVAL works here only as <date/time> + or - INTERVAL n UNIT (YEAR, MONTH, WEEK, DAY, HOUR, MINUTE, SECOND; also INTERVAL '7' DAY and INTERVAL '1 day 2 hours'), for example current_date() - INTERVAL 7 DAYS";

function intervals(source: string, sig: readonly Token[], edits: TokenEdits, byLast: Map<number, Span>): void {
  sig.forEach((t, k) => {
    if (!isWord(t, 'interval')) return;
    const op = sig[k - 1];
    const operand = byLast.get(k - 2);
    const interval = readInterval(sig, k);
    if (!operand || op?.kind !== 'operator' || (op.text !== '-' && op.text !== '+') || !interval) {
      if (interval || isStringToken(sig[k + 1]) || sig[k + 1]?.kind === 'number' || sig[k + 1]?.kind === 'operator') throw SqlError.at(source, t.start, INTERVAL_HELP);
      return;
    }
    const sign = op.text === '-' ? -1 : 1;
    const keepsDate = operand.type === 'date' && interval.parts.every((p) => DATE_UNITS.has(p.unit));
    let open = '';
    let close = '';
    for (const part of interval.parts) {
      open += 'spark_time_add(';
      close += `, ${sign * part.amount}, '${part.unit}', ${keepsDate ? 1 : 0})`;
    }
    edits.before.set(operand.first, [open, ...(edits.before.get(operand.first) ?? [])]);
    edits.replace.set(k - 1, '');
    edits.replace.set(k, '');
    for (let i = k + 1; i < interval.last; i++) edits.replace.set(i, '');
    for (const i of interval.replaced) edits.replace.set(i, '');
    edits.replace.set(interval.last, close);
    byLast.delete(k - 2);
    byLast.set(interval.last, { first: operand.first, last: interval.last, type: keepsDate ? 'date' : 'timestamp' });
  });
}

/** `DATE ± n`: Spark's date_add. A TIMESTAMP ± n is an error in Spark, so it is left to fail. */
function dayArithmetic(sig: readonly Token[], edits: TokenEdits, byLast: Map<number, Span>): void {
  for (const span of [...byLast.values()].sort((a, b) => a.last - b.last)) {
    if (span.type !== 'date' || !byLast.has(span.last)) continue;
    const op = sig[span.last + 1];
    const n = sig[span.last + 2];
    const after = sig[span.last + 3];
    if (op?.kind !== 'operator' || (op.text !== '-' && op.text !== '+') || n?.kind !== 'number' || !/^\d+$/.test(n.text)) continue;
    if (after?.kind === 'operator' && ['*', '/', '%'].includes(after.text)) continue;
    edits.before.set(span.first, ['spark_date_add(', ...(edits.before.get(span.first) ?? [])]);
    edits.replace.set(span.last + 1, op.text === '-' ? ', -' : ', ');
    edits.after.set(span.last + 2, [...(edits.after.get(span.last + 2) ?? []), ')']);
    byLast.delete(span.last);
    byLast.set(span.last + 2, { first: span.first, last: span.last + 2, type: 'date' });
  }
}

const ARITHMETIC = new Set(['+', '-', '*', '/', '%', '||', '&', '|', '<<', '>>', '->', '->>', '~', '::']);

/** Whether a token may sit next to an operand without being part of it. */
function bounds(t: Token | undefined): boolean {
  if (t === undefined) return true;
  if (t.kind === 'operator') return !ARITHMETIC.has(t.text);
  if (t.kind === 'punct') return t.text !== '.' && t.text !== '(';
  return t.kind === 'word'; // a keyword (WHERE, AND, THEN, …) or an alias
}

/** A column, a string literal or a date/time span next to a comparison operator. */
function simpleOperand(sig: readonly Token[], spans: readonly Span[], from: number, direction: -1 | 1): Omit<Span, 'type'> | undefined {
  const span = spans.find((s) => (direction === 1 ? s.first === from : s.last === from));
  if (span) return span;
  const t = sig[from];
  if (t === undefined) return undefined;
  if (isStringToken(t)) return { first: from, last: from };
  if (!isNameToken(t)) return undefined;
  let first = from;
  let last = from;
  if (direction === -1) while (isPunct(sig[first - 1], '.') && isNameToken(sig[first - 2])) first -= 2;
  else while (isPunct(sig[last + 1], '.') && isNameToken(sig[last + 2])) last += 2;
  return { first, last };
}

/** `date >= '2024-05-01'`: the texts compare as the dates do, and stay cheap (and indexable). */
function isDateColumnAgainstDateText(sig: readonly Token[], span: Span, other: Omit<Span, 'type'>): boolean {
  const text = sig[other.first];
  return (
    span.type === 'date' &&
    TEMPORAL_COLUMNS.has(sig[span.last]!.text.toLowerCase()) &&
    other.first === other.last &&
    isStringToken(text) &&
    /^\d{4}-\d{2}-\d{2}$/.test(sparkStringValue(text!))
  );
}

/** `x BETWEEN a AND b` where one of the three is a date/time: all three compare as epoch milliseconds. */
function betweenAsMillis(sig: readonly Token[], spans: readonly Span[], edits: TokenEdits): void {
  sig.forEach((t, k) => {
    if (!isWord(t, 'between')) return;
    const value = simpleOperand(sig, spans, isWord(sig[k - 1], 'not') ? k - 2 : k - 1, -1);
    const low = simpleOperand(sig, spans, k + 1, 1);
    if (!value || !low || !bounds(sig[value.first - 1]) || !isWord(sig[low.last + 1], 'and')) return;
    const high = simpleOperand(sig, spans, low.last + 2, 1);
    if (!high || !bounds(sig[high.last + 1])) return;
    const isSpan = (o: Omit<Span, 'type'>): boolean => spans.some((s) => s.first === o.first && s.last === o.last);
    if (![value, low, high].some(isSpan)) return;
    for (const o of [value, low, high]) {
      if (edits.before.get(o.first)?.includes('spark_epoch_ms(')) continue;
      wrap(edits, o.first, o.last, 'spark_epoch_ms(', ')');
    }
  });
}

function compareAsMillis(sig: readonly Token[], spans: readonly Span[], edits: TokenEdits): void {
  const wrapped = new Set<number>();
  const wrapOnce = (s: Omit<Span, 'type'>): void => {
    if (wrapped.has(s.first)) return;
    wrapped.add(s.first);
    wrap(edits, s.first, s.last, 'spark_epoch_ms(', ')');
  };
  for (const span of spans) {
    const before = sig[span.first - 1];
    const after = sig[span.last + 1];
    let other: Omit<Span, 'type'> | undefined;
    if (before?.kind === 'operator' && COMPARISONS.has(before.text)) {
      other = simpleOperand(sig, spans, span.first - 2, -1);
      if (other && (!bounds(sig[other.first - 1]) || !bounds(after))) other = undefined;
    }
    if (!other && after?.kind === 'operator' && COMPARISONS.has(after.text)) {
      other = simpleOperand(sig, spans, span.last + 2, 1);
      if (other && (!bounds(sig[other.last + 1]) || !bounds(before))) other = undefined;
    }
    if (!other || isDateColumnAgainstDateText(sig, span, other)) continue;
    wrapOnce(span);
    wrapOnce(other);
  }
}
