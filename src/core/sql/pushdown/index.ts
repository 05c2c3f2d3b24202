/** Query-driven pruning: skip delivered lines a query cannot read, before they are parsed, and fields it never names. */
import { derivePrefilter } from './analyze';
import { deriveColumns } from './columns';
import { deriveHotColumns } from './hot';
import type { LinePrefilter } from './prefilter';
import { parseSql, type ParsedSql } from '../query/parse';
import type { TableIndex } from '../schema';

export { derivePrefilter, deriveColumns, deriveHotColumns };
export { compileLineTest, compilePrefilter, isSearchableName, isSearchablePrefix, isSearchableValue, prefilterOf, type CompiledPrefilter, type FieldFilter, type FieldPrefixFilter, type LinePrefilter, type LineTest, type StatementFilter } from './prefilter';

/** What a session that runs known queries once may leave out of its load: lines, and record fields. */
export interface Pushdown {
  prefilter?: LinePrefilter;
  columns?: string[];
  /** The hot columns the queries read (see pushdown/hot.ts); all of them when absent. */
  hotColumns?: string[];
  /** The table's indexes the queries' plans use; a session's (SESSION_INDEXES) when absent. */
  indexes?: TableIndex[];
}

/** Both prunings for exactly these queries, as text or parsed (each may be absent: nothing provably left out). */
export function derivePushdown(queries: readonly (string | ParsedSql)[]): Pushdown {
  const parsed = queries.map((query) => (typeof query === 'string' ? parseSql(query) : query));
  const prefilter = derivePrefilter(parsed);
  const columns = deriveColumns(parsed);
  const hotColumns = deriveHotColumns(parsed);
  return { ...(prefilter ? { prefilter } : {}), ...(columns ? { columns } : {}), ...(hotColumns ? { hotColumns } : {}) };
}
