export { GcsSource, openGcsSource, type GcsSourceOptions } from './source';
export { createStorageClient, resolveEndpoint, DEFAULT_RETRY, type GcsClientOptions, type GcsRetryOptions } from './client';
export { parseGcsUri, formatGcsUri, type GcsLocation } from './uri';
export { toGcsError, redactCredentials, CHANGED_WHILE_READING } from './errors';
