/**
 * A cell's query ordered by one of its result columns, for a result cut at the display cap:
 * sorting only the rows shown would mislead, so the engine sorts them all. The column goes by
 * position, which means the same in SQLite and Spark whatever the column is called.
 */
import { isPunct, isSignificantToken, lexSpark, type LexedSql } from '../../shared/sql/lexer';

/** `sql` as text, or as lexed once already (a parsed query). */
export function sortedQuery(sql: string | LexedSql, column: number, direction: 'asc' | 'desc'): string {
  const { tokens } = typeof sql === 'string' ? lexSpark(sql) : sql;
  let end = tokens.length;
  while (end > 0 && (!isSignificantToken(tokens[end - 1]!) || isPunct(tokens[end - 1], ';'))) end--;
  const body = tokens.slice(0, end).map((t) => t.text).join('');
  return `SELECT * FROM (\n${body}\n) AS sorted_result\nORDER BY ${column + 1} ${direction === 'asc' ? 'ASC' : 'DESC'}`;
}
