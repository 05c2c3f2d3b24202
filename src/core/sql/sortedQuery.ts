/**
 * A cell's query ordered by one of its result columns, for a result cut at the display cap:
 * sorting only the rows shown would mislead, so the engine sorts them all. The column goes by
 * position, which means the same in SQLite and Spark whatever the column is called.
 */
import { tokenize } from '../../shared/sql/lexer';

export function sortedQuery(sql: string, column: number, direction: 'asc' | 'desc'): string {
  const tokens = tokenize(sql, { lenient: true, backslashEscapes: true });
  let end = tokens.length;
  while (end > 0 && (tokens[end - 1]!.kind === 'space' || tokens[end - 1]!.kind === 'comment' || tokens[end - 1]!.text === ';')) end--;
  const body = tokens.slice(0, end).map((t) => t.text).join('');
  return `SELECT * FROM (\n${body}\n) AS sorted_result\nORDER BY ${column + 1} ${direction === 'asc' ? 'ASC' : 'DESC'}`;
}
