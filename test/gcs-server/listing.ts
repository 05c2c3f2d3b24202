/** objects.list as GCS documents it: prefix, delimiter, offsets, and opaque page tokens. */
import type { StoredObject } from './store';

export interface ListParams {
  prefix: string;
  delimiter?: string;
  startOffset?: string;
  endOffset?: string;
  pageToken?: string;
  pageSize: number;
}

export interface ListResult {
  items: StoredObject[];
  prefixes: string[];
  nextPageToken?: string;
}

type Entry = { key: string; object?: StoredObject };

export function encodePageToken(lastKey: string): string {
  return Buffer.from(lastKey, 'utf8').toString('base64url');
}

export function decodePageToken(token: string): string {
  return Buffer.from(token, 'base64url').toString('utf8');
}

export function listObjects(sorted: readonly StoredObject[], params: ListParams): ListResult {
  const entries: Entry[] = [];
  const seenPrefixes = new Set<string>();
  for (const object of sorted) {
    const name = object.name;
    if (!name.startsWith(params.prefix)) continue;
    if (params.startOffset !== undefined && name < params.startOffset) continue;
    if (params.endOffset !== undefined && name >= params.endOffset) continue;
    const rest = name.slice(params.prefix.length);
    const cut = params.delimiter ? rest.indexOf(params.delimiter) : -1;
    if (cut >= 0) {
      const key = params.prefix + rest.slice(0, cut + params.delimiter!.length);
      if (!seenPrefixes.has(key)) {
        seenPrefixes.add(key);
        entries.push({ key });
      }
    } else {
      entries.push({ key: name, object });
    }
  }
  entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const after = params.pageToken !== undefined ? decodePageToken(params.pageToken) : undefined;
  const remaining = after === undefined ? entries : entries.filter((e) => e.key > after);
  const page = remaining.slice(0, params.pageSize);
  const result: ListResult = {
    items: page.flatMap((e) => (e.object ? [e.object] : [])),
    prefixes: page.flatMap((e) => (e.object ? [] : [e.key])),
  };
  if (remaining.length > page.length) result.nextPageToken = encodePageToken(page[page.length - 1]!.key);
  return result;
}
