/**
 * Spark calls and operators SQLite spells differently, reserves or lacks, as token edits:
 * - renames: current_date/current_timestamp/left/right → spark_*, nvl → ifnull, if → iif,
 *   date( → to_date(, first/last → spark_first/spark_last, nvl2 → CASE;
 * - isnull(x) / isnotnull(x) → (x) IS [NOT] NULL (ISNULL is an operator keyword in SQLite);
 * - a unit word as first argument: timestampdiff/datediff(HOUR, a, b), timestampadd/dateadd(DAY,
 *   n, t), extract(HOUR FROM t), date_part('hour', t);
 * - count(DISTINCT a, b) → counts the rows where no argument is NULL, as Spark does;
 * - cast/try_cast(x AS type) and x::type → spark_cast with Spark's (non-ANSI) cast semantics;
 * - Databricks' `col:path` JSON path operator → spark_json_path (a string, as Databricks returns);
 * - `/` divides as fractions, as in Spark, and `a DIV b` is integral division;
 * - `x LIKE ANY|ALL (patterns)` → spark_like_any/spark_like_all;
 * - `LIKE 'a\_b'` keeps Spark's default escape character (backslash);
 * - `a ILIKE b` → spark_ilike(a, b) for a name or call on the left;
 * - window(ts, '10 minutes') tumbling windows, read whole or as .start/.end, also through the
 *   `window` column a GROUP BY window(…) gives.
 */
import { identifierName, isNameToken, isStringToken, sparkStringValue, type Token } from '../../../shared/sql/lexer';
import { argumentCommas, insertAfter, insertBefore, isOperator, isPunct, isWord, sourceText, type TokenEdits } from './edits';
import { sqliteString } from './lex';
import { SqlError } from './position';
import { parseDuration } from '../spark-time';

const RENAMES: ReadonlyMap<string, string> = new Map([
  ['current_date', 'spark_current_date'],
  ['current_timestamp', 'spark_current_timestamp'],
  ['left', 'spark_left'],
  ['right', 'spark_right'],
  ['nvl', 'ifnull'],
  ['if', 'iif'],
  ['date', 'to_date'],
  ['first', 'spark_first'],
  ['first_value', 'spark_first'],
  ['last', 'spark_last'],
  ['last_value', 'spark_last'],
  ['any_value', 'spark_first'],
  ['timestampdiff', 'spark_timestampdiff'],
  ['timestampadd', 'spark_timestampadd'],
  ['dateadd', 'spark_timestampadd'],
  ['date_part', 'spark_extract'],
  ['datepart', 'spark_extract'],
  ['extract', 'spark_extract'],
  ['window', 'spark_window'],
  ['try_cast', 'spark_cast'],
  ['concat', 'spark_concat'],
  ['format_string', 'printf'],
]);

/** Window functions keep SQLite's own first_value/last_value when followed by OVER. */
const WINDOW_ABLE: ReadonlySet<string> = new Set(['first_value', 'last_value']);

const UNIT_FIRST: ReadonlySet<string> = new Set(['timestampdiff', 'timestampadd', 'dateadd', 'extract']);

export const CAST_TYPES: ReadonlySet<string> = new Set([
  'string', 'varchar', 'char', 'int', 'integer', 'bigint', 'long', 'smallint', 'short', 'tinyint', 'byte', 'double', 'float', 'real',
  'decimal', 'dec', 'numeric', 'boolean', 'date', 'timestamp', 'timestamp_ntz', 'timestamp_ltz', 'binary',
]);

export function callEdits(source: string, sig: readonly Token[], match: ReadonlyMap<number, number>, edits: TokenEdits): void {
  const windowCalls = new Map<number, string>(); // call's name index → its argument text
  sig.forEach((t, k) => {
    if (t.kind !== 'word' || !isPunct(sig[k + 1], '(') || isPunct(sig[k - 1], '.')) return;
    const name = t.text.toLowerCase();
    const close = match.get(k + 1);
    if (close === undefined) return;
    if (isWord(sig[close + 1], 'over')) {
      // As window functions, Spark's first/last are SQLite's first_value/last_value.
      if (name === 'first' || name === 'last') edits.replace.set(k, `${name}_value`);
      if (WINDOW_ABLE.has(name) || name === 'first' || name === 'last') return;
    }
    const commas = argumentCommas(sig, k + 1, close);
    if (name === 'nvl2') return nvl2(k, close, commas, edits);
    if (name === 'isnull' || name === 'isnotnull') {
      edits.replace.set(k, '');
      edits.replace.set(k + 1, '((');
      edits.replace.set(close, name === 'isnull' ? ') IS NULL)' : ') IS NOT NULL)');
      return;
    }
    if (name === 'count' && isWord(sig[k + 2], 'distinct') && commas.length > 0) {
      insertAfter(edits, k + 2, ' spark_row(');
      insertBefore(edits, close, ')');
      return;
    }
    // Databricks' three-argument forms: datediff/date_diff(unit, a, b), date_add(unit, n, t).
    const unitForm = commas.length === 2 && (name === 'datediff' || name === 'date_diff' || name === 'date_add');
    if (unitForm) edits.replace.set(k, name === 'date_add' ? 'spark_timestampadd' : 'spark_timestampdiff');
    if ((UNIT_FIRST.has(name) || unitForm) && sig[k + 2]?.kind === 'word') {
      edits.replace.set(k + 2, sqliteString(sig[k + 2]!.text.toUpperCase()));
      if (name === 'extract' && isWord(sig[k + 3], 'from')) edits.replace.set(k + 3, ',');
    }
    if (name === 'cast' || name === 'try_cast') castCall(source, sig, k, close, edits);
    if (name === 'struct') return structCall(sig, k, close, commas, edits);
    if (name === 'window') {
      windowCall(source, sig, k, close, commas, edits);
      windowCalls.set(k, sourceText(source, sig, k + 2, close - 1));
      return;
    }
    if (name === 'date' && commas.length > 0) return; // SQLite's date(value, modifier, …); Spark's date(x) takes one argument
    const renamed = RENAMES.get(name);
    if (renamed) edits.replace.set(k, renamed);
  });
  windowColumns(sig, windowCalls, edits);
  divisions(sig, edits);
  doubleColonCasts(source, sig, match, edits);
  jsonPaths(source, sig, edits);
  likeAnyAll(source, sig, match, edits);
  likeEscapes(sig, edits);
  ilikes(source, sig, match, edits);
}

/** struct(a, b.c, f(x)) → named_struct('a', a, 'c', b.c, 'col3', f(x)): Spark names fields after columns. */
function structCall(sig: readonly Token[], k: number, close: number, commas: number[], edits: TokenEdits): void {
  edits.replace.set(k, 'named_struct');
  const starts = [k + 2, ...commas.map((c) => c + 1)];
  const ends = [...commas.map((c) => c - 1), close - 1];
  starts.forEach((first, i) => {
    const last = ends[i]!;
    let isPath = isNameToken(sig[first]);
    for (let j = first + 1; j <= last && isPath; j += 2) isPath = isPunct(sig[j], '.') && isNameToken(sig[j + 1]);
    const name = isPath ? identifierName(sig[last]!)! : `col${i + 1}`;
    insertBefore(edits, first, `${sqliteString(name)}, `);
  });
}

/** Spark's `/` always divides as fractions (7 / 2 is 3.5; SQLite gives 3), and `a DIV b` is the integral part. */
function divisions(sig: readonly Token[], edits: TokenEdits): void {
  sig.forEach((t, k) => {
    if (isOperator(t, '/') && !edits.replace.has(k)) edits.replace.set(k, '* 1.0 /');
    else if (isWord(t, 'div') && k > 0 && !isPunct(sig[k + 1], '(') && !isPunct(sig[k - 1], '(') && !isPunct(sig[k - 1], ',')) edits.replace.set(k, '/');
  });
}

function nvl2(k: number, close: number, commas: number[], edits: TokenEdits): void {
  if (commas.length !== 2) return; // SQLite then reports the unknown function at its name
  edits.replace.set(k, 'CASE WHEN ');
  edits.replace.set(commas[0]!, ') IS NOT NULL THEN (');
  edits.replace.set(commas[1]!, ') ELSE (');
  edits.replace.set(close, ') END');
}

/** The Spark type written from `first` to `last` (`decimal(10, 2)`, `array<string>` …), lower-cased. */
function typeName(source: string, sig: readonly Token[], first: number, last: number): string {
  return sourceText(source, sig, first, last).replace(/\s+/g, '').toLowerCase();
}

/** SQLite's own type names, which a plain SQLite CAST keeps. */
const SQLITE_TYPES: ReadonlySet<string> = new Set(['text', 'blob', 'none']);

/** Whether a cast to `type` is Spark's (rewritten) rather than SQLite's (kept); an unsupported Spark type is an error. */
function isSparkCast(source: string, sig: readonly Token[], at: number, type: string): boolean {
  const base = type.replace(/[(<].*$/s, '');
  if (CAST_TYPES.has(base)) return true;
  if (SQLITE_TYPES.has(base)) return false;
  throw SqlError.at(source, sig[at]!.start, `casting to ${type.toUpperCase()} is not supported yet (supported: STRING, INT, BIGINT, DOUBLE, DECIMAL, BOOLEAN, DATE, TIMESTAMP)`);
}

function castCall(source: string, sig: readonly Token[], k: number, close: number, edits: TokenEdits): void {
  let depth = 0;
  let as = -1;
  for (let j = k + 2; j < close; j++) {
    if (isPunct(sig[j], '(')) depth++;
    else if (isPunct(sig[j], ')')) depth--;
    else if (depth === 0 && isWord(sig[j], 'as')) as = j;
  }
  if (as < 0 || as + 1 > close - 1) return;
  let type = typeName(source, sig, as + 1, close - 1);
  if (!isSparkCast(source, sig, as + 1, type)) {
    if (!isWord(sig[k], 'try_cast')) return; // a plain SQLite CAST(x AS TEXT)
    type = type.startsWith('text') ? 'string' : 'binary';
  }
  edits.replace.set(k, 'spark_cast');
  edits.replace.set(as, `, ${sqliteString(type)}`);
  for (let j = as + 1; j < close; j++) edits.replace.set(j, '');
}

/** Where the operand ending at `end` starts: a dotted name, a call or a parenthesis. */
function operandStart(sig: readonly Token[], match: ReadonlyMap<number, number>, end: number): number | undefined {
  const t = sig[end];
  if (isPunct(t, ')')) {
    const open = match.get(end);
    if (open === undefined) return undefined;
    return isNameToken(sig[open - 1]) ? open - 1 : open;
  }
  if (!isNameToken(t) && t?.kind !== 'number' && !isStringToken(t)) return undefined;
  let start = end;
  while (isPunct(sig[start - 1], '.') && isNameToken(sig[start - 2])) start -= 2;
  return start;
}

function doubleColonCasts(source: string, sig: readonly Token[], match: ReadonlyMap<number, number>, edits: TokenEdits): void {
  sig.forEach((t, k) => {
    if (!isOperator(t, '::')) return;
    const start = operandStart(sig, match, k - 1);
    const typeToken = sig[k + 1];
    if (start === undefined || typeToken?.kind !== 'word') throw SqlError.at(source, t.start, 'the :: cast works here only after a column, a literal or a call; write CAST(x AS type)');
    let last = k + 1;
    if (isPunct(sig[k + 2], '(')) last = match.get(k + 2) ?? last;
    const type = typeName(source, sig, k + 1, last);
    if (!isSparkCast(source, sig, k + 1, type)) throw SqlError.at(source, t.start, `the :: cast works with Spark's types (STRING, INT, BIGINT, DOUBLE, DECIMAL, BOOLEAN, DATE, TIMESTAMP), not ${type.toUpperCase()}`);
    insertBefore(edits, start, 'spark_cast(');
    edits.replace.set(k, `, ${sqliteString(type)})`);
    for (let j = k + 1; j <= last; j++) edits.replace.set(j, '');
  });
}

function windowCall(source: string, sig: readonly Token[], k: number, close: number, commas: number[], edits: TokenEdits): void {
  const args = [k + 1, ...commas, close].slice(0, -1).map((open, i) => ({ first: open + 1, last: (commas[i] ?? close) - 1 }));
  const literal = (i: number): string | undefined => {
    const arg = args[i];
    return arg && arg.first === arg.last && isStringToken(sig[arg.first]) ? sparkStringValue(sig[arg.first]!) : undefined;
  };
  const duration = literal(1);
  if (args.length < 2 || duration === undefined || parseDuration(duration) === undefined) {
    throw SqlError.at(source, sig[k]!.start, "window() needs a time column and a duration such as '10 minutes' or '1 hour'");
  }
  if (args.length >= 3) {
    const slide = literal(2);
    if (slide === undefined || parseDuration(slide) !== parseDuration(duration)) throw SqlError.at(source, sig[k]!.start, "Spark's sliding window() (a slide shorter than the window) is not supported yet; tumbling windows are");
  }
  if (args.length >= 4) {
    const start = literal(3);
    if (start === undefined || (start.trim() !== '0' && parseDuration(start) === undefined)) throw SqlError.at(source, sig[k]!.start, "window()'s start time must be a duration such as '5 minutes'");
  }
  const field = isPunct(sig[close + 1], '.') && isWord(sig[close + 2], 'start', 'end') ? sig[close + 2]!.text.toLowerCase() : undefined;
  edits.replace.set(k, field ? `spark_window_${field}` : 'spark_window');
  if (field) {
    edits.replace.set(close + 1, '');
    edits.replace.set(close + 2, '');
  }
}

/** `window.start`, `window.end` and bare `window` after GROUP BY window(…): that window's values. */
function windowColumns(sig: readonly Token[], windowCalls: ReadonlyMap<number, string>, edits: TokenEdits): void {
  if (windowCalls.size === 0) return;
  const args = [...windowCalls.values()][windowCalls.size - 1]!;
  sig.forEach((t, k) => {
    if (!isWord(t, 'window') || isPunct(sig[k + 1], '(') || isPunct(sig[k - 1], '.') || windowCalls.has(k)) return;
    if (isWord(sig[k - 1], 'as') || (sig[k + 1]?.kind === 'word' && isWord(sig[k + 2], 'as') && isPunct(sig[k + 3], '('))) return; // an alias or a WINDOW clause
    if (isPunct(sig[k + 1], '.') && isWord(sig[k + 2], 'start', 'end')) {
      edits.replace.set(k, `spark_window_${sig[k + 2]!.text.toLowerCase()}(${args})`);
      edits.replace.set(k + 1, '');
      edits.replace.set(k + 2, '');
    } else if (!isPunct(sig[k + 1], '.')) {
      edits.replace.set(k, `spark_window(${args})`);
    }
  });
}

/** Databricks' `raw:a.b[0]` (a column, a colon, a path) reads JSON text by path, as a string. */
function jsonPaths(source: string, sig: readonly Token[], edits: TokenEdits): void {
  sig.forEach((t, k) => {
    const previous = sig[k - 1];
    if (t.kind !== 'param' || !t.text.startsWith(':') || !(isNameToken(previous) || isStringToken(previous)) || previous!.end !== t.start) return;
    let path = `$.${jsonKey(t.text.slice(1))}`;
    let last = k;
    for (;;) {
      const next = sig[last + 1];
      if (isPunct(next, '.') && isNameToken(sig[last + 2]) && next!.start === sig[last]!.end) {
        const name = sig[last + 2]!;
        path += `.${jsonKey(name.kind === 'word' ? name.text : name.text.slice(1, -1))}`;
        last += 2;
      } else if (next?.kind === 'bracket' && next.start === sig[last]!.end) {
        const inside = next.text.slice(1, -1).trim();
        if (/^\d+$/.test(inside)) path += `[${inside}]`;
        else if (/^'.*'$|^".*"$/.test(inside)) path += `.${jsonKey(inside.slice(1, -1))}`;
        else if (inside === '*') throw SqlError.at(source, next.start, "the JSON path wildcard [*] is not supported yet");
        else break;
        last += 1;
      } else break;
    }
    let operand = k - 1;
    while (isPunct(sig[operand - 1], '.') && isNameToken(sig[operand - 2])) operand -= 2;
    insertBefore(edits, operand, 'spark_json_path(');
    edits.replace.set(k, `, ${sqliteString(path)})`);
    for (let j = k + 1; j <= last; j++) edits.replace.set(j, '');
  });
}

/** A JSON path member: the key in double quotes, escaped. */
export function jsonKey(key: string): string {
  return `"${key.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * `.a.b` after the token at `at` (a subscript, a call's closing parenthesis or a column): the struct fields
 * Spark reads from that value, any name (`table`, `end` …) included. The tokens are dropped.
 */
export function fieldChain(sig: readonly Token[], at: number, edits: TokenEdits): { path: string; last: number } {
  let path = '';
  let last = at;
  while (isPunct(sig[last + 1], '.') && isNameToken(sig[last + 2])) {
    path += `.${jsonKey(identifierName(sig[last + 2]!)!)}`;
    edits.replace.set(last + 1, '');
    edits.replace.set(last + 2, '');
    last += 2;
  }
  return { path, last };
}

/** `x [NOT] LIKE ANY|SOME|ALL (p1, p2, …)` → spark_like_any/spark_like_all(x, p1, p2, …). */
function likeAnyAll(source: string, sig: readonly Token[], match: ReadonlyMap<number, number>, edits: TokenEdits): void {
  sig.forEach((t, k) => {
    if (!isWord(t, 'like') || !isWord(sig[k + 1], 'any', 'some', 'all') || !isPunct(sig[k + 2], '(')) return;
    const close = match.get(k + 2);
    const negated = isWord(sig[k - 1], 'not');
    const start = operandStart(sig, match, negated ? k - 2 : k - 1);
    if (close === undefined || start === undefined) throw SqlError.at(source, t.start, 'LIKE ANY/ALL works here only as <column or call> [NOT] LIKE ANY|ALL (patterns)');
    const fn = isWord(sig[k + 1], 'all') ? 'spark_like_all' : 'spark_like_any';
    insertBefore(edits, start, negated ? `NOT ${fn}(` : `${fn}(`);
    if (negated) edits.replace.set(k - 1, '');
    edits.replace.set(k, ',');
    edits.replace.set(k + 1, '');
    edits.replace.set(k + 2, '');
  });
}

function likeEscapes(sig: readonly Token[], edits: TokenEdits): void {
  sig.forEach((t, k) => {
    const pattern = sig[k + 1];
    if (!isWord(t, 'like') || !isStringToken(pattern) || isWord(sig[k + 2], 'escape')) return;
    if (sparkStringValue(pattern!).includes('\\')) insertAfter(edits, k + 1, " ESCAPE '\\'");
  });
}

function ilikes(source: string, sig: readonly Token[], match: ReadonlyMap<number, number>, edits: TokenEdits): void {
  sig.forEach((t, k) => {
    if (!isWord(t, 'ilike')) return;
    const negated = isWord(sig[k - 1], 'not');
    const leftEnd = negated ? k - 2 : k - 1;
    const start = operandStart(sig, match, leftEnd);
    const pattern = sig[k + 1];
    if (start === undefined || !isStringToken(pattern)) throw SqlError.at(source, t.start, 'ILIKE works here only as <column or call> [NOT] ILIKE <string>');
    insertBefore(edits, start, negated ? 'NOT spark_ilike(' : 'spark_ilike(');
    if (negated) edits.replace.set(k - 1, '');
    edits.replace.set(k, ',');
    insertAfter(edits, k + 1, ')');
  });
}
