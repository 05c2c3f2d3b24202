/**
 * Queries over one loaded table answered by up to two sessions: the one that loaded it, and a
 * second opened over the same table from the record cache while the first already answers. Each
 * session is one thread, so two use two cores. The second is opened only when the load left the
 * table in the record cache, a second copy fits the row budget and the machine has a core to
 * spare; it serves only if its load came whole from the cache, over the same files (a file that
 * landed in between would make the copies differ).
 */
import { availableParallelism } from 'node:os';
import { runDetections, type Detection, type DetectionQuery, type DetectionRun } from '../../core/analyses';
import type { WorkOptions } from '../../core/progress';
import type { LoadRequest, LoadSummary } from '../../core/sql/loader';
import { QuerySession, type QuerySessionOptions } from '../query/client';
import type { RowsForm } from '../../shared/sql/result';

export interface TwinOptions {
  session: QuerySessionOptions;
  /** The row budget each copy must fit. */
  maxRows: number;
  /** Every query's "now" (epoch ms), when the run pins one. */
  asOf?: number;
  signal?: AbortSignal;
}

export class TwinSessions {
  private readonly free: QuerySession[];
  private readonly first: QuerySession;
  private readonly waiting: ((session: QuerySession) => void)[] = [];
  private readonly twin: Promise<QuerySession | undefined>;
  /** Stops the second session's load when the work ends first. */
  private readonly opening = new AbortController();
  /** How many queries may run at once: two while a second session is on its way or serving. */
  readonly concurrency: number;
  /** Queries each session answered: how the work was shared. */
  readonly answered = { first: 0, second: 0 };

  private constructor(
    first: QuerySession,
    twin: ((signal: AbortSignal) => Promise<QuerySession | undefined>) | undefined,
    private readonly options: TwinOptions,
  ) {
    this.free = [first];
    this.first = first;
    this.concurrency = twin ? 2 : 1;
    const signal = options.signal ? AbortSignal.any([options.signal, this.opening.signal]) : this.opening.signal;
    this.twin = (twin ? twin(signal) : Promise.resolve(undefined)).then((session) => {
      if (session) this.release(session);
      return session;
    });
  }

  /** Starts opening the second session (when it can help) and returns at once: queries start on the first. */
  static start(first: QuerySession, request: LoadRequest, summary: LoadSummary, options: TwinOptions): TwinSessions {
    const helps = summary.recordCacheCurrent === true && summary.recordsLoaded * 2 <= options.maxRows && availableParallelism() > 1;
    return new TwinSessions(first, helps ? (signal) => openTwin(request, summary, options, signal) : undefined, options);
  }

  /** Runs the detections over `first`'s table, beside a second session when one can help, and closes that one after. */
  static async runDetections(first: QuerySession, request: LoadRequest, summary: LoadSummary, list: readonly Detection[], options: TwinOptions, work: WorkOptions & { maxRows?: number; rowsAs?: RowsForm }): Promise<DetectionRun[]> {
    const sessions = TwinSessions.start(first, request, summary, options);
    return runDetections(list, sessions.query, { ...work, concurrency: sessions.concurrency }).finally(() => sessions.dispose());
  }

  /** Runs one query on whichever session is free first. */
  readonly query: DetectionQuery = async (sql, queryOptions) => {
    const session = await this.acquire();
    this.answered[session === this.first ? 'first' : 'second']++;
    try {
      return await session.query(sql, { ...queryOptions, ...(this.options.asOf === undefined ? {} : { asOf: this.options.asOf }) });
    } finally {
      this.release(session);
    }
  };

  /** Whether the second session serves (once it is open), or never will. */
  async ready(): Promise<boolean> {
    return (await this.twin) !== undefined;
  }

  /** Closes the second session (the first is its loader's to close). */
  async dispose(): Promise<void> {
    this.opening.abort();
    await (await this.twin)?.dispose();
  }

  private acquire(): Promise<QuerySession> {
    const session = this.free.pop();
    if (session) return Promise.resolve(session);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(session: QuerySession): void {
    const waiter = this.waiting.shift();
    if (waiter) waiter(session);
    else this.free.push(session);
  }
}

async function openTwin(request: LoadRequest, summary: LoadSummary, options: TwinOptions, signal: AbortSignal): Promise<QuerySession | undefined> {
  let session: QuerySession | undefined;
  try {
    // It serves only from the cache, so it lists on its own thread and starts no reading thread.
    session = await QuerySession.open({ ...options.session, maxRows: options.maxRows, readThread: false });
    const copy = await session.load(request, { signal });
    const same = copy.filesFromCache === copy.files && copy.recordsLoaded === summary.recordsLoaded && sameFiles(copy.loadedFiles, summary.loadedFiles);
    if (same && !signal.aborted) return session;
  } catch {
    // The first session answers alone.
  }
  await session?.dispose();
  return undefined;
}

function sameFiles(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((file, i) => file === b[i]);
}
