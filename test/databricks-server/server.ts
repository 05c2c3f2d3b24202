/**
 * A small Databricks SQL Statement Execution API 2.0 server on 127.0.0.1 for tests, spoken to only
 * through the project's real client. It implements the documented shapes: POST /statements
 * (wait_timeout, on_wait_timeout, format, disposition, named parameters), polling through
 * PENDING and RUNNING, results cut into chunks (inline `data_array` or `external_links` served by
 * this same server, which refuse an Authorization header and expire), GET …/result/chunks/{i},
 * POST …/cancel, FAILED statements with the warehouse's message, statements that never finish,
 * and JSON error bodies for 400/401/403/404/429/5xx. It also misbehaves on demand: requests that
 * never get an answer, 200 answers that are not what the API documents (bad JSON, an HTML page,
 * `{}`, an endless body), states the API does not know, statements cancelled on the warehouse, a
 * chunk that links to itself, and external links that serve something other than rows.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ColumnInfo, ExecuteStatementRequest, ExternalLink, ResultData, StatementParameter, StatementResponse, StatementState } from '../../src/core/databricks/api';

/** What the warehouse makes of a statement. */
export type Answer =
  | { rows: (string | null)[][]; columns: ColumnInfo[] }
  | { failed: { error_code: string; message: string; sql_state?: string } }
  /** Runs until cancelled. */
  | { never: true }
  /** Stopped on the warehouse (by an admin, a timeout, a restart) with this message. */
  | { canceled: { message: string } }
  /** Reports this state (one the API does not document, say) from then on. */
  | { state: string };

export type Executor = (statement: string, parameters: readonly StatementParameter[]) => Promise<Answer> | Answer;

export interface DatabricksServerOptions {
  token: string;
  warehouses: readonly string[];
  /** Tokens that authenticate but may not use any warehouse (403). */
  forbiddenTokens?: readonly string[];
  executor: Executor;
  rowsPerChunk?: number;
  /** GETs a statement spends in PENDING, then in RUNNING, before its answer is ready. */
  pendingPolls?: number;
  runningPolls?: number;
  /** How long external links live, in ms (Databricks: up to 15 minutes). */
  linkLifetimeMs?: number;
  /** The chunk whose next_chunk_internal_link points back at itself. */
  selfLinkedChunk?: number;
  /** What every external link serves instead of the chunk's rows. */
  externalBody?: { contentType: string; body: string };
}

/** An answer sent as is, whatever the API documents. */
export interface RawAnswer {
  status: number;
  contentType: string;
  body: string;
}

/** A body of `bytes` bytes that starts like a statement answer, sent in pieces while the client reads. */
export interface EndlessAnswer {
  bytes: number;
  /** Declare the size in Content-Length up front (otherwise chunked, the size unknown until the end). */
  declareLength: boolean;
}

type Misbehaviour = { kind: 'hang' } | { kind: 'raw'; answer: RawAnswer } | { kind: 'endless'; answer: EndlessAnswer };

export interface RecordedRequest {
  method: string;
  path: string;
  authorization?: string;
  body?: unknown;
}

interface Statement {
  id: string;
  request: ExecuteStatementRequest;
  state: StatementState;
  polls: number;
  answer?: Answer;
  chunks: (string | null)[][][];
  columns: ColumnInfo[];
  rowCount: number;
  error?: { error_code: string; message: string };
  sqlState?: string;
}

const BASE = '/api/2.0/sql/statements';
const WAIT_TIMEOUT = /^(0|[5-9]|[1-4]\d|50)s$/;

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? undefined : JSON.parse(text);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Why a request body breaks the documented contract, or undefined. */
function requestProblem(body: unknown): string | undefined {
  if (!isRecord(body)) return 'the body must be a JSON object';
  if (typeof body.statement !== 'string' || body.statement === '') return 'statement is required';
  if (typeof body.warehouse_id !== 'string' || body.warehouse_id === '') return 'warehouse_id is required';
  if (body.wait_timeout !== undefined && (typeof body.wait_timeout !== 'string' || !WAIT_TIMEOUT.test(body.wait_timeout))) return 'wait_timeout must be 0s or between 5s and 50s';
  if (body.on_wait_timeout !== undefined && body.on_wait_timeout !== 'CONTINUE' && body.on_wait_timeout !== 'CANCEL') return 'on_wait_timeout must be CONTINUE or CANCEL';
  if (body.format !== undefined && body.format !== 'JSON_ARRAY' && body.format !== 'ARROW_STREAM' && body.format !== 'CSV') return 'unknown format';
  if (body.disposition !== undefined && body.disposition !== 'INLINE' && body.disposition !== 'EXTERNAL_LINKS') return 'unknown disposition';
  if (body.disposition !== 'EXTERNAL_LINKS' && body.format !== undefined && body.format !== 'JSON_ARRAY') return 'INLINE results come only as JSON_ARRAY';
  if (body.parameters !== undefined) {
    if (!Array.isArray(body.parameters)) return 'parameters must be a list';
    for (const p of body.parameters) {
      if (!isRecord(p) || typeof p.name !== 'string' || !(typeof p.value === 'string' || p.value === null || p.value === undefined)) return 'each parameter needs a name and a string value';
      if (!new RegExp(`:${p.name}\\b`).test(body.statement)) return `parameter ${p.name} is not used in the statement`;
    }
  }
  return undefined;
}

export class DatabricksTestServer {
  readonly requests: RecordedRequest[] = [];
  private readonly statements = new Map<string, Statement>();
  private readonly faults: { status: number; times: number; retryAfter?: string; code: string; message: string }[] = [];
  private readonly misbehaviours: Misbehaviour[] = [];
  private sequence = 0;
  endpoint = '';

  constructor(
    private readonly server: Server,
    readonly options: DatabricksServerOptions,
  ) {}

  /** The next `times` API calls answer `status` with a documented-shape error body. */
  failNext(status: number, options: { times?: number; retryAfter?: string; code?: string; message?: string } = {}): void {
    this.faults.push({ status, times: options.times ?? 1, retryAfter: options.retryAfter, code: options.code ?? 'TEMPORARILY_UNAVAILABLE', message: options.message ?? `injected HTTP ${status}` });
  }

  /** The next API call gets no answer at all: the connection stays open until the client leaves. */
  hangNext(): void {
    this.misbehaviours.push({ kind: 'hang' });
  }

  /** The next API call gets this answer, as is. */
  answerNext(answer: RawAnswer): void {
    this.misbehaviours.push({ kind: 'raw', answer });
  }

  /** The next API call gets a 200 whose body goes on for `bytes` bytes. */
  endlessNext(answer: EndlessAnswer): void {
    this.misbehaviours.push({ kind: 'endless', answer });
  }

  /** Bytes of endless answers actually sent, so a test can tell the client stopped reading. */
  endlessBytesSent = 0;

  statement(id: string): Readonly<Statement> | undefined {
    return this.statements.get(id);
  }

  get statementIds(): string[] {
    return [...this.statements.keys()];
  }

  count(predicate: (r: RecordedRequest) => boolean): number {
    return this.requests.filter(predicate).length;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close').catch(() => undefined);
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const authorization = req.headers.authorization;
    const body = req.method === 'POST' ? await readJson(req).catch(() => Symbol.for('bad-json')) : undefined;
    this.requests.push({ method: req.method ?? 'GET', path: url.pathname, ...(authorization ? { authorization } : {}), ...(body !== undefined ? { body } : {}) });
    if (url.pathname.startsWith('/external/')) return this.external(url, authorization, res);
    if (!url.pathname.startsWith(BASE)) return send(res, 404, { error_code: 'ENDPOINT_NOT_FOUND', message: `No API found for '${req.method} ${url.pathname}'` });
    const misbehaviour = this.misbehaviours.shift();
    if (misbehaviour?.kind === 'hang') return;
    if (misbehaviour?.kind === 'raw') {
      res.writeHead(misbehaviour.answer.status, { 'Content-Type': misbehaviour.answer.contentType });
      res.end(misbehaviour.answer.body);
      return;
    }
    if (misbehaviour?.kind === 'endless') return this.endless(misbehaviour.answer, res);
    const fault = this.faults[0];
    if (fault) {
      if (--fault.times <= 0) this.faults.shift();
      return send(res, fault.status, { error_code: fault.code, message: fault.message }, fault.retryAfter ? { 'Retry-After': fault.retryAfter } : {});
    }
    if (authorization !== `Bearer ${this.options.token}` && !this.options.forbiddenTokens?.some((t) => authorization === `Bearer ${t}`)) {
      return send(res, 401, { error_code: 'UNAUTHENTICATED', message: 'Invalid access token.' });
    }
    if (authorization !== `Bearer ${this.options.token}`) {
      return send(res, 403, { error_code: 'PERMISSION_DENIED', message: 'User does not have permission to use this warehouse.' });
    }
    const rest = url.pathname.slice(BASE.length);
    if (req.method === 'POST' && (rest === '' || rest === '/')) return this.execute(body, res);
    const match = /^\/([^/]+)(\/cancel|\/result\/chunks\/(\d+))?$/.exec(rest);
    const statement = match ? this.statements.get(decodeURIComponent(match[1]!)) : undefined;
    if (!match || !statement) return send(res, 404, { error_code: 'NOT_FOUND', message: 'The statement was not found.' });
    if (req.method === 'POST' && match[2] === '/cancel') {
      if (statement.state === 'PENDING' || statement.state === 'RUNNING') statement.state = 'CANCELED';
      return send(res, 200, {});
    }
    if (req.method === 'GET' && match[3] !== undefined) {
      const index = Number(match[3]);
      if (statement.state !== 'SUCCEEDED') return send(res, 400, { error_code: 'BAD_REQUEST', message: `The statement is ${statement.state}: no result to fetch.` });
      if (index >= statement.chunks.length) return send(res, 404, { error_code: 'NOT_FOUND', message: `There is no chunk ${index}.` });
      return send(res, 200, this.chunk(statement, index));
    }
    if (req.method === 'GET' && !match[2]) {
      await this.advance(statement);
      return send(res, 200, this.response(statement));
    }
    return send(res, 404, { error_code: 'ENDPOINT_NOT_FOUND', message: 'No such method.' });
  }

  private async execute(body: unknown, res: ServerResponse): Promise<void> {
    const problem = requestProblem(body);
    if (problem) return send(res, 400, { error_code: 'INVALID_PARAMETER_VALUE', message: problem });
    const request = body as ExecuteStatementRequest;
    if (!this.options.warehouses.includes(request.warehouse_id)) {
      return send(res, 404, { error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Warehouse ${request.warehouse_id} does not exist.` });
    }
    const id = `01ef-${(++this.sequence).toString(16).padStart(8, '0')}-stmt`;
    const statement: Statement = { id, request, state: 'PENDING', polls: 0, chunks: [], columns: [], rowCount: 0 };
    this.statements.set(id, statement);
    // Within wait_timeout a quick statement answers at once; a slow one comes back PENDING.
    if (request.wait_timeout !== '0s' && !this.options.pendingPolls && !this.options.runningPolls) await this.advance(statement);
    send(res, 200, this.response(statement));
  }

  /** One poll's worth of progress: PENDING → RUNNING → the executor's answer. */
  private async advance(statement: Statement): Promise<void> {
    if (statement.state !== 'PENDING' && statement.state !== 'RUNNING') return;
    statement.polls++;
    const pending = this.options.pendingPolls ?? 0;
    const running = this.options.runningPolls ?? 0;
    if (statement.polls <= pending) return;
    statement.state = 'RUNNING';
    statement.answer ??= await this.options.executor(statement.request.statement, statement.request.parameters ?? []);
    if ('never' in statement.answer || statement.polls <= pending + running) return;
    if ('canceled' in statement.answer) {
      statement.state = 'CANCELED';
      statement.error = { error_code: 'CANCELLED', message: statement.answer.canceled.message };
      return;
    }
    if ('state' in statement.answer) {
      // Deliberately outside the documented states.
      statement.state = statement.answer.state as StatementState;
      return;
    }
    if ('failed' in statement.answer) {
      statement.state = 'FAILED';
      statement.error = { error_code: statement.answer.failed.error_code, message: statement.answer.failed.message };
      statement.sqlState = statement.answer.failed.sql_state;
      return;
    }
    const size = this.options.rowsPerChunk ?? 1000;
    const rows = statement.answer.rows;
    for (let i = 0; i < rows.length || i === 0; i += size) statement.chunks.push(rows.slice(i, i + size));
    statement.columns = statement.answer.columns;
    statement.rowCount = rows.length;
    statement.state = 'SUCCEEDED';
  }

  private response(statement: Statement): StatementResponse {
    const response: StatementResponse = { statement_id: statement.id, status: { state: statement.state } };
    if (statement.error) response.status.error = statement.error;
    if (statement.sqlState) response.status.sql_state = statement.sqlState;
    if (statement.state === 'SUCCEEDED') {
      let offset = 0;
      response.manifest = {
        format: 'JSON_ARRAY',
        schema: { column_count: statement.columns.length, columns: statement.columns },
        total_chunk_count: statement.chunks.length,
        total_row_count: statement.rowCount,
        truncated: false,
        chunks: statement.chunks.map((rows, chunk_index) => {
          const chunk = { chunk_index, row_offset: offset, row_count: rows.length };
          offset += rows.length;
          return chunk;
        }),
      };
      response.result = this.chunk(statement, 0);
    }
    return response;
  }

  private chunk(statement: Statement, index: number): ResultData {
    const rows = statement.chunks[index] ?? [];
    const rowOffset = statement.chunks.slice(0, index).reduce((n, c) => n + c.length, 0);
    const nextIndex = index === this.options.selfLinkedChunk ? index : index + 1;
    const next = nextIndex < statement.chunks.length ? { next_chunk_index: nextIndex, next_chunk_internal_link: `${BASE}/${statement.id}/result/chunks/${nextIndex}` } : {};
    if (statement.request.disposition === 'EXTERNAL_LINKS') {
      const link: ExternalLink = {
        chunk_index: index,
        row_offset: rowOffset,
        row_count: rows.length,
        external_link: `${this.endpoint}/external/${statement.id}/${index}?sig=${this.signature(statement.id, index)}&expires=${Date.now() + (this.options.linkLifetimeMs ?? 900_000)}`,
        expiration: new Date(Date.now() + (this.options.linkLifetimeMs ?? 900_000)).toISOString(),
        ...next,
      };
      return { external_links: [link] };
    }
    return { chunk_index: index, row_offset: rowOffset, row_count: rows.length, data_array: rows, ...next };
  }

  private signature(id: string, index: number): string {
    return Buffer.from(`${id}:${index}:${this.options.token.length}`).toString('base64url');
  }

  /** A presigned download: our Authorization header is refused, as cloud storage does. */
  private external(url: URL, authorization: string | undefined, res: ServerResponse): void {
    const [, , id = '', indexText = ''] = url.pathname.split('/');
    const statement = this.statements.get(id);
    const index = Number(indexText);
    if (authorization) return send(res, 400, { error_code: 'InvalidArgument', message: 'Only one auth mechanism allowed' });
    if (!statement || url.searchParams.get('sig') !== this.signature(id, index)) return send(res, 403, { error_code: 'AccessDenied', message: 'Bad signature' });
    if (Number(url.searchParams.get('expires')) <= Date.now()) return send(res, 403, { error_code: 'AccessDenied', message: 'Request has expired' });
    if (this.options.externalBody) {
      res.writeHead(200, { 'Content-Type': this.options.externalBody.contentType });
      res.end(this.options.externalBody.body);
      return;
    }
    send(res, 200, statement.chunks[index] ?? []);
  }

  /** Writes a statement answer whose one value never ends, a MiB at a time, as fast as the client reads. */
  private endless(answer: EndlessAnswer, res: ServerResponse): void {
    const start = '{"statement_id":"01ef-endless","status":{"state":"SUCCEEDED"},"manifest":{"format":"JSON_ARRAY","schema":{"column_count":1,"columns":[{"name":"v","position":0,"type_name":"STRING"}]}},"result":{"data_array":[["';
    res.writeHead(200, { 'Content-Type': 'application/json', ...(answer.declareLength ? { 'Content-Length': String(answer.bytes) } : {}) });
    const piece = Buffer.alloc(1024 * 1024, 'x');
    let left = answer.bytes - start.length;
    res.write(start);
    this.endlessBytesSent += start.length;
    const pump = (): void => {
      while (left > 0 && !res.destroyed) {
        const part = left >= piece.length ? piece : piece.subarray(0, left);
        left -= part.length;
        this.endlessBytesSent += part.length;
        if (!res.write(part)) return void res.once('drain', pump);
      }
      if (!res.destroyed) res.end();
    };
    res.on('close', () => {
      left = 0;
    });
    pump();
  }
}

export async function startDatabricksServer(options: DatabricksServerOptions): Promise<DatabricksTestServer> {
  let instance: DatabricksTestServer | undefined;
  const server = createServer((req, res) => {
    instance!.handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { error_code: 'INTERNAL_ERROR', message: error instanceof Error ? error.message : String(error) });
    });
  });
  instance = new DatabricksTestServer(server, options);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  instance.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return instance;
}
