/**
 * JSON_ARRAY results carry every value as a string (or null); the manifest's column types say
 * how to read them. Integers past 2^53 stay decimal text, as in the local engine.
 */
import type { CellValue, ColumnKind } from '../sql/values';
import type { ColumnInfo } from './api';

const INTEGER_TYPES = new Set(['BYTE', 'SHORT', 'INT', 'LONG']);
const FLOAT_TYPES = new Set(['FLOAT', 'DOUBLE', 'DECIMAL']);
const NESTED_TYPES = new Set(['STRUCT', 'MAP', 'ARRAY']);

export function columnKind(column: ColumnInfo): ColumnKind {
  return NESTED_TYPES.has(column.type_name.toUpperCase()) ? 'json' : 'value';
}

export function toCellValue(text: string | null, column: ColumnInfo): CellValue {
  if (text === null) return null;
  const type = column.type_name.toUpperCase();
  if (INTEGER_TYPES.has(type) && /^-?\d+$/.test(text)) {
    const n = Number(text);
    return Number.isSafeInteger(n) ? n : text;
  }
  if (FLOAT_TYPES.has(type)) {
    const n = Number(text);
    const digits = text.replace(/[-+.]/g, '').replace(/^0+/, '').length;
    if (Number.isFinite(n) && (type !== 'DECIMAL' || digits <= 15)) return n;
  }
  return text;
}

export function toCellRow(row: readonly (string | null)[], columns: readonly ColumnInfo[]): CellValue[] {
  return columns.map((column, i) => toCellValue(row[i] ?? null, column));
}
