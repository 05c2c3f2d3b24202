/**
 * A cell's query ordered by one of its result columns, for a result cut at the display cap:
 * sorting only the rows shown would mislead, so the engine sorts them all. The column goes by its
 * name when the result has no other column of that name (the result shows fewer columns than a
 * `SELECT *` of audit_logs gives SQLite, so positions past a star may differ), else by position,
 * which means the same in SQLite and Spark whatever the column is called.
 */
import { isPunct, isSignificantToken, lexSpark, type LexedSql } from '../../shared/sql/lexer';
import type { ResultSort } from '../../shared/sql/resultSort';

/** `sql` as text, or as lexed once already (a parsed query). */
export function sortedQuery(sql: string | LexedSql, sort: ResultSort): string {
  const { tokens } = typeof sql === 'string' ? lexSpark(sql) : sql;
  let end = tokens.length;
  while (end > 0 && (!isSignificantToken(tokens[end - 1]!) || isPunct(tokens[end - 1], ';'))) end--;
  const body = tokens.slice(0, end).map((t) => t.text).join('');
  const by = sort.name === undefined ? String(sort.column + 1) : `sorted_result.\`${sort.name.replace(/`/g, '``')}\``;
  return `SELECT * FROM (\n${body}\n) AS sorted_result\nORDER BY ${by} ${sort.direction === 'asc' ? 'ASC' : 'DESC'}`;
}
