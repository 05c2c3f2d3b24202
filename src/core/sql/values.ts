/** Turns SQLite values into result values: exact integers, JSON columns told apart from text. */
import { JSON_COLUMNS, JSON_VALUE_MARK } from './dialect';

import type { CellValue, ColumnKind } from '../../shared/sql/result';

export type { CellValue, ColumnKind } from '../../shared/sql/result';

/** What sql.js hands back with `useBigInt`: integers arrive as bigint. */
export type RawValue = bigint | number | string | Uint8Array | null;

export function isJsonColumnName(name: string): boolean {
  return JSON_COLUMNS.has(name.toLowerCase());
}

export function isMarkedJson(value: RawValue): value is string {
  return typeof value === 'string' && value.startsWith(JSON_VALUE_MARK);
}

export function toCell(value: RawValue): CellValue {
  if (typeof value === 'bigint') {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
  }
  if (isMarkedJson(value)) return value.slice(JSON_VALUE_MARK.length);
  return value;
}

/** JSON text of any value: stored JSON columns and marked values verbatim, big integers exact. */
export function toJsonText(value: RawValue, kind: ColumnKind): string {
  if (value === null) return 'null';
  if (isMarkedJson(value)) return value.slice(JSON_VALUE_MARK.length);
  if (kind === 'json' && typeof value === 'string' && isJsonText(value)) return value;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return JSON.stringify(Buffer.from(value).toString('base64'));
  if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
  return JSON.stringify(value);
}

/** Rows as one JSON array: each row an array, each value as toJsonText writes it for its column's kind. */
export function rowsJsonText(rows: readonly (readonly CellValue[])[], kinds: readonly ColumnKind[]): string {
  return `[${rows.map((row) => `[${row.map((value, i) => toJsonText(value, kinds[i] ?? 'value')).join(',')}]`).join(',')}]`;
}

/** A JSON column may hold text that is not JSON (an alias over plain text): that stays a string. */
function isJsonText(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Text of a value for CSV: JSON values as their JSON text, blobs as base64. */
export function toText(value: RawValue): string {
  if (value === null) return '';
  if (isMarkedJson(value)) return value.slice(JSON_VALUE_MARK.length);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  return String(value);
}
