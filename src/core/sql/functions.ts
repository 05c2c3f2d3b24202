/**
 * Spark SQL functions that audit-log queries commonly use and SQLite lacks, registered on the
 * sql.js database: `regexp` (so `x REGEXP p` and Spark's `RLIKE` work), `from_unixtime`,
 * and `to_date` (the dialect renames `get_json_object` to `json_extract`).
 */
import type { Database, SqlValue } from 'sql.js';

const MAX_CACHED_PATTERNS = 64;

function regexpMatcher(): (pattern: SqlValue, value: SqlValue) => number | null {
  const cache = new Map<string, RegExp>();
  return (pattern, value) => {
    if (pattern === null || value === null) return null;
    const source = String(pattern);
    let compiled = cache.get(source);
    if (!compiled) {
      // Java's and JavaScript's regular expressions agree on the common subset audit queries use.
      compiled = new RegExp(source, 'u');
      if (cache.size >= MAX_CACHED_PATTERNS) cache.clear();
      cache.set(source, compiled);
    }
    return compiled.test(String(value)) ? 1 : 0;
  };
}

/** `yyyy-MM-dd HH:mm:ss` in UTC, as Spark prints a timestamp in a UTC session. */
function fromUnixtime(seconds: SqlValue): string | null {
  if (seconds === null || seconds === '' || Number.isNaN(Number(seconds))) return null;
  const date = new Date(Math.floor(Number(seconds)) * 1000);
  if (Number.isNaN(date.getTime())) return null;
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

function toDate(value: SqlValue): string | null {
  if (value === null) return null;
  const match = /^(\d{4}-\d{2}-\d{2})/.exec(String(value));
  return match ? match[1]! : null;
}

export function registerSparkFunctions(db: Database): void {
  db.create_function('regexp', regexpMatcher());
  db.create_function('from_unixtime', fromUnixtime);
  db.create_function('to_date', toDate);
}
