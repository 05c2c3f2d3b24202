/** Opens a query session and loads the selected sources, showing progress and summarising skipped lines. */
import type { LinePrefilter } from '../core/sql/pushdown';
import { QuerySession } from '../worker/query/client';
import type { CliIo } from './command';
import { formatLoadProblems } from './problems';
import { terminalProgress } from './progress';
import type { SourceSelection } from './sourceOptions';

/**
 * Runs `work` over a freshly loaded session and always closes the session. With a prefilter the
 * session loads only the lines the queries `work` runs can read (derive it from exactly those).
 */
export async function withLoadedSession<T>(
  selection: SourceSelection,
  io: CliIo,
  signal: AbortSignal,
  work: (session: QuerySession) => Promise<T>,
  prefilter?: LinePrefilter,
): Promise<T> {
  const progress = terminalProgress(io);
  const engine = await QuerySession.open();
  try {
    progress.sink?.({ message: 'Loading audit logs…' });
    const summary = await engine
      .load(
        { sources: selection.sources, filter: selection.filter, gcsEndpoint: selection.gcsEndpoint, ...(prefilter ? { prefilter } : {}) },
        { signal, onProgress: progress.sink },
      )
      .finally(() => progress.clear());
    io.stderr.write(formatLoadProblems(summary));
    if (summary.files === 0) io.stderr.write('warning: no audit-log files matched the sources and filters\n');
    return await work(engine);
  } finally {
    progress.clear();
    await engine.dispose();
  }
}
