/**
 * A query session: a sql.js database in a worker thread, driven over the worker channel.
 * Requests run one at a time. Cancelling a query replaces the thread at once (sql.js cannot
 * interrupt a statement) and the channel starts a new one from the snapshot the thread saved
 * after the last statement that changed data, then replays the loads made since; loads and
 * exports stop cooperatively, with the same fallback if the thread does not answer.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { AuditLensError, cancelled } from '../../core/errors';
import { privateTempFolder } from '../../core/tempFiles';
import type { WorkOptions } from '../../core/progress';
import { SqlError } from '../../core/sql/dialect';
import type { QueryResult } from '../../core/sql/database';
import type { RowsForm } from '../../shared/sql/result';
import type { Identity, Timeline } from '../../shared/timeline';
import type { ExportFormat } from '../../core/sql/export';
import { defaultRowBudget } from '../../core/sql/budget';
import { DEFAULT_QUERY_MAX_ROWS } from '../../core/sql/limits';
import type { LoadRequest, LoadSummary } from '../../core/sql/loader';
import { WorkerChannel, type CallOptions } from '../channel/client';
import { QUERY_WORKER_FILE } from '../entries';
import type { QueryProtocol, QuerySql } from './protocol';
import { lexedOf, type LexedSql } from '../../shared/sql/lexer';

export type { QueryResult } from '../../core/sql/database';
export type { LoadSummary, LoadProblem } from '../../core/sql/loader';
export type { ExportFormat } from '../../core/sql/export';

export interface QuerySessionOptions {
  /** The bundled thread; defaults to the query worker bundle next to this (bundled) file. */
  workerPath?: string;
  wasmPath?: string;
  /** Row budget for loading (default: what this machine's memory allows, see budget). */
  maxRows?: number;
  /** Budget of source bytes a load may read. */
  maxBytes?: number;
  /** Folder in which the session makes its own folder for snapshots (default: the OS temp folder). */
  tempRoot?: string;
  /**
   * Read in a second thread while this one inserts (the default). A session whose loads the
   * record cache serves whole reads no file: without it, its listing runs on its own thread and
   * the start of a thread (about 0.15 s of a core) is saved.
   */
  readThread?: boolean;
}

/** What a session loads: the loader's request, passed to the thread as it is. */
export type SessionLoadRequest = LoadRequest;

/** How long a new thread may take to open its database (restoring a large snapshot takes a while). */
const START_TIMEOUT_MS = 60_000;

/** How long a load or export may take to stop on its own before the thread is replaced. */
const COOPERATIVE_CANCEL_MS = 1000;

export class QuerySession {
  private readonly channel: WorkerChannel<QueryProtocol>;
  private queue: Promise<unknown> = Promise.resolve();
  private rows = 0;
  private disposed = false;
  /** Loads made since the thread's last snapshot: a new thread replays them. */
  private loadsSinceSnapshot: SessionLoadRequest[] = [];

  private constructor(options: QuerySessionOptions, private readonly folder: string) {
    const snapshotPath = path.join(folder, 'snapshot.sqlite');
    this.channel = new WorkerChannel<QueryProtocol>({
      workerPath: options.workerPath ?? path.join(__dirname, QUERY_WORKER_FILE),
      name: 'query worker',
      cancelGraceMs: COOPERATIVE_CANCEL_MS,
      reviveError: SqlError.revive,
      policy: {
        restart: 'at-once',
        startTimeoutMs: START_TIMEOUT_MS,
        initialize: async (request) => {
          const init = await request('init', { wasmPath: options.wasmPath, snapshotPath, maxRows: options.maxRows ?? defaultRowBudget(), maxBytes: options.maxBytes, readThread: options.readThread ?? true });
          this.rows = init.loadedRows;
          for (const load of this.loadsSinceSnapshot) this.rows = (await request('load', load)).loadedRows;
        },
      },
    });
  }

  static async open(options: QuerySessionOptions = {}): Promise<QuerySession> {
    const folder = mkdtempSync(path.join(options.tempRoot ?? privateTempFolder(), 'audit-lens-session-'));
    const session = new QuerySession(options, folder);
    try {
      await session.channel.open();
    } catch (error) {
      await session.dispose();
      throw error;
    }
    return session;
  }

  /** Records in `audit_logs` after the last load or change. */
  get loadedRows(): number {
    return this.rows;
  }

  /** Replaces what was loaded with the files the request selects (or adds a slice, with `append`). */
  async load(request: SessionLoadRequest, options: WorkOptions = {}): Promise<LoadSummary> {
    const summary = await this.enqueue('load', request, options);
    this.loadsSinceSnapshot = request.append ? [...this.loadsSinceSnapshot, request] : [request];
    return summary;
  }

  /**
   * Runs `sql` (text, or a query parsed on this side: the thread then reads its tokens rather
   * than lexing it again); with `asOf` (epoch ms) every "now" of each statement evaluates at that
   * instant; with `rowsAs` 'json' the rows come back as `rowsJson`.
   */
  query(sql: string | LexedSql, options: { maxRows?: number; signal?: AbortSignal; asOf?: number; rowsAs?: RowsForm } = {}): Promise<QueryResult> {
    const { asOf, rowsAs, ...work } = options;
    return this.enqueue('query', { sql: wireSql(sql), maxRows: options.maxRows ?? DEFAULT_QUERY_MAX_ROWS, ...(asOf === undefined ? {} : { asOf }), ...(rowsAs === undefined ? {} : { rowsAs }) }, { ...work, cancelGraceMs: 0 });
  }

  /** Runs a timeline's statements and assembles their rows into one identity's Timeline, in the thread. */
  timeline(identity: Identity, statements: readonly string[], options: { signal?: AbortSignal } = {}): Promise<Timeline> {
    return this.enqueue('timeline', { identity, statements: [...statements] }, { ...options, cancelGraceMs: 0 });
  }

  /**
   * Streams the rows of a query to `sink`, one chunk at a time (the next waits for the sink): all
   * of them, or the first `maxRows` (then `totalRows` counts them all). `asOf` as in `query`.
   */
  exportQuery(
    sql: string | LexedSql,
    format: ExportFormat,
    sink: (chunk: string) => Promise<void>,
    options: WorkOptions & { maxRows?: number; asOf?: number } = {},
  ): Promise<{ rowCount: number; totalRows?: number }> {
    const { maxRows, asOf, ...work } = options;
    return this.enqueue('export', { sql: wireSql(sql), format, ...(maxRows === undefined ? {} : { maxRows }), ...(asOf === undefined ? {} : { asOf }) }, { ...work, onChunk: sink });
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.channel.dispose();
    rmSync(this.folder, { recursive: true, force: true });
  }

  private enqueue<T extends keyof QueryProtocol & string>(
    type: T,
    body: QueryProtocol[T]['request'],
    options: CallOptions<QueryProtocol[T]['chunk']>,
  ): Promise<QueryProtocol[T]['reply']['value']> {
    const run = async (): Promise<QueryProtocol[T]['reply']['value']> => {
      if (this.disposed) throw new AuditLensError('cancelled', 'The query session was closed.');
      if (options.signal?.aborted) throw cancelled();
      const reply = await this.channel.request(type, body, options);
      this.rows = reply.loadedRows;
      if (reply.snapshotSaved) this.loadsSinceSnapshot = [];
      return reply.value;
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }
}

/** The query as it crosses to the thread: plain data, without what a parsed query works out lazily. */
function wireSql(sql: string | LexedSql): QuerySql {
  return typeof sql === 'string' ? sql : lexedOf(sql);
}
