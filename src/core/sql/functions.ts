/**
 * Spark SQL functions that audit-log queries commonly use and SQLite lacks, registered on the
 * sql.js database with Spark's documented semantics (session time zone UTC):
 * - text (here): `regexp` (for `REGEXP`/`RLIKE`), regexp_extract(_all), regexp_replace,
 *   regexp_like, split (→ JSON array), concat (as spark_concat: NULL if any part is), concat_ws,
 *   substring_index, split_part, lpad, rpad, spark_left/spark_right, initcap, locate, hashes,
 *   base64, str_to_map, ILIKE (spark_ilike), startswith, endswith, contains;
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
import { registerTimeFunctions } from './spark-time';
import { registerScalar } from './udf';
import { text } from './spark-values';

const MAX_CACHED_PATTERNS = 64;
/** Arities registered for functions that take any number of arguments (sql.js registers one per arity). */
const MAX_VARIADIC_ARGS = 32;
/**
 * Compiles a function's pattern. An invalid one fails as `<fn>: invalid regular expression '<p>'
 * (<reason>)`, which the dialect's error mapping points at in the user's SQL.
 */
function patternCache(): (source: string, flags: string, fn: string) => RegExp {
  const cache = new Map<string, RegExp>();
  return (source, flags, fn) => {
    const key = `${flags}/${source}`;
    let compiled = cache.get(key);
    if (!compiled) {
      // Java's and JavaScript's regular expressions agree on the common subset audit queries use.
      try {
        compiled = new RegExp(source, flags);
      } catch (error) {
        const reason = error instanceof Error ? error.message.replace(/^Invalid regular expression: \/.*\/\w*: /s, '') : String(error);
        throw new Error(`${fn}: invalid regular expression '${source}' (${reason})`);
      }
      if (cache.size >= MAX_CACHED_PATTERNS) cache.clear();
      cache.set(key, compiled);
    }
    return compiled;
  };
}


function registerTextFunctions(db: Database): void {
  const pattern = patternCache();
  registerScalar(db, 'regexp', 2, 2, (p, value) => (p === null || value === null ? null : pattern(text(p), 'u', 'rlike').test(text(value))));

  registerScalar(db, 'regexp_extract', 2, 3, (value, p, index = 1) => {
    if (value === null || p === null || index === null) return null;
    const groups = pattern(text(p), 'u', 'regexp_extract').exec(text(value));
    const i = Number(index);
    if (!groups) return '';
    if (i < 0 || i >= groups.length) throw new Error(`regexp_extract: the regex has ${groups.length - 1} group(s), so index ${i} is out of range`);
    return groups[i] ?? '';
  });

  registerScalar(db, 'regexp_replace', 3, 4, (value, p, replacement, position = 1) => {
    if (value === null || p === null || replacement === null || position === null) return null;
    const s = text(value);
    const from = Math.max(0, Number(position) - 1);
    return s.slice(0, from) + s.slice(from).replace(pattern(text(p), 'gu', 'regexp_replace'), text(replacement));
  });

  registerScalar(db, 'split', 2, 3, (value, p, limit = -1) => {
    if (value === null || p === null || limit === null) return null;
    return JSON.stringify(splitJava(text(value), pattern(text(p), 'gu', 'split'), Number(limit)));
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
  registerScalar(db, 'regexp_like', 2, 2, (value, p) => (p === null || value === null ? null : pattern(text(p), 'u', 'regexp_like').test(text(value))));
  registerScalar(db, 'regexp_extract_all', 2, 3, (value, p, index = 1) => {
    if (value === null || p === null || index === null) return null;
    const i = Number(index);
    return JSON.stringify([...text(value).matchAll(pattern(text(p), 'gu', 'regexp_extract_all'))].map((m) => m[i] ?? ''));
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
    for (const pair of text(value).split(pattern(text(pairs), 'u', 'str_to_map'))) {
      const [key, ...rest] = pair.split(pattern(text(keyValue), 'u', 'str_to_map'));
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

/** `now` gives the running statement's instant: every "now" of the dialect reads it. */
export function registerSparkFunctions(db: Database, now: () => number): void {
  // The system table's event_id: delivered logs carry none, so it is derived from where the event
  // was read (file and byte offset), 32 hex digits like Databricks' ids, stable across loads.
  registerScalar(db, 'spark_event_id', 3, 3, (file, offset, requestId) =>
    file === null && requestId === null ? null : createHash('md5').update(`${text(file ?? '')}\n${text(offset ?? '')}\n${text(requestId ?? '')}`).digest('hex'),
  );
  registerTextFunctions(db);
  registerCollectionFunctions(db);
  registerAggregates(db);
  registerTimeFunctions(db, now);
  registerCast(db);
}
