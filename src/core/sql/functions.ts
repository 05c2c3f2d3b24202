/**
 * Spark SQL functions that audit-log queries commonly use and SQLite lacks, registered on the
 * sql.js database with Spark's documented semantics (session time zone UTC):
 * - text: `regexp` (for `REGEXP`/`RLIKE`), regexp_extract, regexp_replace, split (→ JSON array),
 *   concat_ws, lpad, rpad, spark_left/spark_right (the dialect renames `left(`/`right(`),
 *   startswith, endswith, contains;
 * - arrays and maps (JSON text): size, array_contains, array_join, array_distinct, sort_array;
 * - aggregates: collect_list/array_agg and collect_set (→ JSON arrays, NULLs skipped), count_if;
 * - dates and times: see ./spark-time.
 * Booleans come back as 1/0, as everywhere in SQLite. A JavaScript function's integer result
 * reaches SQLite as a REAL with the same value.
 */
import type { Database, SqlValue } from 'sql.js';
import { registerTimeFunctions } from './spark-time';
import { registerAggregate, registerScalar, type Aggregate } from './udf';

const MAX_CACHED_PATTERNS = 64;
/** Arities registered for functions that take any number of arguments (sql.js registers one per arity). */
const MAX_VARIADIC_ARGS = 32;
function patternCache(): (source: string, flags: string) => RegExp {
  const cache = new Map<string, RegExp>();
  return (source, flags) => {
    const key = `${flags}/${source}`;
    let compiled = cache.get(key);
    if (!compiled) {
      // Java's and JavaScript's regular expressions agree on the common subset audit queries use.
      compiled = new RegExp(source, flags);
      if (cache.size >= MAX_CACHED_PATTERNS) cache.clear();
      cache.set(key, compiled);
    }
    return compiled;
  };
}

const text = (value: SqlValue): string => (value instanceof Uint8Array ? Buffer.from(value).toString('utf8') : String(value));

function registerTextFunctions(db: Database): void {
  const pattern = patternCache();
  registerScalar(db, 'regexp', 2, 2, (p, value) => (p === null || value === null ? null : pattern(text(p), 'u').test(text(value))));

  registerScalar(db, 'regexp_extract', 2, 3, (value, p, index = 1) => {
    if (value === null || p === null || index === null) return null;
    const groups = pattern(text(p), 'u').exec(text(value));
    const i = Number(index);
    if (!groups) return '';
    if (i < 0 || i >= groups.length) throw new Error(`regexp_extract: the regex has ${groups.length - 1} group(s), so index ${i} is out of range`);
    return groups[i] ?? '';
  });

  registerScalar(db, 'regexp_replace', 3, 4, (value, p, replacement, position = 1) => {
    if (value === null || p === null || replacement === null || position === null) return null;
    const s = text(value);
    const from = Math.max(0, Number(position) - 1);
    return s.slice(0, from) + s.slice(from).replace(pattern(text(p), 'gu'), text(replacement));
  });

  registerScalar(db, 'split', 2, 3, (value, p, limit = -1) => {
    if (value === null || p === null || limit === null) return null;
    return JSON.stringify(splitJava(text(value), pattern(text(p), 'gu'), Number(limit)));
  });

  registerScalar(db, 'concat_ws', 1, MAX_VARIADIC_ARGS, (separator, ...parts) =>
    separator === null ? null : parts.filter((p) => p !== null).map(text).join(text(separator)),
  );

  const pad = (left: boolean) => (value: SqlValue, length: SqlValue, padding: SqlValue = ' '): SqlValue => {
    if (value === null || length === null || padding === null) return null;
    const s = [...text(value)];
    const n = Math.max(0, Number(length));
    if (s.length >= n) return s.slice(0, n).join('');
    const fill = [...text(padding)];
    if (fill.length === 0) return s.join('');
    const extra = Array.from({ length: n - s.length }, (_, i) => fill[i % fill.length]!).join('');
    return left ? extra + s.join('') : s.join('') + extra;
  };
  registerScalar(db, 'lpad', 2, 3, pad(true));
  registerScalar(db, 'rpad', 2, 3, pad(false));

  registerScalar(db, 'spark_left', 2, 2, (value, n) => (value === null || n === null ? null : [...text(value)].slice(0, Math.max(0, Number(n))).join('')));
  registerScalar(db, 'spark_right', 2, 2, (value, n) => {
    if (value === null || n === null) return null;
    const chars = [...text(value)];
    const count = Math.max(0, Number(n));
    return count === 0 ? '' : chars.slice(-count).join('');
  });

  const test = (check: (s: string, part: string) => boolean) => (value: SqlValue, part: SqlValue) =>
    value === null || part === null ? null : check(text(value), text(part));
  registerScalar(db, 'startswith', 2, 2, test((s, p) => s.startsWith(p)));
  registerScalar(db, 'endswith', 2, 2, test((s, p) => s.endsWith(p)));
  registerScalar(db, 'contains', 2, 2, test((s, p) => s.includes(p)));
}

/** Java's String.split(regex, limit), which Spark's split follows (an empty leading match is dropped). */
function splitJava(s: string, regex: RegExp, limit: number): string[] {
  const parts: string[] = [];
  let start = 0;
  regex.lastIndex = 0;
  for (let match = regex.exec(s); match; match = regex.exec(s)) {
    if (limit > 0 && parts.length === limit - 1) break;
    if (match[0].length === 0) {
      if (match.index >= s.length) break;
      if (match.index === 0) {
        regex.lastIndex++;
        continue;
      }
    }
    parts.push(s.slice(start, match.index));
    start = match.index + match[0].length;
    if (match[0].length === 0) regex.lastIndex++;
  }
  parts.push(s.slice(start));
  if (limit === 0) while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** The JSON array or object a value holds, or an error naming the function. */
function collection(name: string, value: SqlValue): unknown[] | Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text(value));
  } catch {
    parsed = undefined;
  }
  if (parsed === null || typeof parsed !== 'object') throw new Error(`${name}: expected a JSON array or object, got ${JSON.stringify(text(value)).slice(0, 60)}`);
  return parsed as unknown[] | Record<string, unknown>;
}

function array(name: string, value: SqlValue): unknown[] {
  const parsed = collection(name, value);
  if (!Array.isArray(parsed)) throw new Error(`${name}: expected a JSON array`);
  return parsed;
}

/** A SQL value compared with a JSON element the way Spark compares typed values. */
function sameValue(element: unknown, value: SqlValue): boolean {
  if (typeof element === 'number' || typeof element === 'boolean') return Number(element) === Number(value) && typeof value === 'number';
  return typeof element === 'string' && typeof value === 'string' && element === value;
}

function registerCollectionFunctions(db: Database): void {
  // -1 for NULL: Spark 3.x's default (spark.sql.legacy.sizeOfNull=true, ANSI mode off).
  registerScalar(db, 'size', 1, 1, (value) => {
    if (value === null) return -1;
    const parsed = collection('size', value);
    return Array.isArray(parsed) ? parsed.length : Object.keys(parsed).length;
  });
  registerScalar(db, 'array_contains', 2, 2, (value, wanted) => {
    if (value === null || wanted === null) return null;
    const elements = array('array_contains', value);
    if (elements.some((e) => sameValue(e, wanted))) return true;
    return elements.includes(null) ? null : false;
  });
  registerScalar(db, 'array_join', 2, 3, (value, separator, nullReplacement = null) => {
    if (value === null || separator === null) return null;
    const elements = array('array_join', value).flatMap((e) => (e === null ? (nullReplacement === null ? [] : [text(nullReplacement)]) : [typeof e === 'string' ? e : JSON.stringify(e)]));
    return elements.join(text(separator));
  });
  registerScalar(db, 'array_distinct', 1, 1, (value) => (value === null ? null : JSON.stringify(distinct(array('array_distinct', value)))));
  registerScalar(db, 'sort_array', 1, 2, (value, ascending = 1) => {
    if (value === null) return null;
    // Spark puts NULLs first in ascending order and last in descending order.
    const sorted = [...array('sort_array', value)].sort(compareJson);
    return JSON.stringify(Number(ascending) ? sorted : sorted.reverse());
  });
}

function compareJson(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = typeof a === 'string' ? a : JSON.stringify(a);
  const y = typeof b === 'string' ? b : JSON.stringify(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function distinct(values: readonly unknown[]): unknown[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const key = JSON.stringify(v);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A SQL value as a JSON array element (blobs as base64, as the results show them). */
function jsonElement(value: SqlValue): unknown {
  return value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value;
}

function registerAggregates(db: Database): void {
  const list: Aggregate<unknown[]> = {
    init: () => [],
    step: (state, value) => {
      if (value !== null) state.push(jsonElement(value));
      return state;
    },
    finalize: (state) => JSON.stringify(state ?? []),
  };
  registerAggregate(db, 'collect_list', list);
  registerAggregate(db, 'array_agg', list);
  registerAggregate(db, 'collect_set', { ...list, finalize: (state) => JSON.stringify(distinct(state ?? [])) });
  registerAggregate<number>(db, 'count_if', {
    init: () => 0,
    step: (count, value) => (value !== null && Number(value) !== 0 ? count + 1 : count),
    finalize: (count) => count ?? 0,
  });
}

export function registerSparkFunctions(db: Database): void {
  registerTextFunctions(db);
  registerCollectionFunctions(db);
  registerAggregates(db);
  registerTimeFunctions(db);
}
