/** Object listing with prefix + delimiter, following every page token. */
import type { Bucket, File, GetFilesOptions } from '@google-cloud/storage';
import { throwIfCancelled } from '../../errors';
import { raceSignal } from './signal';

export interface ListedObject {
  name: string;
  generation: string;
  size: number;
}

export interface ListPage {
  objects: ListedObject[];
  /** Common prefixes ("folders"), each ending with the delimiter. */
  prefixes: string[];
}

export interface ListQuery {
  prefix: string;
  delimiter?: string;
  startOffset?: string;
  endOffset?: string;
  /** Page size to ask for (the server may return fewer). */
  maxResults?: number;
  userProject?: string;
}

interface ListResponseBody {
  prefixes?: unknown;
}

function toListedObject(file: File): ListedObject {
  const metadata = file.metadata;
  return {
    name: file.name,
    generation: String(metadata.generation ?? file.generation ?? ''),
    size: Number(metadata.size ?? 0),
  };
}

/** Lists everything under a prefix, page by page, until the server stops giving page tokens. */
export async function listAll(bucket: Bucket, query: ListQuery, signal?: AbortSignal): Promise<ListPage> {
  const result: ListPage = { objects: [], prefixes: [] };
  let pageToken: string | undefined;
  do {
    throwIfCancelled(signal);
    const request: GetFilesOptions = {
      autoPaginate: false,
      prefix: query.prefix,
      versions: false,
    };
    if (query.delimiter !== undefined) request.delimiter = query.delimiter;
    if (query.startOffset !== undefined) request.startOffset = query.startOffset;
    if (query.endOffset !== undefined) request.endOffset = query.endOffset;
    if (query.maxResults !== undefined) request.maxResults = query.maxResults;
    if (query.userProject !== undefined) request.userProject = query.userProject;
    if (pageToken !== undefined) request.pageToken = pageToken;
    const [files, nextQuery, body] = await raceSignal(bucket.getFiles(request), signal);
    for (const file of files) result.objects.push(toListedObject(file));
    const prefixes = (body as ListResponseBody | undefined)?.prefixes;
    if (Array.isArray(prefixes)) for (const p of prefixes) if (typeof p === 'string') result.prefixes.push(p);
    const token = (nextQuery as { pageToken?: unknown } | null | undefined)?.pageToken;
    pageToken = typeof token === 'string' && token !== '' ? token : undefined;
  } while (pageToken !== undefined);
  return result;
}
