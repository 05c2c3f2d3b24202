/** Turns @google-cloud/storage failures into errors a person can act on. */
import { AuditLensError, cancelled } from '../../errors';

export type GcsOperation = 'list' | 'read';

export interface GcsErrorContext {
  operation: GcsOperation;
  bucket: string;
  /** The object (read) or prefix (list) concerned. */
  name?: string;
  /** True when the client talks to a custom endpoint (no credentials involved). */
  customEndpoint?: boolean;
  endpoint?: string;
  signal?: AbortSignal;
}

const PERMISSION: Record<GcsOperation, string> = {
  list: 'storage.objects.list',
  read: 'storage.objects.get',
};

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNRESET',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'UND_ERR_CONNECT_TIMEOUT',
]);

interface ErrorShape {
  code?: unknown;
  message?: unknown;
  errors?: Array<{ reason?: unknown; message?: unknown }>;
  type?: unknown;
  name?: unknown;
}

function shapeOf(error: unknown): ErrorShape {
  return typeof error === 'object' && error !== null ? (error as ErrorShape) : {};
}

export function httpStatusOf(error: unknown): number | undefined {
  const code = shapeOf(error).code;
  return typeof code === 'number' ? code : undefined;
}

function messageOf(error: unknown): string {
  const message = shapeOf(error).message;
  return typeof message === 'string' ? message : String(error);
}

/** The server's own words: the JSON error body's message when the client left it unparsed. */
function serverMessage(error: unknown): string {
  const text = messageOf(error);
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown } };
    if (typeof parsed.error?.message === 'string') return parsed.error.message;
  } catch {
    // Not JSON: the client already extracted the message.
  }
  return text;
}

function networkCode(error: unknown): string | undefined {
  const code = shapeOf(error).code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
  const message = messageOf(error);
  for (const candidate of NETWORK_CODES) if (message.includes(candidate)) return candidate;
  if (/socket hang up|network timeout|timeout of \d+ms exceeded|request timed out/i.test(message)) return 'timeout';
  return undefined;
}

function where(context: GcsErrorContext): string {
  return context.name ? `gs://${context.bucket}/${context.name}` : `gs://${context.bucket}`;
}

/** `scheme://user:secret@host` → `scheme://user:***@host`, wherever a URL appears in the text. */
export function redactCredentials(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*):[^\s/@]*@/gi, '$1:***@');
}

/** The error with any password in a URL (an endpoint's, say) blotted out of its texts. */
function redacted(error: AuditLensError): AuditLensError {
  const userMessage = redactCredentials(error.userMessage);
  const detail = error.detail === undefined ? undefined : redactCredentials(error.detail);
  if (userMessage === error.userMessage && detail === error.detail) return error;
  return new AuditLensError(error.code, userMessage, detail);
}

export function toGcsError(error: unknown, context: GcsErrorContext): AuditLensError {
  return redacted(classify(error, context));
}

function classify(error: unknown, context: GcsErrorContext): AuditLensError {
  if (context.signal?.aborted) return cancelled();
  if (error instanceof AuditLensError) return error;
  const status = httpStatusOf(error);
  const detail = `${where(context)}: ${serverMessage(error)}`;
  const message = messageOf(error);

  if (/Could not load the default credentials|Unable to detect a Project Id|could not refresh access token/i.test(message)) {
    return new AuditLensError(
      'no-credentials',
      'No Google Cloud credentials found. Run `gcloud auth application-default login`, or set ' +
        'GOOGLE_APPLICATION_CREDENTIALS to a service-account key file, then try again.',
      detail,
      { cause: error },
    );
  }
  if (/does not exist, or it is not a file/i.test(message)) {
    return new AuditLensError(
      'no-credentials',
      'GOOGLE_APPLICATION_CREDENTIALS names a key file that does not exist. Point it at a service-account key ' +
        'file, or unset it and run `gcloud auth application-default login`.',
      detail,
      { cause: error },
    );
  }
  if (shapeOf(error).code === 'CONTENT_DOWNLOAD_MISMATCH') {
    return new AuditLensError('network', `The download of ${where(context)} arrived damaged (checksum mismatch). Try again.`, detail, { cause: error });
  }
  if (status === 401 || /invalid_grant|reauth/i.test(message)) {
    return new AuditLensError(
      'no-credentials',
      'Google Cloud rejected the credentials (expired or revoked). Run `gcloud auth application-default login` again.',
      detail,
      { cause: error },
    );
  }
  if (status === 403) {
    const permission = PERMISSION[context.operation];
    const billing = /billing|requester pays|userProject/i.test(message);
    return new AuditLensError(
      'permission-denied',
      billing
        ? `Access to ${where(context)} needs a billing project (requester pays).`
        : `Permission denied: ${permission} is needed on ${where(context)}. Ask for roles/storage.objectViewer on the bucket.`,
      detail,
      { cause: error },
    );
  }
  if (status === 404) {
    if (context.operation === 'list') {
      return new AuditLensError(
        'not-found',
        `Bucket not found: gs://${context.bucket}. Check the name (and the project it lives in).`,
        detail,
        { cause: error },
      );
    }
    return vanished(context, detail, error);
  }
  if (status === 429) {
    return new AuditLensError('network', `Google Cloud Storage is rate-limiting requests for ${where(context)}; retried, still refused. Try again shortly.`, detail, { cause: error });
  }
  if (status !== undefined && status >= 500) {
    return new AuditLensError('network', `Google Cloud Storage failed (HTTP ${status}) for ${where(context)}; retried, still failing. Try again later.`, detail, { cause: error });
  }
  const network = networkCode(error);
  if (network !== undefined) {
    const target = context.customEndpoint ? `the storage endpoint ${context.endpoint ?? ''}`.trim() : 'Google Cloud Storage';
    const hint = network === 'timeout' || network === 'ETIMEDOUT' ? 'timed out' : `is unreachable (${network})`;
    return new AuditLensError('network', `Network problem with ${where(context)}: ${target} ${hint}. Check the connection (or the endpoint) and try again.`, detail, { cause: error });
  }
  if (status !== undefined) {
    return new AuditLensError('data', `Google Cloud Storage answered HTTP ${status} for ${where(context)}.`, detail, { cause: error });
  }
  return new AuditLensError('internal', `Unexpected error for ${where(context)}: ${message}`, detail, { cause: error });
}

export function vanished(context: GcsErrorContext, detail: string, cause?: unknown): AuditLensError {
  return new AuditLensError(
    'not-found',
    `${where(context)} vanished between listing and reading; skipped.`,
    detail,
    { cause },
  );
}

export const CHANGED_WHILE_READING = 'changed while reading';

/** The listed generation is gone but the object exists again under a newer one. */
export function changedWhileReading(context: GcsErrorContext, listed: string, current: string): AuditLensError {
  return new AuditLensError(
    'not-found',
    `${where(context)} ${CHANGED_WHILE_READING} (it was rewritten); re-list the source to read the new version.`,
    `listed generation ${listed}, current generation ${current}`,
  );
}
