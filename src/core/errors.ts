/** The one error type of the project: a message for the user and detail for the output channel. */
export type ErrorCode =
  | 'usage'
  | 'not-found'
  | 'permission-denied'
  | 'no-credentials'
  | 'network'
  | 'cancelled'
  | 'budget'
  | 'sql'
  | 'data'
  | 'internal';

export class AuditLensError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly userMessage: string,
    readonly detail?: string,
    options?: { cause?: unknown },
  ) {
    super(userMessage, options);
    this.name = 'AuditLensError';
  }

  toJSON(): SerializedError {
    return { code: this.code, userMessage: this.userMessage, detail: this.detail };
  }

  static from(value: unknown, fallbackCode: ErrorCode = 'internal'): AuditLensError {
    if (value instanceof AuditLensError) return value;
    if (isSerializedError(value)) return new AuditLensError(value.code, value.userMessage, value.detail);
    if (isAbort(value)) return cancelled();
    const message = value instanceof Error ? value.message : String(value);
    const detail = value instanceof Error ? value.stack : undefined;
    return new AuditLensError(fallbackCode, message, detail, { cause: value });
  }
}

export interface SerializedError {
  code: ErrorCode;
  userMessage: string;
  detail?: string;
}

export function isSerializedError(value: unknown): value is SerializedError {
  return typeof value === 'object' && value !== null && 'code' in value && 'userMessage' in value;
}

export function cancelled(): AuditLensError {
  return new AuditLensError('cancelled', 'Cancelled.');
}

function isAbort(value: unknown): boolean {
  return value instanceof Error && (value.name === 'AbortError' || (value as { code?: unknown }).code === 'ABORT_ERR');
}

/** Throws the project's cancellation error when the signal has fired. */
export function throwIfCancelled(signal?: AbortSignal): void {
  if (signal?.aborted) throw cancelled();
}
