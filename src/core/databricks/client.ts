/**
 * A client of the SQL Statement Execution API 2.0: submits a statement, polls until it ends
 * (cancelling it on the warehouse when the caller aborts), then reads its result chunk by chunk —
 * inline, or through external links fetched without our Authorization header, as Databricks asks.
 */
import { AuditLensError, cancelled } from '../errors';
import type { ProgressSink } from '../progress';
import {
  FINAL_STATES,
  STATEMENTS_PATH,
  type ColumnInfo,
  type Disposition,
  type ExecuteStatementRequest,
  type ExternalLink,
  type ResultData,
  type ServiceError,
  type StatementParameter,
  type StatementResponse,
} from './api';
import type { DatabricksAuth } from './auth';
import { httpError, statementEnded } from './errors';

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

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || (error as { code?: unknown }).code === 'ABORT_ERR');
}

async function errorBody(response: Response): Promise<ServiceError | undefined> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as unknown;
    return typeof body === 'object' && body !== null ? (body as ServiceError) : undefined;
  } catch {
    return text ? { message: text.slice(0, 500) } : undefined;
  }
}

export class WarehouseClient {
  private readonly fetch: typeof fetch;

  constructor(private readonly options: WarehouseClientOptions) {
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  get host(): string {
    return this.options.auth.host;
  }

  /** One API call with our token; retries "come back later" answers, explains the rest. */
  private async call<T>(method: 'GET' | 'POST', path: string, body: unknown, signal?: AbortSignal): Promise<T> {
    const retries = this.options.retries ?? 3;
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await this.fetch(`${this.options.auth.host}${path}`, {
          method,
          headers: {
            Authorization: `Bearer ${this.options.auth.token}`,
            'Content-Type': 'application/json',
            'User-Agent': this.options.userAgent ?? 'audit-lens',
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal,
        });
      } catch (error) {
        if (isAbort(error) || signal?.aborted) throw cancelled();
        throw new AuditLensError('network', `Could not reach the Databricks workspace at ${this.options.auth.host}: check the host and your network.`, error instanceof Error ? `${error.message}${error.cause ? ` (${String(error.cause)})` : ''}` : String(error));
      }
      if (response.ok) return (await response.json()) as T;
      const error = await errorBody(response);
      if (RETRY_STATUSES.has(response.status) && attempt < retries) {
        const after = Number(response.headers.get('retry-after'));
        await sleep(Number.isFinite(after) && after >= 0 ? Math.min(after, 30) * 1000 : 500 * 2 ** attempt, signal);
        continue;
      }
      throw httpError(response.status, error, { host: this.options.auth.host, warehouseId: this.options.warehouseId });
    }
  }

  private statementPath(statementId: string, suffix = ''): string {
    return `${STATEMENTS_PATH}/${encodeURIComponent(statementId)}${suffix}`;
  }

  /** Asks the warehouse to stop the statement; a failure to ask is not the caller's problem. */
  async cancel(statementId: string): Promise<void> {
    await this.call('POST', this.statementPath(statementId, '/cancel'), {}).catch(() => undefined);
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
    // Not aborted midway: once submitted, the statement must be known so that it can be cancelled.
    let response = await this.call<StatementResponse>('POST', STATEMENTS_PATH, request);
    const id = response.statement_id;
    let pause = this.options.pollMs ?? 250;
    try {
      if (signal?.aborted) throw cancelled();
      while (!FINAL_STATES.has(response.status.state)) {
        options.onProgress?.({ message: response.status.state === 'PENDING' ? 'Waiting for the warehouse…' : 'Running on the warehouse…' });
        await sleep(pause, signal);
        pause = Math.min(pause * 2, this.options.maxPollMs ?? 5000);
        response = await this.call<StatementResponse>('GET', this.statementPath(id), undefined, signal);
      }
    } catch (error) {
      if (signal?.aborted || AuditLensError.from(error).code === 'cancelled') {
        await this.cancel(id);
        throw cancelled();
      }
      throw error;
    }
    if (response.status.state !== 'SUCCEEDED') throw statementEnded(response.status, id);
    const manifest = response.manifest;
    if (!manifest) throw new AuditLensError('internal', 'The warehouse reported success without a result manifest.', `statement ${id}`);
    const first = response.result ?? {};
    return {
      statementId: id,
      columns: [...manifest.schema.columns].sort((a, b) => a.position - b.position),
      totalRowCount: manifest.total_row_count,
      totalChunkCount: manifest.total_chunk_count,
      chunks: (chunkSignal) => this.chunks(id, first, chunkSignal),
    };
  }

  private async *chunks(statementId: string, first: ResultData, signal?: AbortSignal): AsyncGenerator<(string | null)[][]> {
    let data: ResultData | undefined = first;
    while (data) {
      if (signal?.aborted) throw cancelled();
      let next: string | undefined = data.next_chunk_internal_link;
      if (data.external_links?.length) {
        for (const link of data.external_links) {
          yield await this.download(statementId, link, signal);
          next = link.next_chunk_internal_link ?? next;
        }
      } else {
        yield data.data_array ?? [];
      }
      data = next ? await this.call<ResultData>('GET', next, undefined, signal) : undefined;
    }
  }

  /** Reads one external link — fetched afresh when it has expired — without our token. */
  private async download(statementId: string, link: ExternalLink, signal?: AbortSignal): Promise<(string | null)[][]> {
    let current = link;
    if (Date.parse(current.expiration) <= Date.now() + 5000) {
      const fresh = await this.call<ResultData>('GET', this.statementPath(statementId, `/result/chunks/${current.chunk_index}`), undefined, signal);
      current = fresh.external_links?.find((l) => l.chunk_index === link.chunk_index) ?? current;
    }
    let response: Response;
    try {
      // The link carries its own short-lived credential: sending our Authorization header is refused.
      response = await this.fetch(current.external_link, { headers: current.http_headers ?? {}, signal });
    } catch (error) {
      if (isAbort(error) || signal?.aborted) throw cancelled();
      throw new AuditLensError('network', `Could not download chunk ${current.chunk_index} of the result from cloud storage.`, error instanceof Error ? error.message : String(error));
    }
    if (!response.ok) {
      throw new AuditLensError('network', `Downloading chunk ${current.chunk_index} of the result failed (HTTP ${response.status}): the link may have expired; run the cell again.`);
    }
    const rows = (await response.json()) as unknown;
    if (!Array.isArray(rows)) throw new AuditLensError('data', `Chunk ${current.chunk_index} of the result is not a JSON array.`);
    return rows as (string | null)[][];
  }
}
