/** How Spark's arrays, maps and structs live in SQLite (as JSON text), shared by the functions. */
import type { SqlValue } from 'sql.js';

export const text = (value: SqlValue): string => (value instanceof Uint8Array ? Buffer.from(value).toString('utf8') : String(value));

/** The JSON array or object a value holds, or an error naming the function. */
export function collection(name: string, value: SqlValue): unknown[] | Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text(value));
  } catch {
    parsed = undefined;
  }
  if (parsed === null || typeof parsed !== 'object') throw new Error(`${name}: expected a JSON array or object, got ${JSON.stringify(text(value)).slice(0, 60)}`);
  return parsed as unknown[] | Record<string, unknown>;
}

export function array(name: string, value: SqlValue): unknown[] {
  const parsed = collection(name, value);
  if (!Array.isArray(parsed)) throw new Error(`${name}: expected a JSON array`);
  return parsed;
}

export function map(name: string, value: SqlValue): Record<string, unknown> {
  const parsed = collection(name, value);
  if (Array.isArray(parsed)) throw new Error(`${name}: expected a map (a JSON object)`);
  return parsed;
}

/** A SQL value compared with a JSON element the way Spark compares typed values. */
export function sameValue(element: unknown, value: SqlValue): boolean {
  if (typeof element === 'number' || typeof element === 'boolean') return Number(element) === Number(value) && typeof value === 'number';
  return typeof element === 'string' && typeof value === 'string' && element === value;
}

export function distinct(values: readonly unknown[]): unknown[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const key = JSON.stringify(v);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A SQL value as a JSON array element (blobs as base64, as the results show them). */
export function jsonElement(value: SqlValue): unknown {
  return value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value;
}

/** A JSON element as a SQL value: strings and numbers as they are, objects and arrays as JSON text. */
export function sqlValue(element: unknown): SqlValue {
  if (element === null || element === undefined) return null;
  if (typeof element === 'string' || typeof element === 'number') return element;
  if (typeof element === 'boolean') return element ? 1 : 0;
  return JSON.stringify(element);
}

/** A JSON element as a string, as Spark reads a map<string,string> value. */
export function stringValue(element: unknown): SqlValue {
  if (element === null || element === undefined) return null;
  return typeof element === 'string' ? element : JSON.stringify(element);
}

export function compareJson(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = typeof a === 'string' ? a : JSON.stringify(a);
  const y = typeof b === 'string' ? b : JSON.stringify(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
