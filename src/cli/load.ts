/** Opens a query session and loads the selected sources, showing progress and summarising skipped lines. */
import { AuditLensError } from '../core/errors';
import { defaultScanCacheDirectory } from '../core/scan/cache-location';
import type { Pushdown } from '../core/sql/pushdown';
import { defaultRowBudget } from '../core/sql/budget';
import type { LoadSummary } from '../core/sql/loader';
import { QuerySession } from '../worker/query/client';
import { positiveInteger } from './sourceOptions';
import type { CliArgs, CliIo } from './command';
import { formatListingNotes, formatLoadProblems } from './problems';
import { terminalProgress } from './progress';
import type { SourceSelection } from './sourceOptions';

export const ROW_BUDGET_USAGE = `  --row-budget N          most records to load (default from this machine's memory: ${defaultRowBudget().toLocaleString('en-US')}); a load past it stops, loading nothing`;

/** `--row-budget N`, or the default budget. */
export function rowBudget(args: CliArgs, hint: string): number {
  return positiveInteger(args, 'row-budget', defaultRowBudget(), hint);
}

/**
 * Runs `work` over a freshly loaded session and always closes the session. With a pushdown the
 * session loads only the lines and fields the queries `work` runs can read (derive it from exactly those).
 * When a network failure lost files, `work` still runs over the rest, then the run fails naming them.
 */
export async function withLoadedSession<T>(
  selection: SourceSelection,
  io: CliIo,
  signal: AbortSignal,
  work: (session: QuerySession, summary: LoadSummary) => Promise<T>,
  pushdown: Pushdown = {},
  maxRows = defaultRowBudget(),
): Promise<T> {
  const progress = terminalProgress(io);
  const engine = await QuerySession.open({ maxRows });
  try {
    progress.sink?.({ message: 'Loading audit logs…' });
    const summary = await engine
      .load(
        {
          sources: selection.sources,
          filter: selection.filter,
          gcsEndpoint: selection.gcsEndpoint,
          ...(selection.gcs ? { gcs: selection.gcs } : {}),
          scanCacheDirectory: defaultScanCacheDirectory(),
          ...(pushdown.prefilter ? { prefilter: pushdown.prefilter } : {}),
          ...(pushdown.columns ? { columns: pushdown.columns } : {}),
        },
        { signal, onProgress: progress.sink },
      )
      .finally(() => progress.clear());
    io.stderr.write(formatListingNotes(summary.listingNotes));
    io.stderr.write(formatLoadProblems(summary));
    if (summary.files === 0) io.stderr.write('warning: no audit-log files matched the sources and filters\n');
    const result = await work(engine, summary);
    throwIfIncomplete(summary);
    return result;
  } finally {
    progress.clear();
    await engine.dispose();
  }
}

function throwIfIncomplete(summary: LoadSummary): void {
  const failed = summary.filesFailed;
  if (failed === 0) return;
  const names = summary.problems.filter((p) => p.line === 0).map((p) => p.file);
  throw new AuditLensError(
    'network',
    `The answer above misses ${failed} ${failed === 1 ? 'file' : 'files'} that could not be downloaded (see the warnings); run again to include ${failed === 1 ? 'it' : 'them'}.`,
    names.join('\n'),
  );
}
