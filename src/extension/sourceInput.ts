/** Checks what a user types as a source: `gs://bucket/prefix` or an absolute folder path. Pure: no vscode. */
import * as path from 'node:path';

export type SourceInput = { kind: 'gcs'; uri: string; bucket: string; prefix: string } | { kind: 'local'; uri: string };

const BUCKET = /^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/;

/** Returns the reason a gs:// URI cannot be a source, or undefined when it can. */
export function checkGcsUri(text: string): string | undefined {
  const value = text.trim();
  if (value === '') return 'Enter a gs://bucket/prefix URI.';
  if (!/^gs:\/\//i.test(value)) return 'A bucket URI starts with gs:// (for example gs://my-audit-logs/databricks).';
  const rest = value.slice(5);
  const [bucket = '', ...prefixParts] = rest.split('/');
  if (bucket === '') return 'The URI names no bucket: gs://<bucket>/<delivery-path-prefix>.';
  if (bucket.length > 222 || !BUCKET.test(bucket) || bucket.includes('..')) {
    return `'${bucket}' is not a bucket name: 3–222 lowercase letters, digits, dashes, underscores and dots, starting and ending with a letter or digit.`;
  }
  const prefix = prefixParts.join('/');
  if (/[*?[\]]/.test(prefix)) return 'Wildcards are not supported: give the delivery path prefix itself.';
  if (/(^|\/)(workspaceId|date)=/.test(prefix)) {
    return 'Give the delivery path prefix above the workspaceId= folders, not a workspace or date folder.';
  }
  return undefined;
}

export function parseSourceInput(text: string): SourceInput | { error: string } {
  const value = text.trim();
  if (/^gs:/i.test(value)) {
    const problem = checkGcsUri(value);
    if (problem) return { error: problem };
    const rest = value.slice(5).replace(/\/+$/, '');
    const [bucket = '', ...prefixParts] = rest.split('/');
    const prefix = prefixParts.filter((p) => p !== '').join('/');
    return { kind: 'gcs', uri: prefix ? `gs://${bucket}/${prefix}` : `gs://${bucket}`, bucket, prefix };
  }
  if (value === '') return { error: 'Enter a folder path or a gs:// URI.' };
  if (!path.isAbsolute(value)) return { error: 'Give the folder as an absolute path.' };
  return { kind: 'local', uri: path.normalize(value).replace(/(.)[\\/]+$/, '$1') };
}

/** True when two source URIs name the same place (trailing slashes and gs:// case do not count). */
export function sameSource(a: string, b: string): boolean {
  const norm = (s: string) => s.trim().replace(/[\\/]+$/, '').replace(/^gs:\/\//i, 'gs://');
  return norm(a) === norm(b);
}
