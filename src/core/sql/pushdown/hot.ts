/**
 * Which hot columns (see hot-columns.ts) a load for known queries must fill: those their
 * translations read. The others stay NULL, which saves the load reading their paths on every line
 * (a `SELECT *` reads none of them). Undefined, fill them all, when a query does not translate.
 * A parsed query's own translation is used when it has one.
 */
import { translateSparkSql } from '../dialect';
import { HOT_COLUMNS } from '../dialect/hot-columns';
import type { ParsedSql } from '../query/parse';
import type { ParsedQuery } from '../query/query';

export function deriveHotColumns(queries: readonly (ParsedSql | ParsedQuery)[]): string[] | undefined {
  const read = new Set<string>();
  for (const query of queries) {
    if (query.problem) return undefined;
    let sql: string;
    try {
      sql = 'translation' in query ? query.translation().sql : translateSparkSql(query).sql;
    } catch {
      return undefined;
    }
    for (const hot of HOT_COLUMNS) if (new RegExp(`\\b${hot.name}\\b`).test(sql)) read.add(hot.name);
  }
  return HOT_COLUMNS.map((hot) => hot.name).filter((name) => read.has(name));
}
