/**
 * Spark SQL functions that audit-log queries commonly use and SQLite lacks, registered on the
 * sql.js database with Spark's documented semantics (session time zone UTC):
 * - text (here): concat (as spark_concat: NULL if any part is), concat_ws,
 *   substring_index, split_part, lpad, rpad, spark_left/spark_right, initcap, locate, hashes,
 *   base64, str_to_map, ILIKE (spark_ilike), startswith, endswith, contains;
 * - regular expressions (`REGEXP`/`RLIKE`, regexp_*, split): ./spark-regex;
 * - arrays, maps, structs and JSON: ./spark-collections; aggregates: ./spark-aggregates;
 *   casts: ./spark-cast; dates and times: ./spark-time.
 * Booleans come back as 1/0, as everywhere in SQLite. A JavaScript function's integer result
 * reaches SQLite as a REAL with the same value.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Database, SqlValue } from 'sql.js';
import { registerAggregates } from './spark-aggregates';
import { registerCast } from './spark-cast';
import { registerCollectionFunctions } from './spark-collections';
import { patternCache, registerRegexFunctions } from './spark-regex';
import { registerTimeFunctions } from './spark-time';
import { registerScalar } from './udf';
import { text } from './spark-values';

/** Arities registered for functions that take any number of arguments (sql.js registers one per arity). */
const MAX_VARIADIC_ARGS = 32;
function registerTextFunctions(db: Database): void {
  const pairsPattern = patternCache();
  const keyValuePattern = patternCache();
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
  // Spark's concat is NULL when any argument is (SQLite's skips NULLs); concat_ws skips them.
  registerScalar(db, 'spark_concat', 0, MAX_VARIADIC_ARGS, (...parts) => (parts.some((p) => p === null) ? null : parts.map(text).join('')));

  registerScalar(db, 'substring_index', 3, 3, (value, delimiter, count) => {
    if (value === null || delimiter === null || count === null) return null;
    const s = text(value);
    const d = text(delimiter);
    const n = Math.trunc(Number(count));
    if (d === '' || n === 0) return '';
    const parts = s.split(d);
    return n > 0 ? parts.slice(0, n).join(d) : parts.slice(Math.max(0, parts.length + n)).join(d);
  });
  registerScalar(db, 'split_part', 3, 3, (value, delimiter, part) => {
    if (value === null || delimiter === null || part === null) return null;
    const n = Math.trunc(Number(part));
    if (n === 0) throw new Error('split_part: the part number must not be 0 (it counts from 1, or from the end when negative)');
    const d = text(delimiter);
    const parts = d === '' ? [text(value)] : text(value).split(d);
    return parts[n > 0 ? n - 1 : parts.length + n] ?? '';
  });
  // ILIKE: LIKE without case, with Spark's default escape character (backslash).
  registerScalar(db, 'spark_ilike', 2, 2, (value, p) => (value === null || p === null ? null : likePattern(text(p), true).test(text(value))));
  // LIKE ANY/ALL: true, false, or NULL when no pattern decides and one of them (or the value) is NULL.
  const likeMany = (all: boolean) => (value: SqlValue, ...patterns: SqlValue[]) => {
    const results = patterns.map((p) => (value === null || p === null ? null : likePattern(text(p), false).test(text(value))));
    if (all) return results.includes(false) ? false : results.includes(null) ? null : true;
    return results.includes(true) ? true : results.includes(null) ? null : false;
  };
  registerScalar(db, 'spark_like_any', 2, MAX_VARIADIC_ARGS, likeMany(false));
  registerScalar(db, 'spark_like_all', 2, MAX_VARIADIC_ARGS, likeMany(true));
  const chars = (value: SqlValue): SqlValue => (value === null ? null : [...text(value)].length);
  registerScalar(db, 'char_length', 1, 1, chars);
  registerScalar(db, 'character_length', 1, 1, chars);
  registerScalar(db, 'lcase', 1, 1, (value) => (value === null ? null : text(value).toLowerCase()));
  registerScalar(db, 'ucase', 1, 1, (value) => (value === null ? null : text(value).toUpperCase()));
  registerScalar(db, 'initcap', 1, 1, (value) => (value === null ? null : text(value).toLowerCase().replace(/(^|\s)(\S)/g, (_, space: string, c: string) => space + c.toUpperCase())));
  registerScalar(db, 'reverse', 1, 1, (value) => (value === null ? null : [...text(value)].reverse().join('')));
  registerScalar(db, 'repeat', 2, 2, (value, n) => (value === null || n === null ? null : text(value).repeat(Math.max(0, Number(n)))));
  registerScalar(db, 'locate', 2, 3, (sub, value, position = 1) => {
    if (sub === null || value === null || position === null) return null;
    const from = Number(position);
    if (from < 1) return 0;
    return text(value).indexOf(text(sub), from - 1) + 1;
  });

  const digest = (algorithm: string) => (value: SqlValue) => (value === null ? null : createHash(algorithm).update(bytes(value)).digest('hex'));
  registerScalar(db, 'md5', 1, 1, digest('md5'));
  registerScalar(db, 'sha1', 1, 1, digest('sha1'));
  registerScalar(db, 'sha', 1, 1, digest('sha1'));
  // sha2(x, 0|224|256|384|512): 0 means 256; other lengths give NULL, as in Spark.
  registerScalar(db, 'sha2', 2, 2, (value, length) => {
    if (value === null || length === null) return null;
    const bits = Number(length) === 0 ? 256 : Number(length);
    return [224, 256, 384, 512].includes(bits) ? createHash(`sha${bits}`).update(bytes(value)).digest('hex') : null;
  });
  registerScalar(db, 'base64', 1, 1, (value) => (value === null ? null : Buffer.from(bytes(value)).toString('base64')));
  registerScalar(db, 'unbase64', 1, 1, (value) => (value === null ? null : Buffer.from(text(value), 'base64').toString('utf8')));
  registerScalar(db, 'uuid', 0, 0, () => randomUUID());
  registerScalar(db, 'str_to_map', 1, 3, (value, pairs = ',', keyValue = ':') => {
    if (value === null || pairs === null || keyValue === null) return null;
    const map: Record<string, string | null> = {};
    for (const pair of text(value).split(pairsPattern(text(pairs), 'u', 'str_to_map'))) {
      const [key, ...rest] = pair.split(keyValuePattern(text(keyValue), 'u', 'str_to_map'));
      map[key!] = rest.length > 0 ? rest.join(text(keyValue)) : null;
    }
    return JSON.stringify(map);
  });

  registerScalar(db, 'try_divide', 2, 2, (a, b) => (a === null || b === null || Number(b) === 0 ? null : Number(a) / Number(b)));
  registerScalar(db, 'equal_null', 2, 2, (a, b) => (a === null || b === null ? a === b : a === b || (typeof a === 'number' && Number(a) === Number(b))));

  registerScalar(db, 'startswith', 2, 2, test((s, p) => s.startsWith(p)));
  registerScalar(db, 'endswith', 2, 2, test((s, p) => s.endsWith(p)));
  registerScalar(db, 'contains', 2, 2, test((s, p) => s.includes(p)));
}

const bytes = (value: SqlValue): Uint8Array | string => (value instanceof Uint8Array ? value : text(value));

/** A LIKE pattern as a regular expression (`%`, `_`, backslash escapes). */
export function likePattern(like: string, ignoreCase: boolean): RegExp {
  let source = '';
  for (let i = 0; i < like.length; i++) {
    const c = like[i]!;
    if (c === '\\' && i + 1 < like.length) source += like[++i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (c === '%') source += '.*';
    else if (c === '_') source += '.';
    else source += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, ignoreCase ? 'isu' : 'su');
}

/** `now` gives the running statement's instant: every "now" of the dialect reads it. */
export function registerSparkFunctions(db: Database, now: () => number): void {
  // The system table's event_id: delivered logs carry none, so it is derived from where the event
  // was read (file and byte offset), 32 hex digits like Databricks' ids, stable across loads.
  registerScalar(db, 'spark_event_id', 3, 3, (file, offset, requestId) =>
    file === null && requestId === null ? null : createHash('md5').update(`${text(file ?? '')}\n${text(offset ?? '')}\n${text(requestId ?? '')}`).digest('hex'),
  );
  registerRegexFunctions(db);
  registerTextFunctions(db);
  registerCollectionFunctions(db);
  registerAggregates(db);
  registerTimeFunctions(db, now);
  registerCast(db);
}
