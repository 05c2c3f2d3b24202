/**
 * One bounded HTTP exchange: it ends when the caller aborts, when its time is up, or when the
 * answer grows past a size, and it reads the whole body within those bounds. The caller's signal
 * gets one listener per exchange, removed when the exchange ends.
 */
import { AuditLensError, cancelled } from '../errors';
import { formatBytes } from '../../shared/text/quantities';

export interface Exchange {
  status: number;
  ok: boolean;
  contentType: string;
  headers: Headers;
  /** The body, decoded as UTF-8. */
  text: string;
  bytes: number;
}

export interface ExchangeRequest {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  timeoutMs: number;
  maxBytes: number;
  /** Who answers, for messages: "the Databricks workspace at https://…". */
  peer: string;
  /** What was asked, for messages: "POST /api/2.0/sql/statements". */
  what: string;
  /** What the user can do about an answer past `maxBytes`. */
  tooLargeAdvice: string;
}


function causeText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return `${error.message}${error.cause ? ` (${String(error.cause)})` : ''}`;
}

function tooLarge(request: ExchangeRequest, size: string): AuditLensError {
  return new AuditLensError('data', `${capitalized(request.peer)} sent ${size} for ${request.what}; this client reads at most ${formatBytes(request.maxBytes)} at once: ${request.tooLargeAdvice}`);
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

async function readCapped(response: Response, request: ExchangeRequest): Promise<{ text: string; bytes: number }> {
  if (!response.body) return { text: '', bytes: 0 };
  const reader = response.body.getReader();
  const parts: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > request.maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(request, `more than ${formatBytes(request.maxBytes)}`);
    }
    parts.push(value);
  }
  return { text: Buffer.concat(parts).toString('utf8'), bytes };
}

export async function exchange(fetchImpl: typeof fetch, request: ExchangeRequest): Promise<Exchange> {
  const { signal } = request;
  if (signal?.aborted) throw cancelled();
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, request.timeoutMs);
  const onAbort = (): void => controller.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  const failure = (error: unknown, stage: string): AuditLensError => {
    if (error instanceof AuditLensError) return error;
    if (signal?.aborted) return cancelled();
    if (timedOut) {
      return new AuditLensError('network', `${capitalized(request.peer)} did not answer ${request.what} within ${(request.timeoutMs / 1000).toFixed(request.timeoutMs < 10_000 ? 1 : 0)} s: check the host and your network, then try again.`);
    }
    return new AuditLensError('network', `Could not ${stage} ${request.peer}: check the host and your network.`, `${request.what}: ${causeText(error)}`);
  };
  try {
    let response: Response;
    try {
      response = await fetchImpl(request.url, { method: request.method, headers: request.headers, body: request.body, signal: controller.signal });
    } catch (error) {
      throw failure(error, 'reach');
    }
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (Number.isFinite(declared) && declared > request.maxBytes) {
      await response.body?.cancel().catch(() => undefined);
      throw tooLarge(request, `${formatBytes(declared)} (Content-Length ${declared})`);
    }
    let body: { text: string; bytes: number };
    try {
      body = await readCapped(response, request);
    } catch (error) {
      throw failure(error, 'read the whole answer of');
    }
    return { status: response.status, ok: response.ok, contentType: response.headers.get('content-type') ?? '', headers: response.headers, ...body };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

/** What was sent, for a message: status, content type, size and the first bytes, escaped. */
export function describeAnswer(answer: Exchange): string {
  const head = answer.text.slice(0, 120);
  const more = answer.text.length > head.length ? '…' : '';
  const start = answer.bytes === 0 ? 'an empty body' : `starting ${JSON.stringify(head)}${more}`;
  return `HTTP ${answer.status}, ${answer.contentType || 'no content type'}, ${formatBytes(answer.bytes)}, ${start}`;
}
