/** The `--no-pushdown` option of the commands that load for known queries (query, analyze). */
import { derivePrefilter, type LinePrefilter } from '../core/sql/pushdown';
import type { CliArgs } from './command';

export const NO_PUSHDOWN_FLAG = 'no-pushdown';

export const PUSHDOWN_USAGE = `  --no-pushdown           load every line; by default, when every statement filters on
                          serviceName = '…' or serviceName IN (…), lines that cannot
                          match are checked but not loaded (the answer is the same)`;

/** The prefilter for loading before running `sqlTexts`, unless the user turned pushdown off. */
export function pushdownFor(args: CliArgs, sqlTexts: readonly string[]): LinePrefilter | undefined {
  return args.flags.has(NO_PUSHDOWN_FLAG) ? undefined : derivePrefilter(sqlTexts);
}
