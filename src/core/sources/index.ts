/** Opens the source a user names: a `gs://bucket/prefix` URI or a local folder. */
import { LocalFolderSource } from './local';
import type { GcsSourceOptions } from './gcs/source';
import type { AuditSource } from './types';

export type { AuditFile, AuditSource, ByteRange, ReadOptions } from './types';

/** The network bounds of gs:// sources that a user may set. */
export type GcsTimeouts = Pick<GcsSourceOptions, 'idleTimeoutMs' | 'listTimeoutMs'>;
export { LocalFolderSource } from './local';

export interface SourceOptions {
  /** Custom GCS JSON-API endpoint (test servers, emulators); needs no credentials. */
  gcsEndpoint?: string;
  /** Retry, timeout, page size and concurrency settings for gs:// sources. */
  gcs?: GcsSourceOptions;
}

export function isGcsUri(uri: string): boolean {
  return /^gs:\/\//i.test(uri);
}

export async function openSource(uri: string, options: SourceOptions = {}): Promise<AuditSource> {
  if (isGcsUri(uri)) {
    // Loaded on demand: the storage client is large and most sessions never need it.
    const { openGcsSource } = await import('./gcs/source');
    const gcsOptions: GcsSourceOptions = { ...options.gcs };
    if (options.gcsEndpoint) gcsOptions.endpoint = options.gcsEndpoint;
    return openGcsSource(uri, gcsOptions);
  }
  return new LocalFolderSource(uri);
}
