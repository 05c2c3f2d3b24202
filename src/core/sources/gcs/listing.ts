/**
 * Object listing with prefix + delimiter, following every page token. The JSON answer is read
 * here, not by the client library (which throws from a callback on a malformed item): a bad
 * item, a repeated page token, an unanswered request or a listing that never ends each become an
 * error naming the prefix.
 */
import type { Bucket } from '@google-cloud/storage';
import { AuditLensError, throwIfCancelled } from '../../errors';
import { bounded, DEFAULT_IDLE_TIMEOUT_MS, formatSeconds, LISTING_TIMEOUTS } from './deadline';

export interface ListedObject {
  name: string;
  generation: string;
  size: number;
  /** The object's update time (epoch ms), when the listing gives one. */
  updated?: number;
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

export interface ListLimits {
  /** Longest wait for one page. Default DEFAULT_IDLE_TIMEOUT_MS. */
  idleTimeoutMs?: number;
  /** Longest time for all pages. Default LISTING_TIMEOUTS idle timeouts. */
  totalTimeoutMs?: number;
  /** Stop after this many pages (a peek at whether anything is there). Default: every page. */
  maxPages?: number;
  signal?: AbortSignal;
}

/** Lists everything under a prefix, page by page, until the server stops giving page tokens. */
export async function listAll(bucket: Bucket, query: ListQuery, limits: ListLimits = {}): Promise<ListPage> {
  const where = `gs://${bucket.name}/${query.prefix}`;
  const idle = limits.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const total = limits.totalTimeoutMs ?? idle * LISTING_TIMEOUTS;
  const deadline = Date.now() + total;
  const result: ListPage = { objects: [], prefixes: [] };
  const seenTokens = new Set<string>();
  let pageToken: string | undefined;
  do {
    throwIfCancelled(limits.signal);
    const qs: Record<string, string | number | boolean> = { prefix: query.prefix, versions: false };
    if (query.delimiter !== undefined) qs.delimiter = query.delimiter;
    if (query.startOffset !== undefined) qs.startOffset = query.startOffset;
    if (query.endOffset !== undefined) qs.endOffset = query.endOffset;
    if (query.maxResults !== undefined) qs.maxResults = query.maxResults;
    if (query.userProject !== undefined) qs.userProject = query.userProject;
    if (pageToken !== undefined) qs.pageToken = pageToken;
    const left = deadline - Date.now();
    const wait = Math.min(idle, left);
    const onTimeout = (): AuditLensError =>
      wait < idle
        ? new AuditLensError('network', `Listing ${where} did not finish within ${formatSeconds(total)} (${seenTokens.size + 1} pages so far). Check the connection (or the endpoint) and try again.`)
        : new AuditLensError('network', `Listing ${where} got no answer within ${formatSeconds(idle)}. Check the connection (or the endpoint) and try again.`);
    const [body] = await bounded(bucket.request({ uri: '/o', qs }), wait, onTimeout, limits.signal);
    const page = readPage(body, where);
    // One by one: a page may hold more entries than a call has room for arguments (push(...page)).
    for (const object of page.objects) result.objects.push(object);
    for (const prefix of page.prefixes) result.prefixes.push(prefix);
    pageToken = page.nextPageToken;
    if (limits.maxPages !== undefined && seenTokens.size + 1 >= limits.maxPages) break;
    if (pageToken !== undefined) {
      if (seenTokens.has(pageToken)) {
        throw new AuditLensError(
          'data',
          `Listing ${where} stopped: the server sent a page token it had already sent, so the listing would never end.`,
          `repeated nextPageToken after ${seenTokens.size + 1} pages: ${pageToken}`,
        );
      }
      seenTokens.add(pageToken);
    }
  } while (pageToken !== undefined);
  return result;
}

/** One page of an objects.list answer, checked item by item. */
function readPage(body: unknown, where: string): ListPage & { nextPageToken?: string } {
  if (!isObject(body)) throw malformed(where, 'the answer is not a JSON object');
  const page: ListPage & { nextPageToken?: string } = { objects: [], prefixes: [] };
  const items = body.items ?? [];
  if (!Array.isArray(items)) throw malformed(where, '"items" is not a list');
  items.forEach((item: unknown, index) => {
    if (!isObject(item)) throw malformed(where, `item ${index + 1} is ${item === null ? 'null' : typeof item}, not an object`);
    if (typeof item.name !== 'string' || item.name === '') throw malformed(where, `item ${index + 1} has no object name (name: ${JSON.stringify(item.name) ?? 'missing'})`);
    const size = Number(item.size ?? 0);
    const updated = typeof item.updated === 'string' ? Date.parse(item.updated) : NaN;
    page.objects.push({ name: item.name, generation: String(item.generation ?? ''), size: Number.isFinite(size) && size >= 0 ? size : 0, ...(Number.isFinite(updated) ? { updated } : {}) });
  });
  const prefixes = body.prefixes ?? [];
  if (!Array.isArray(prefixes)) throw malformed(where, '"prefixes" is not a list');
  prefixes.forEach((prefix: unknown, index) => {
    if (typeof prefix !== 'string') throw malformed(where, `prefix ${index + 1} is ${prefix === null ? 'null' : typeof prefix}, not text`);
    page.prefixes.push(prefix);
  });
  const token = body.nextPageToken;
  if (token !== undefined && token !== null && typeof token !== 'string') throw malformed(where, '"nextPageToken" is not text');
  if (typeof token === 'string' && token !== '') page.nextPageToken = token;
  return page;
}

function malformed(where: string, what: string): AuditLensError {
  return new AuditLensError('data', `The storage server answered the listing of ${where} with a malformed listing: ${what}.`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
