/**
 * A session opened for one piece of work over one load: the CLI's commands and the Findings run use
 * it. It loads with progress and cancel, lets the caller judge an empty or partial load before and
 * after the work, and always closes the session.
 */
import type { WorkOptions } from '../../core/progress';
import { holdsNoLogs, type LoadProblem, type LoadRequest, type LoadSummary } from '../../core/sql/loader';
import { QuerySession, type QuerySessionOptions } from '../query/client';

export interface LoadedScopeOptions extends WorkOptions {
  session?: QuerySessionOptions;
  /** A session already on its way, opened while the caller prepared the load: used (and closed) instead of opening one. */
  opening?: Promise<QuerySession>;
  /** Told before the load starts (a status line). */
  onLoading?(): void;
  /** Judges the load before the work runs: an empty scope may fail here. */
  beforeWork?(summary: LoadSummary): void;
  /** Judges the load after the work ran: files that could not be read may fail the run here. */
  afterWork?(summary: LoadSummary): void;
}

/** What a load misses: no logs at all, or files that exist but could not be read. */
export interface LoadGaps {
  noLogs: boolean;
  /** Files that exist but could not be read: the answer misses records that exist. */
  filesFailed: number;
  /** The files passed over whole (vanished, changed or unreadable), with why. */
  filesPassedOver: LoadProblem[];
}

export function loadGaps(summary: LoadSummary): LoadGaps {
  return { noLogs: holdsNoLogs(summary), filesFailed: summary.filesFailed, filesPassedOver: summary.problems.filter((p) => p.line === 0) };
}

/** Opens a session, loads `request`, runs `work` over it, and closes the session whatever happens. */
export async function withLoadedScope<T>(request: LoadRequest, options: LoadedScopeOptions, work: (session: QuerySession, summary: LoadSummary) => Promise<T>): Promise<T> {
  const session = await (options.opening ?? QuerySession.open(options.session ?? {}));
  try {
    options.onLoading?.();
    const { signal, onProgress, onSkipped } = options;
    const summary = await session.load(request, { signal, onProgress, onSkipped });
    options.beforeWork?.(summary);
    const result = await work(session, summary);
    options.afterWork?.(summary);
    return result;
  } finally {
    await session.dispose();
  }
}
