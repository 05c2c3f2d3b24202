/** `gs://bucket[/prefix]` URIs. */
import { AuditLensError } from '../../errors';
import { normalizePrefix } from '../../layout';

export interface GcsLocation {
  bucket: string;
  /** Delivery path prefix without leading or trailing slashes; '' when none. */
  prefix: string;
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/;

export function parseGcsUri(uri: string): GcsLocation {
  const match = /^gs:\/\/([^/]*)(?:\/(.*))?$/i.exec(uri.trim());
  if (!match) throw new AuditLensError('usage', `'${uri}' is not a gs://bucket[/prefix] URI`);
  const bucket = match[1] ?? '';
  if (!BUCKET_NAME.test(bucket)) {
    throw new AuditLensError(
      'usage',
      `'${bucket}' is not a valid bucket name in '${uri}'`,
      'Bucket names use lowercase letters, digits, dots, dashes and underscores, 3 to 222 characters.',
    );
  }
  return { bucket, prefix: normalizePrefix(match[2]) };
}

export function formatGcsUri(location: GcsLocation): string {
  return location.prefix ? `gs://${location.bucket}/${location.prefix}` : `gs://${location.bucket}`;
}

export function objectUri(bucket: string, objectName: string): string {
  return `gs://${bucket}/${objectName}`;
}
