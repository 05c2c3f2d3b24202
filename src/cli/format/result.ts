import type { QueryResult } from '../../core/sql/database';
import type { ColumnKind } from '../../core/sql/values';

export type { ColumnKind } from '../../core/sql/values';

/** What the formatters need from a query result: the engine's, without its timing. */
export type ResultSet = Omit<QueryResult, 'durationMs'>;

/** A JSON column's text when it really is JSON, else undefined. */
export function jsonText(value: unknown, kind: ColumnKind | undefined): string | undefined {
  if (kind !== 'json' || typeof value !== 'string') return undefined;
  try {
    JSON.parse(value);
    return value.trim();
  } catch {
    return undefined;
  }
}

/** A cell as plain text, or null for SQL NULL (and infinities); JSON columns arrive as JSON text and stay so. */
export function cellText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  // A number past the double range (1e400 in a log) has no value to show: NULL, as Spark reads it.
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Uint8Array) return `x'${Buffer.from(value).toString('hex')}'`;
  return JSON.stringify(value);
}
