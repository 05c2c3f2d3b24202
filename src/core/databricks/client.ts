/**
 * A client of the SQL Statement Execution API 2.0: submits a statement, polls until it ends
 * (cancelling it on the warehouse when the caller aborts), then reads its result chunk by chunk —
 * inline, or through external links fetched without our Authorization header, as Databricks asks.
 * Every request is bounded in time and size, and every answer is checked before it is believed.
 */
import { AuditLensError, cancelled } from '../errors';
import type { ProgressSink } from '../progress';
import {
  FINAL_STATES,
  KNOWN_STATES,
  STATEMENTS_PATH,
  type ColumnInfo,
  type Disposition,
  type ExecuteStatementRequest,
  type ExternalLink,
  type ResultData,
  type ServiceError,
  type StatementParameter,
  type StatementResponse,
  type StatementState,
} from './api';
import { assertSecureHost, type DatabricksAuth } from './auth';
import { httpError, statementEnded } from './errors';
import { describeAnswer, exchange, type Exchange } from './http';

export interface WarehouseClientOptions {
  auth: DatabricksAuth;
  warehouseId: string;
  /** How long the POST waits for a quick answer before polling (`"0s"`, the default, or `"5s"`…`"50s"`). */
  waitTimeout?: string;
  /** Pause between polls; grows to `maxPollMs`. */
  pollMs?: number;
  maxPollMs?: number;
  /** Retries of a 429 or 503 answer (they say "come back later"). */
  retries?: number;
  /** How long one API request may take, beyond the POST's own wait_timeout (default 60 s). */
  requestTimeoutMs?: number;
  /** How long one external link's download may take (default 10 minutes). */
  downloadTimeoutMs?: number;
  /** The largest API answer read (default 64 MiB; Databricks caps inline results at 25 MiB). */
  maxAnswerBytes?: number;
  /** The largest external-link chunk read (default 256 MiB). */
  maxChunkBytes?: number;
  /** Accept a plain http:// host that is not this machine (the token then travels in clear). */
  allowInsecureHttp?: boolean;
  fetch?: typeof fetch;
  userAgent?: string;
}

export interface ExecuteOptions {
  parameters?: StatementParameter[];
  disposition?: Disposition;
  signal?: AbortSignal;
  onProgress?: ProgressSink;
}

/** A statement that SUCCEEDED: its columns and its rows, one chunk at a time. */
export interface StatementResult {
  statementId: string;
  columns: ColumnInfo[];
  /** Rows in the whole result, when the manifest says. */
  totalRowCount?: number;
  totalChunkCount?: number;
  /** Every chunk's rows in order; stops early when the caller breaks out. */
  chunks(signal?: AbortSignal): AsyncGenerator<(string | null)[][]>;
}

const RETRY_STATUSES = new Set([429, 503]);
const MiB = 1024 * 1024;

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelled());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(cancelled());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function errorBody(answer: Exchange): ServiceError | undefined {
  try {
    const body = JSON.parse(answer.text) as unknown;
    if (isRecord(body)) return body as ServiceError;
  } catch {
    // Not JSON: the first bytes say what it was.
  }
  return answer.bytes > 0 ? { message: describeAnswer(answer) } : undefined;
}

/** `POST …/statements` seconds of wait_timeout, which the request's own time limit must cover. */
function waitSeconds(waitTimeout: string): number {
  const match = /^(\d+)s$/.exec(waitTimeout);
  return match ? Number(match[1]) : 0;
}

/** What a statement answer lacks, or undefined when it has the documented fields this client reads. */
function statementProblem(body: Record<string, unknown>, needsId: boolean): string | undefined {
  if (needsId && (typeof body.statement_id !== 'string' || body.statement_id === '')) return 'no statement_id';
  if (!isRecord(body.status) || typeof body.status.state !== 'string') return 'no status.state';
  if (body.status.state === 'SUCCEEDED') {
    const manifest = body.manifest;
    if (!isRecord(manifest) || !isRecord(manifest.schema) || !Array.isArray(manifest.schema.columns)) return 'a SUCCEEDED state without a result manifest';
    if (!manifest.schema.columns.every((c) => isRecord(c) && typeof c.name === 'string' && typeof c.type_name === 'string' && typeof c.position === 'number')) return 'a manifest whose columns have no name, type or position';
    if (body.result !== undefined && resultProblem(body.result)) return `a result with ${resultProblem(body.result)}`;
  }
  return undefined;
}

/** JSON_ARRAY rows: every value is a string or null, whatever the column's type. */
function isRow(row: unknown): boolean {
  return Array.isArray(row) && row.every((value) => value === null || typeof value === 'string');
}

function resultProblem(body: unknown): string | undefined {
  if (!isRecord(body)) return 'no JSON object';
  if (body.data_array !== undefined && !(Array.isArray(body.data_array) && body.data_array.every(isRow))) return 'a data_array that is not a list of rows of strings and nulls';
  if (body.external_links !== undefined && (!Array.isArray(body.external_links) || !body.external_links.every((l) => isRecord(l) && typeof l.external_link === 'string'))) {
    return 'external_links that are not links';
  }
  if (body.next_chunk_internal_link !== undefined && typeof body.next_chunk_internal_link !== 'string') return 'a next_chunk_internal_link that is not text';
  return undefined;
}

export class WarehouseClient {
  private readonly fetch: typeof fetch;

  constructor(private readonly options: WarehouseClientOptions) {
    this.fetch = options.fetch ?? globalThis.fetch;
    assertSecureHost(options.auth.host, options.allowInsecureHttp === true);
  }

  get host(): string {
    return this.options.auth.host;
  }

  private get peer(): string {
    return `the Databricks workspace at ${this.options.auth.host}`;
  }

  /** One API call with our token; retries "come back later" answers, explains the rest. */
  private async call(method: 'GET' | 'POST', path: string, body: unknown, signal?: AbortSignal, timeoutMs = this.options.requestTimeoutMs ?? 60_000): Promise<{ answer: Exchange; json: Record<string, unknown> }> {
    const retries = this.options.retries ?? 3;
    const wait = method === 'POST' && path === STATEMENTS_PATH ? waitSeconds(this.options.waitTimeout ?? '0s') * 1000 : 0;
    for (let attempt = 0; ; attempt++) {
      const answer = await exchange(this.fetch, {
        url: `${this.options.auth.host}${path}`,
        method,
        headers: {
          Authorization: `Bearer ${this.options.auth.token}`,
          'Content-Type': 'application/json',
          'User-Agent': this.options.userAgent ?? 'audit-lens',
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
        timeoutMs: timeoutMs + wait,
        maxBytes: this.options.maxAnswerBytes ?? 64 * MiB,
        peer: this.peer,
        what: `${method} ${path}`,
        tooLargeAdvice: 'narrow the query or add a LIMIT, or export it with --format csv or json, which reads the result in chunks.',
      });
      if (answer.ok) return { answer, json: this.parseObject(answer, `${method} ${path}`) };
      const error = errorBody(answer);
      if (RETRY_STATUSES.has(answer.status) && attempt < retries) {
        const after = Number(answer.headers.get('retry-after'));
        await sleep(Number.isFinite(after) && after >= 0 ? Math.min(after, 30) * 1000 : 500 * 2 ** attempt, signal);
        continue;
      }
      throw httpError(answer.status, error, { host: this.options.auth.host, warehouseId: this.options.warehouseId });
    }
  }

  private parseObject(answer: Exchange, what: string): Record<string, unknown> {
    let json: unknown;
    try {
      json = JSON.parse(answer.text);
    } catch {
      throw new AuditLensError('data', `${this.peerName()} answered ${what} with something that is not JSON (${describeAnswer(answer)}): check that --host is the workspace URL.`);
    }
    if (!isRecord(json)) throw new AuditLensError('data', `${this.peerName()} answered ${what} with JSON that is not an object (${describeAnswer(answer)}).`);
    return json;
  }

  private peerName(): string {
    return `The Databricks workspace at ${this.options.auth.host}`;
  }

  private async statementCall(method: 'GET' | 'POST', path: string, body: unknown, signal?: AbortSignal): Promise<StatementResponse> {
    const { answer, json } = await this.call(method, path, body, signal);
    const problem = statementProblem(json, method === 'POST');
    if (problem) throw new AuditLensError('data', `${this.peerName()} answered ${method} ${path} with ${problem}, not a statement (${describeAnswer(answer)}).`);
    return json as unknown as StatementResponse;
  }

  private async resultCall(path: string, statementId: string, signal?: AbortSignal): Promise<ResultData> {
    const { answer, json } = await this.call('GET', path, undefined, signal);
    const problem = resultProblem(json);
    if (problem) throw new AuditLensError('data', `${this.peerName()} sent a result chunk of statement ${statementId} with ${problem} (${describeAnswer(answer)}).`);
    return json as ResultData;
  }

  private statementPath(statementId: string, suffix = ''): string {
    return `${STATEMENTS_PATH}/${encodeURIComponent(statementId)}${suffix}`;
  }

  /** Asks the warehouse to stop the statement; a failure to ask is not the caller's problem. */
  async cancel(statementId: string): Promise<void> {
    // Short: it runs while the user waits to get their prompt back.
    await this.call('POST', this.statementPath(statementId, '/cancel'), {}, undefined, Math.min(this.options.requestTimeoutMs ?? 60_000, 10_000)).catch(() => undefined);
  }

  /** Runs the statement to its end; an abort cancels it on the warehouse. */
  async execute(statement: string, options: ExecuteOptions = {}): Promise<StatementResult> {
    const { signal } = options;
    if (signal?.aborted) throw cancelled();
    const request: ExecuteStatementRequest = {
      statement,
      warehouse_id: this.options.warehouseId,
      // 0s: the answer names the statement at once, so a cancel can always reach it.
      wait_timeout: this.options.waitTimeout ?? '0s',
      on_wait_timeout: 'CONTINUE',
      format: 'JSON_ARRAY',
      disposition: options.disposition ?? 'INLINE',
      ...(options.parameters?.length ? { parameters: options.parameters } : {}),
    };
    // An abort ends even a POST that hangs: the statement, if the warehouse took it, is then unknown
    // here and cannot be cancelled, but the user is never held waiting on a silent server.
    let response = await this.statementCall('POST', STATEMENTS_PATH, request, signal);
    const id = response.statement_id;
    let pause = this.options.pollMs ?? 250;
    try {
      if (signal?.aborted) throw cancelled();
      while (!FINAL_STATES.has(response.status.state)) {
        this.assertKnownState(response.status.state, id);
        options.onProgress?.({ message: response.status.state === 'PENDING' ? 'Waiting for the warehouse…' : 'Running on the warehouse…' });
        await sleep(pause, signal);
        pause = Math.min(pause * 2, this.options.maxPollMs ?? 5000);
        response = await this.statementCall('GET', this.statementPath(id), undefined, signal);
      }
    } catch (error) {
      if (signal?.aborted || AuditLensError.from(error).code === 'cancelled') {
        await this.cancel(id);
        throw cancelled();
      }
      // A statement this client cannot follow any more is not left running on the warehouse.
      if (AuditLensError.from(error).code === 'data') await this.cancel(id);
      throw error;
    }
    if (response.status.state !== 'SUCCEEDED') {
      if (signal?.aborted) throw cancelled();
      throw statementEnded(response.status, id);
    }
    // statementProblem checked the manifest of a SUCCEEDED answer.
    const manifest = response.manifest!;
    const first = response.result ?? {};
    const totalChunkCount = typeof manifest.total_chunk_count === 'number' ? manifest.total_chunk_count : undefined;
    return {
      statementId: id,
      columns: [...manifest.schema.columns].sort((a, b) => a.position - b.position),
      totalRowCount: manifest.total_row_count,
      totalChunkCount,
      chunks: (chunkSignal) => this.chunks(id, first, totalChunkCount, chunkSignal),
    };
  }

  private assertKnownState(state: StatementState, statementId: string): void {
    if (KNOWN_STATES.has(state)) return;
    throw new AuditLensError(
      'data',
      `The warehouse reported statement ${statementId} in the state ${JSON.stringify(state)}, which this client does not know, so it stopped waiting: see the statement in the workspace's Query History.`,
    );
  }

  /** Where a next_chunk_internal_link leads, refused unless it is a path of this statement's result on our host. */
  private chunkPath(link: string, statementId: string): string {
    const prefix = this.statementPath(statementId, '/result/chunks/');
    if (!link.startsWith(prefix) || new URL(link, this.options.auth.host).origin !== new URL(this.options.auth.host).origin) {
      throw new AuditLensError('data', `The warehouse linked the next result chunk of statement ${statementId} to ${JSON.stringify(link.slice(0, 200))}, outside the statement's result: it was not followed.`);
    }
    return link;
  }

  private async *chunks(statementId: string, first: ResultData, totalChunkCount: number | undefined, signal?: AbortSignal): AsyncGenerator<(string | null)[][]> {
    // The manifest says how many chunks there are; a link back to one already read would never end.
    const followed = new Set<string>();
    let read = 0;
    let data: ResultData | undefined = first;
    while (data) {
      if (signal?.aborted) throw cancelled();
      let next: string | undefined = data.next_chunk_internal_link;
      if (data.external_links?.length) {
        for (const link of data.external_links) {
          yield await this.download(statementId, link, signal);
          read++;
          next = link.next_chunk_internal_link ?? next;
        }
      } else {
        yield data.data_array ?? [];
        read++;
      }
      if (!next) return;
      const path = this.chunkPath(next, statementId);
      if (followed.has(path)) {
        throw new AuditLensError('data', `The warehouse's result of statement ${statementId} links back to a chunk already read (${path}) after ${read} chunks: it was not read twice. Run the query again.`);
      }
      if (totalChunkCount !== undefined && read >= totalChunkCount) {
        throw new AuditLensError('data', `The warehouse's result of statement ${statementId} has ${totalChunkCount} chunks by its manifest, yet links to another (${path}) after the last: it was not followed. Run the query again.`);
      }
      followed.add(path);
      data = await this.resultCall(path, statementId, signal);
    }
  }

  /** Reads one external link — fetched afresh when it has expired — without our token. */
  private async download(statementId: string, link: ExternalLink, signal?: AbortSignal): Promise<(string | null)[][]> {
    let current = link;
    if (Date.parse(current.expiration) <= Date.now() + 5000) {
      const fresh = await this.resultCall(this.statementPath(statementId, `/result/chunks/${current.chunk_index}`), statementId, signal);
      current = fresh.external_links?.find((l) => l.chunk_index === link.chunk_index) ?? current;
    }
    const what = `chunk ${current.chunk_index} of the result of statement ${statementId}`;
    // The link carries its own short-lived credential: sending our Authorization header is refused.
    const answer = await exchange(this.fetch, {
      url: current.external_link,
      method: 'GET',
      headers: current.http_headers ?? {},
      signal,
      timeoutMs: this.options.downloadTimeoutMs ?? 600_000,
      maxBytes: this.options.maxChunkBytes ?? 256 * MiB,
      peer: 'cloud storage',
      what,
      tooLargeAdvice: 'narrow the query or add a LIMIT.',
    });
    if (!answer.ok) {
      throw new AuditLensError('network', `Downloading ${what} failed (HTTP ${answer.status}): the link may have expired; run the query again.`, describeAnswer(answer));
    }
    let rows: unknown;
    try {
      rows = JSON.parse(answer.text);
    } catch {
      throw new AuditLensError('data', `Cloud storage sent ${what} as something that is not JSON (${describeAnswer(answer)}).`);
    }
    if (!Array.isArray(rows) || !rows.every(isRow)) {
      throw new AuditLensError('data', `Cloud storage sent ${what} as JSON that is not a list of rows of strings and nulls (${describeAnswer(answer)}).`);
    }
    return rows as (string | null)[][];
  }
}
