/** Fault injection and a request log, so tests can make the server fail and count what it saw. */

export type RequestKind = 'bucket' | 'list' | 'metadata' | 'media' | 'upload' | 'delete' | 'other';

export interface RecordedRequest {
  method: string;
  kind: RequestKind;
  bucket?: string;
  /** Object name, decoded. */
  object?: string;
  query: URLSearchParams;
}

export interface FaultRule {
  /** Which requests this rule hits; all when omitted. */
  kind?: RequestKind;
  bucket?: string;
  object?: string;
  /** Matches when the list prefix starts with this. */
  prefix?: string;
  /** HTTP status to answer with; 'drop' closes the connection without an answer. */
  status?: number | 'drop';
  /** Instead of an error status: a way of answering badly (see Misbehaviour). */
  misbehave?: Misbehaviour;
  /** For 'slow-body': milliseconds between bytes (default 200). */
  intervalMs?: number;
  /** How many matching requests fail; default 1. */
  times?: number;
  reason?: string;
  message?: string;
}

/**
 * Answers a network or a server can give that are not error statuses:
 * - 'hang': read the request, never answer (no headers)
 * - 'stall-body' (media): send the headers and the first bytes, then nothing more
 * - 'cut-body' (media): send the headers and half the body, then close the connection
 * - 'endless-body' (media): send the body without a length, then its bytes over and over, never ending
 * - 'slow-body' (media): send the body one byte at a time, `intervalMs` apart
 * - 'repeat-page-token' (list): answer every page with the same nextPageToken, forever
 * - 'endless-pages' (list): answer every page with a new nextPageToken and nothing else, forever
 * - 'malformed-listing' (list): a listing holding a null item and an item whose name is a number
 */
export type Misbehaviour = 'hang' | 'stall-body' | 'cut-body' | 'endless-body' | 'slow-body' | 'repeat-page-token' | 'endless-pages' | 'malformed-listing';

export function ruleMatches(rule: FaultRule, request: RecordedRequest): boolean {
  if (rule.kind !== undefined && rule.kind !== request.kind) return false;
  if (rule.bucket !== undefined && rule.bucket !== request.bucket) return false;
  if (rule.object !== undefined && rule.object !== request.object) return false;
  if (rule.prefix !== undefined && !(request.query.get('prefix') ?? '').startsWith(rule.prefix)) return false;
  return true;
}

const REASONS: Record<number, string> = {
  400: 'invalid',
  401: 'required',
  403: 'forbidden',
  404: 'notFound',
  412: 'conditionNotMet',
  429: 'rateLimitExceeded',
  500: 'backendError',
  503: 'backendError',
};

/** The JSON error body GCS sends: {"error":{"code","message","errors":[{"reason",...}]}}. */
export function errorBody(status: number, message: string, reason = REASONS[status] ?? 'unknown'): string {
  return JSON.stringify({ error: { code: status, message, errors: [{ message, domain: 'global', reason }] } });
}

export class FaultInjector {
  private readonly rules: Array<FaultRule & { left: number }> = [];

  failNext(rule: FaultRule): void {
    this.rules.push({ ...rule, left: rule.times ?? 1 });
  }

  clear(): void {
    this.rules.length = 0;
  }

  /** The rule to apply to this request, used up by one. */
  take(request: RecordedRequest): FaultRule | undefined {
    const rule = this.rules.find((r) => r.left > 0 && ruleMatches(r, request));
    if (rule) rule.left--;
    return rule;
  }
}
