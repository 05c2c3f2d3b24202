/** The `--no-pushdown` option of the commands that load for known queries (query, analyze). */
import { derivePushdown, type Pushdown } from '../core/sql/pushdown';
import type { ParsedSql } from '../core/sql/query';
import type { CliArgs } from './command';

export const NO_PUSHDOWN_FLAG = 'no-pushdown';

export const PUSHDOWN_USAGE = `  --no-pushdown           load every line whole; by default, when every statement filters on
                          serviceName = '…' or serviceName IN (…), lines that cannot
                          match are checked but not loaded, and fields no statement
                          names are left empty (the answer is the same)`;

/** What loading before running exactly these queries (text or parsed) may leave out, unless the user turned pushdown off. */
export function pushdownFor(args: CliArgs, queries: readonly (string | ParsedSql)[]): Pushdown {
  return args.flags.has(NO_PUSHDOWN_FLAG) ? {} : derivePushdown(queries);
}
