/** Opens the source a user names: a `gs://bucket/prefix` URI or a local folder. */
import { AuditLensError } from '../errors';
import { LocalFolderSource } from './local';
import type { AuditSource } from './types';

export type { AuditFile, AuditSource } from './types';
export { LocalFolderSource } from './local';

export interface SourceOptions {
  /** Custom GCS JSON-API endpoint (test servers, emulators); needs no credentials. */
  gcsEndpoint?: string;
}

export function isGcsUri(uri: string): boolean {
  return /^gs:\/\//i.test(uri);
}

export async function openSource(uri: string, _options: SourceOptions = {}): Promise<AuditSource> {
  if (isGcsUri(uri)) {
    throw new AuditLensError('usage', `Google Cloud Storage sources are not available yet: ${uri}`);
  }
  return new LocalFolderSource(uri);
}
