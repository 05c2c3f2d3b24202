/**
 * Spark's CAST (and try_cast, and `x::type`) with its non-ANSI semantics: a value that does not
 * convert is NULL. Strings to numbers trim and truncate toward zero for integral types; strings to
 * booleans accept t/true/y/yes/1 and f/false/n/no/0; strings to DATE read `yyyy[-M[-d]]` with
 * anything after a space or T; a number to TIMESTAMP is seconds since the epoch.
 */
import type { Database, SqlValue } from 'sql.js';
import { formatDate, formatTimestamp, toMillis } from './spark-time';
import { text } from './spark-values';
import { registerScalar } from './udf';

const TRUE = new Set(['t', 'true', 'y', 'yes', '1']);
const FALSE = new Set(['f', 'false', 'n', 'no', '0']);
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const DATE_PREFIX = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2})(?:[ T].*)?)?)?$/s;

function toNumber(value: SqlValue): number | null {
  if (typeof value === 'number') return value;
  const s = text(value!).trim();
  return NUMBER.test(s) ? Number(s) : null;
}

export function sparkCast(value: SqlValue, type: string): SqlValue {
  if (value === null) return null;
  const base = type.replace(/\(.*$/, '');
  switch (base) {
    case 'string':
    case 'varchar':
    case 'char':
      return text(value);
    case 'int':
    case 'integer':
    case 'bigint':
    case 'long':
    case 'smallint':
    case 'short':
    case 'tinyint':
    case 'byte': {
      const n = toNumber(value);
      return n === null || !Number.isFinite(n) ? null : Math.trunc(n);
    }
    case 'double':
    case 'float':
    case 'real':
      return toNumber(value);
    case 'decimal':
    case 'dec':
    case 'numeric': {
      const n = toNumber(value);
      const scale = Number(/,\s*(\d+)\)/.exec(type)?.[1] ?? 0); // DECIMAL is DECIMAL(10, 0)
      return n === null ? null : Math.round(n * 10 ** scale) / 10 ** scale;
    }
    case 'boolean': {
      if (typeof value === 'number') return value !== 0 ? 1 : 0;
      const s = text(value).trim().toLowerCase();
      return TRUE.has(s) ? 1 : FALSE.has(s) ? 0 : null;
    }
    case 'date': {
      if (typeof value === 'number') throw new Error('cannot cast a number to DATE (Spark refuses it); use to_date(from_unixtime(seconds)) or timestamp_millis(ms)');
      const m = DATE_PREFIX.exec(text(value).trim());
      const ms = m ? toMillis(`${m[1]}-${m[2] ?? '1'}-${m[3] ?? '1'}`) : toMillis(text(value));
      return ms === null ? null : formatDate(ms);
    }
    case 'timestamp':
    case 'timestamp_ntz':
    case 'timestamp_ltz': {
      if (typeof value === 'number') return formatTimestamp(Math.round(value * 1000));
      const ms = toMillis(text(value));
      return ms === null ? null : formatTimestamp(ms);
    }
    case 'binary':
      return text(value);
    default:
      throw new Error(`casting to ${type.toUpperCase()} is not supported yet`);
  }
}

export function registerCast(db: Database): void {
  registerScalar(db, 'spark_cast', 2, 2, (value, type) => sparkCast(value, text(type!)));
}
