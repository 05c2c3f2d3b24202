/**
 * `--format json`: exactly one object `{"columns":[...],"rows":[[...],...],"rowCount":N}`.
 * JSON columns are emitted as JSON values using their original text, so big integers inside them
 * stay exact; text columns (workspace ids among them) stay strings.
 */
import { jsonText, type ColumnKind, type ResultSet } from './result';

/** One cell as JSON text: a JSON column as its JSON value, anything else as a JSON scalar. */
export function jsonCell(value: unknown, kind: ColumnKind | undefined): string {
  const raw = jsonText(value, kind);
  if (raw !== undefined) return raw;
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return JSON.stringify(Buffer.from(value).toString('base64'));
  return JSON.stringify(value);
}

/** Yields the document in pieces so a large result never becomes one giant string. */
export function* renderJson(result: ResultSet, rowsPerChunk = 1000): Generator<string> {
  let chunk = `{"columns":${JSON.stringify(result.columns)},"rows":[`;
  for (let r = 0; r < result.rows.length; r++) {
    const row = result.rows[r]!;
    chunk += (r === 0 ? '' : ',') + '[' + row.map((v, i) => jsonCell(v, result.columnKinds[i])).join(',') + ']';
    if ((r + 1) % rowsPerChunk === 0) {
      yield chunk;
      chunk = '';
    }
  }
  yield chunk + `],"rowCount":${result.rowCount}}\n`;
}
