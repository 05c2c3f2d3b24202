/** `--format csv`: a header row, then one line per row; NULL is an empty field, JSON stays JSON text. */
import { stringify } from 'csv-stringify/sync';
import { cellText, type ResultSet } from './result';

export function* renderCsv(result: ResultSet, rowsPerChunk = 1000): Generator<string> {
  yield stringify([result.columns]);
  for (let start = 0; start < result.rows.length; start += rowsPerChunk) {
    const rows = result.rows.slice(start, start + rowsPerChunk).map((row) => row.map((v) => cellText(v) ?? ''));
    yield stringify(rows);
  }
}
