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
  status: number | 'drop';
  /** How many matching requests fail; default 1. */
  times?: number;
  reason?: string;
  message?: string;
}

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
