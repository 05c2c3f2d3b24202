/**
 * `audit_logs.timestamp` holds epoch milliseconds (a BIGINT), where Spark's dates and times are
 * DATE or TIMESTAMP values; SQLite would compare the number with their text and answer (wrongly)
 * without a word. Every comparison (or BETWEEN) of the raw `timestamp` with a date/time value
 * compares both as epoch milliseconds, whatever the date/time's form (`(current_date() - 1)`,
 * `CAST(… AS DATE)`, `x::timestamp` …); compared with a date written as a string
 * (`timestamp >= '2024-05-01'`), which Spark casts to a BIGINT (NULL) or refuses, the query is
 * refused with a hint.
 */
import { identifierName, isNameToken, isStringToken, sparkStringValue, type Token } from '../../../shared/sql/lexer';
import { isOperator, isPunct, isWord, wrap, type TokenEdits } from './edits';
import { SqlError } from './position';

interface Range {
  first: number;
  last: number;
}

const COMPARISONS: ReadonlySet<string> = new Set(['=', '==', '!=', '<>', '<', '>', '<=', '>=', '<=>']);

/** Words that end an operand. */
const BOUNDARY_WORDS: ReadonlySet<string> = new Set([
  'and', 'or', 'not', 'when', 'then', 'else', 'end', 'case', 'where', 'having', 'on', 'select', 'from', 'group', 'order', 'by', 'limit',
  'between', 'like', 'rlike', 'ilike', 'regexp', 'in', 'is', 'as', 'asc', 'desc', 'union', 'join', 'over', 'filter', 'qualify', 'escape',
]);

/** Calls whose value is a Spark DATE or TIMESTAMP (as written by the user). */
const TEMPORAL_CALLS: ReadonlySet<string> = new Set([
  'current_date', 'to_date', 'date_add', 'date_sub', 'date', 'last_day', 'make_date', 'add_months', 'curdate', 'next_day', 'trunc',
  'current_timestamp', 'localtimestamp', 'now', 'to_timestamp', 'date_trunc', 'timestamp_millis', 'timestamp_seconds', 'timestamp_micros',
  'timestampadd', 'dateadd', 'make_timestamp', 'from_utc_timestamp', 'to_utc_timestamp', 'timestamp',
]);

/** Bare words (no parentheses) whose value is a DATE or TIMESTAMP. */
const TEMPORAL_WORDS: ReadonlySet<string> = new Set(['current_date', 'current_timestamp', 'localtimestamp', 'date', 'event_date', 'event_time']);

const DATE_TEXT = /^\s*\d{4}-\d{1,2}-\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?\s*$/;

const HINT =
  'compare event_time (system.access.audit), timestamp_millis(timestamp), or unix_millis(<date/time>) with it, e.g. ' +
  "timestamp_millis(timestamp) >= '2024-05-01' or timestamp >= unix_millis(TIMESTAMP'2024-05-01 00:00:00')";

export function rawTimestampEdits(source: string, sig: readonly Token[], match: ReadonlyMap<number, number>, edits: TokenEdits): void {
  const aliased = sig.some((t, k) => isWord(sig[k - 1], 'as') && isNameToken(t) && identifierName(t)!.toLowerCase() === 'timestamp');
  const converted = (r: Range): boolean => edits.before.get(r.first)?.includes('spark_epoch_ms(') ?? false;
  const asMillis = (r: Range): void => {
    if (!converted(r)) wrap(edits, r.first, r.last, 'spark_epoch_ms(', ')');
  };
  const check = (raw: Range, others: readonly Range[]): void => {
    if (!isRawTimestamp(sig, raw)) return;
    const kinds = others.map((o) => valueKind(sig, match, o));
    if (kinds.includes('temporal') || (aliased && kinds.includes('date-text'))) {
      for (const r of [raw, ...others]) asMillis(r);
    } else if (kinds.includes('date-text') && !converted(raw)) {
      const text = others.map((o) => sig[o.first]!).find(isStringToken)!.text;
      throw SqlError.at(source, sig[raw.first]!.start, `timestamp holds epoch milliseconds (a BIGINT), so comparing it with the string ${text} would match nothing (Spark casts the string to a BIGINT; Databricks SQL refuses it): ${HINT}`);
    }
  };
  sig.forEach((t, k) => {
    if (t.kind === 'operator' && COMPARISONS.has(t.text)) {
      const left = operand(sig, match, k, -1);
      const right = operand(sig, match, k, 1);
      if (!left || !right) return;
      check(left, [right]);
      check(right, [left]);
    } else if (isWord(t, 'between')) {
      const value = operand(sig, match, isWord(sig[k - 1], 'not') ? k - 1 : k, -1);
      const low = operand(sig, match, k, 1);
      if (!value || !low || !isWord(sig[low.last + 1], 'and')) return;
      const high = operand(sig, match, low.last + 1, 1);
      if (!high) return;
      check(value, [low, high]);
    }
  });
}

/** The operand next to the token at `at`, in `direction`, up to a boundary at its depth. */
function operand(sig: readonly Token[], match: ReadonlyMap<number, number>, at: number, direction: -1 | 1): Range | undefined {
  const opens = direction === 1 ? '(' : ')';
  const closes = direction === 1 ? ')' : '(';
  let j = at + direction;
  let end: number | undefined;
  while (j >= 0 && j < sig.length) {
    const t = sig[j]!;
    if (isPunct(t, opens)) {
      const other = match.get(j);
      if (other === undefined) return undefined;
      end = other;
      j = other + direction;
      continue;
    }
    if (isPunct(t, closes) || isPunct(t, ',') || isPunct(t, ';') || (t.kind === 'operator' && COMPARISONS.has(t.text)) || isWord(t, ...BOUNDARY_WORDS)) break;
    end = j;
    j += direction;
  }
  if (end === undefined) return undefined;
  return direction === 1 ? { first: at + 1, last: end } : { first: end, last: at - 1 };
}

/** `timestamp` or `t.timestamp` (a column; `TIMESTAMP '…'` is a literal). */
function isRawTimestamp(sig: readonly Token[], r: Range): boolean {
  const named = (t: Token | undefined): boolean => isNameToken(t) && t!.kind !== 'bracket' && identifierName(t!)!.toLowerCase() === 'timestamp';
  if (r.first === r.last) return named(sig[r.first]);
  return r.last === r.first + 2 && isNameToken(sig[r.first]) && isPunct(sig[r.first + 1], '.') && named(sig[r.last]);
}

/** Whether a range's value is a DATE or TIMESTAMP, a date written as a string, or anything else. */
function valueKind(sig: readonly Token[], match: ReadonlyMap<number, number>, r: Range): 'temporal' | 'date-text' | undefined {
  let { first, last } = r;
  while (isPunct(sig[first], '(') && match.get(first) === last) {
    first++;
    last--;
  }
  if (first > last) return undefined;
  if (first === last && isStringToken(sig[first])) return DATE_TEXT.test(sparkStringValue(sig[first]!)) ? 'date-text' : undefined;
  for (let k = first; k <= last; k++) {
    const t = sig[k]!;
    const open = isPunct(sig[k + 1], '(') ? k + 1 : undefined;
    const name = t.kind === 'word' ? t.text.toLowerCase() : '';
    if (open !== undefined) {
      if (TEMPORAL_CALLS.has(name) && !isPunct(sig[k - 1], '.')) return 'temporal';
      if ((name === 'cast' || name === 'try_cast') && isTemporalCast(sig, match.get(open))) return 'temporal';
      k = match.get(open) ?? k; // what is inside a call is its argument, not its value
      continue;
    }
    if (isPunct(t, '(')) {
      k = match.get(k) ?? k;
      continue;
    }
    if (isWord(t, 'interval')) return 'temporal';
    if (isWord(t, 'date', 'timestamp', 'timestamp_ntz', 'timestamp_ltz') && isStringToken(sig[k + 1])) return 'temporal';
    if (isOperator(t, '::') && isWord(sig[k + 1], 'date', 'timestamp', 'timestamp_ntz', 'timestamp_ltz')) return 'temporal';
    if (TEMPORAL_WORDS.has(name) && !isPunct(sig[k - 1], '.') && !isOperator(sig[k - 1], '::')) return 'temporal';
    if (isNameToken(t) && isPunct(sig[k - 1], '.') && t.kind !== 'bracket' && ['event_date', 'event_time'].includes(identifierName(t)!.toLowerCase())) return 'temporal';
  }
  return undefined;
}

/** `CAST(x AS DATE)`, `CAST(x AS TIMESTAMP)`. */
function isTemporalCast(sig: readonly Token[], close: number | undefined): boolean {
  if (close === undefined) return false;
  return isWord(sig[close - 1], 'date', 'timestamp', 'timestamp_ntz', 'timestamp_ltz') && isWord(sig[close - 2], 'as');
}
