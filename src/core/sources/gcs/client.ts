/**
 * Builds the @google-cloud/storage client. The library is imported lazily so that nothing pays
 * for loading it until a gs:// source is opened.
 *
 * Credentials: Google's Application Default Credentials, which the client resolves by itself
 * (`gcloud auth application-default login`, GOOGLE_APPLICATION_CREDENTIALS, the metadata server).
 * A custom endpoint (an emulator or test server) is used without credentials.
 */
import type { Storage, StorageOptions } from '@google-cloud/storage';

export interface GcsRetryOptions {
  /** Retry 429, 5xx and dropped connections. Default true. */
  autoRetry?: boolean;
  /** Default 3. */
  maxRetries?: number;
  /** Each retry waits multiplier^n seconds (plus jitter), capped at maxRetryDelaySeconds. Default 2. */
  retryDelayMultiplier?: number;
  /** Default 8. */
  maxRetryDelaySeconds?: number;
  /** Retrying stops once this much time has passed since the first attempt. Default 60. */
  totalTimeoutSeconds?: number;
}

export interface GcsClientOptions {
  /** Custom JSON-API endpoint, e.g. `http://127.0.0.1:4443`. Falls back to STORAGE_EMULATOR_HOST. */
  endpoint?: string;
  retry?: GcsRetryOptions;
  /** Per-request timeout. Default 30 s. */
  requestTimeoutMs?: number;
  /** Billing project, for requester-pays buckets. */
  userProject?: string;
  /** Environment to read STORAGE_EMULATOR_HOST from (tests pass their own). */
  env?: NodeJS.ProcessEnv;
}

export const DEFAULT_RETRY: Required<GcsRetryOptions> = {
  autoRetry: true,
  maxRetries: 3,
  retryDelayMultiplier: 2,
  maxRetryDelaySeconds: 8,
  totalTimeoutSeconds: 60,
};

/** The endpoint to use, or undefined for Google's own (which needs credentials). */
export function resolveEndpoint(options: GcsClientOptions): string | undefined {
  const raw = options.endpoint?.trim() || (options.env ?? process.env).STORAGE_EMULATOR_HOST?.trim();
  if (!raw) return undefined;
  const withProtocol = /^\w+:\/\//.test(raw) ? raw : `http://${raw}`;
  // STORAGE_EMULATOR_HOST is sometimes written with the API path; the client wants the host only.
  return withProtocol.replace(/\/+$/, '').replace(/\/storage\/v1$/, '');
}

export async function createStorageClient(options: GcsClientOptions = {}): Promise<Storage> {
  const { Storage } = await import('@google-cloud/storage');
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  const endpoint = resolveEndpoint(options);
  const storageOptions: StorageOptions = {
    timeout: options.requestTimeoutMs ?? 30_000,
    retryOptions: {
      autoRetry: retry.autoRetry,
      maxRetries: retry.maxRetries,
      retryDelayMultiplier: retry.retryDelayMultiplier,
      maxRetryDelay: retry.maxRetryDelaySeconds,
      totalTimeout: retry.totalTimeoutSeconds,
    },
  };
  if (endpoint !== undefined) {
    storageOptions.apiEndpoint = endpoint;
    storageOptions.useAuthWithCustomEndpoint = false;
    // No project lookup either: it would go to the metadata server or gcloud.
    storageOptions.projectId = 'audit-lens-custom-endpoint';
  }
  const storage = new Storage(storageOptions);
  if (endpoint !== undefined) {
    // With STORAGE_EMULATOR_HOST set, client 7.x takes the variable verbatim as its JSON-API base
    // URL (ignoring apiEndpoint); pin the base so metadata and downloads go to the same server.
    storage.baseUrl = `${endpoint}/storage/v1`;
  }
  return storage;
}
