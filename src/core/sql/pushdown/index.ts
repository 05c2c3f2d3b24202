/** Query-driven pruning: skip delivered lines a query cannot read, before they are parsed, and fields it never names. */
import { derivePrefilter } from './analyze';
import { deriveColumns } from './columns';
import type { LinePrefilter } from './prefilter';

export { derivePrefilter, deriveColumns };
export { compileLineTest, compilePrefilter, isSearchableName, isSearchablePrefix, isSearchableValue, type CompiledPrefilter, type FieldFilter, type FieldPrefixFilter, type LinePrefilter, type LineTest, type StatementFilter } from './prefilter';

/** What a session that runs known queries once may leave out of its load: lines, and record fields. */
export interface Pushdown {
  prefilter?: LinePrefilter;
  columns?: string[];
}

/** Both prunings for exactly these SQL texts (each may be absent: nothing provably left out). */
export function derivePushdown(sqlTexts: readonly string[]): Pushdown {
  const prefilter = derivePrefilter(sqlTexts);
  const columns = deriveColumns(sqlTexts);
  return { ...(prefilter ? { prefilter } : {}), ...(columns ? { columns } : {}) };
}
