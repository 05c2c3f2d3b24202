/** Loads the selected sources through the session service, showing progress and summarising skipped lines. */
import { AuditLensError } from '../core/errors';
import { defaultRecordCacheDirectory, defaultScanCacheDirectory } from '../core/scan/cache-location';
import { RecordCache } from '../core/sql/record-cache';
import type { Pushdown } from '../core/sql/pushdown';
import { defaultRowBudget } from '../core/sql/budget';
import type { LoadRequest, LoadSummary } from '../core/sql/loader';
import type { QuerySession } from '../worker/query/client';
import { loadGaps, withLoadedScope } from '../worker/session/loadedScope';
import { loadRequest } from '../worker/session/loadRequest';
import type { CliArgs, CliIo } from './command';
import { formatListingNotes, formatLoadProblems } from './problems';
import { terminalProgress } from './progress';
import { escapeControls } from '../core/controlChars';
import { describeSelection, positiveInteger, type SourceSelection } from './sourceOptions';

export const ROW_BUDGET_USAGE = `  --row-budget N          most records to load (default from this machine's memory: ${defaultRowBudget().toLocaleString('en-US')}); a load past it stops, loading nothing`;

/** `--row-budget N`, or the default budget. */
export function rowBudget(args: CliArgs, hint: string): number {
  return positiveInteger(args, 'row-budget', defaultRowBudget(), hint);
}

/**
 * Runs `work` over a freshly loaded session and always closes the session. With a pushdown the
 * session loads only the lines and fields the queries `work` runs can read (derive it from exactly those).
 * A scope with no logs fails before `work` (unless `allowEmpty`); when files could not be read,
 * `work` still runs over the rest, then the run fails naming them (unless `allowPartial`).
 * `opening` is a session the caller started (with `maxRows`) while it prepared the run; it is closed whatever happens.
 */
export async function withLoadedSession<T>(
  selection: SourceSelection,
  io: CliIo,
  signal: AbortSignal,
  work: (session: QuerySession, summary: LoadSummary, request: LoadRequest) => Promise<T>,
  pushdown: Pushdown = {},
  maxRows = defaultRowBudget(),
  opening?: Promise<QuerySession>,
): Promise<T> {
  const progress = terminalProgress(io);
  const recordCache = defaultRecordCacheDirectory();
  let request: LoadRequest;
  try {
    if (selection.clearCache) await new RecordCache(recordCache).clear();
    request = loadRequest(
      selection,
      { gcsEndpoint: selection.gcsEndpoint, gcs: selection.gcs, scanCacheDirectory: defaultScanCacheDirectory(), ...(selection.noCache ? {} : { recordCache: { directory: recordCache } }) },
      pushdown,
    );
  } catch (error) {
    if (opening) await closeOpening(opening);
    throw error;
  }
  try {
    return await withLoadedScope(
      request,
      {
        session: { maxRows },
        ...(opening ? { opening } : {}),
        signal,
        onProgress: progress.sink,
        onLoading: () => progress.sink?.({ message: 'Loading audit logs…' }),
        beforeWork: (summary) => {
          progress.clear();
          io.stderr.write(formatListingNotes(summary.listingNotes));
          io.stderr.write(formatLoadProblems(summary));
          if (summary.duplicatesDropped !== undefined) io.stderr.write(`note: --dedupe dropped ${summary.duplicatesDropped} duplicate ${summary.duplicatesDropped === 1 ? 'event' : 'events'} (same requestId, timestamp, serviceName and actionName)\n`);
          checkNotEmpty(summary, selection, io);
        },
        afterWork: (summary) => checkComplete(summary, selection, io),
      },
      (session, summary) => work(session, summary, request),
    );
  } finally {
    progress.clear();
  }
}

/** Closes a session started early for a run that stopped before using it. */
export async function closeOpening(opening: Promise<QuerySession>): Promise<void> {
  await opening.then(
    (session) => session.dispose(),
    () => undefined,
  );
}

/** No logs is not "no findings": it fails, unless `--allow-empty` makes it a warning. */
function checkNotEmpty(summary: LoadSummary, selection: SourceSelection, io: CliIo): void {
  if (!loadGaps(summary).noLogs) return;
  const why = summary.files === 0 ? 'no audit-log file matched' : `its ${summary.files === 1 ? 'file holds' : `${summary.files} files hold`} no audit record`;
  const message = `no audit logs in the scope: ${describeSelection(selection)} (${why})`;
  if (selection.allowEmpty) {
    io.stderr.write(`warning: ${escapeControls(message)}\n`);
    return;
  }
  throw new AuditLensError('not-found', `${message}. Check the source and dates; --allow-empty accepts an empty scope.`);
}

/**
 * Files that exist but could not be read leave the answer incomplete: after it is printed, the run
 * fails naming them, unless `--allow-partial` makes it a warning.
 */
function checkComplete(summary: LoadSummary, selection: SourceSelection, io: CliIo): void {
  const { filesFailed: failed, filesPassedOver } = loadGaps(summary);
  if (failed === 0) return;
  const files = `${failed} ${failed === 1 ? 'file' : 'files'}`;
  if (selection.allowPartial) {
    io.stderr.write(`warning: the answer above is incomplete: it misses ${files} that could not be read (see the warnings above)\n`);
    return;
  }
  const names = filesPassedOver.map((p) => p.file);
  throw new AuditLensError(
    'network',
    `The answer above is incomplete: it misses ${files} that could not be read (see the warnings). Fix the access or run again; --allow-partial accepts a partial answer.`,
    names.join('\n'),
  );
}
