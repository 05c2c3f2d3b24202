/** A corpus query: Spark SQL as published detections write it, and its hand translation to DuckDB. */
export interface CorpusQuery {
  name: string;
  /** Spark SQL, run unchanged by this engine. */
  spark: string;
  /** The same question in DuckDB's SQL, run by DuckDB over the same files: the expected answer. */
  duck: string;
  /** Compare rows in order (the query sorts them); otherwise as a multiset. */
  ordered?: boolean;
  /** The answer may be empty on the generated tree. */
  allowEmpty?: boolean;
}

/**
 * A cell made comparable across the engines: booleans as 1/0 (SQLite has no booleans), numbers
 * (DuckDB hands big integers as text) rounded to 6 places, JSON text parsed into arrays/objects.
 */
export function comparable(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return Math.round(value * 1e6) / 1e6;
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(comparable);
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, comparable(v)]));
  const text = String(value);
  if (/^-?\d+(\.\d+)?(e[-+]?\d+)?$/i.test(text)) return comparable(Number(text));
  if (/^[[{]/.test(text)) {
    try {
      return comparable(JSON.parse(text));
    } catch {
      return text;
    }
  }
  return text;
}

export function comparableRows(rows: readonly (readonly unknown[])[], ordered: boolean): unknown[][] {
  const out = rows.map((row) => row.map(comparable));
  return ordered ? out : out.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : JSON.stringify(a) > JSON.stringify(b) ? 1 : 0));
}
