/**
 * A small Google Cloud Storage JSON-API server on 127.0.0.1 for tests, spoken to only through
 * @google-cloud/storage with `apiEndpoint`. It implements what the project uses, as Google
 * documents it: bucket metadata, objects.list (prefix, delimiter, pageToken, maxResults,
 * startOffset, endOffset), object metadata and media (generation, ifGenerationMatch, Range),
 * uploads (media, multipart, resumable), delete, and JSON error bodies.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorBody, FaultInjector, type FaultRule, type Misbehaviour, type RecordedRequest, type RequestKind } from './faults';
import { encodePageToken, listObjects } from './listing';
import { bufferContent, ObjectStore, type ObjectContent, type StoredObject } from './store';

export interface GcsServerOptions {
  /** Largest page objects.list returns, whatever maxResults asks; default 1000 as on GCS. */
  maxPageSize?: number;
  /**
   * Answer 404 to any media download pinned with `generation`, as a store that keeps no object
   * generations might: lets tests prove readers still get the bytes of the object they listed.
   */
  refusePinnedMedia?: boolean;
}

export interface DownloadRecord {
  bucket: string;
  object: string;
  generation: string;
  /** Bytes of the response body that were meant to be sent. */
  expected: number;
  bytesSent: number;
  finished: boolean;
}

interface Route {
  kind: RequestKind;
  bucket?: string;
  object?: string;
  upload?: boolean;
}

const API = '/storage/v1/b/';
const UPLOAD = '/upload/storage/v1/b/';
const DOWNLOAD = '/download/storage/v1/b/';

function route(pathname: string, method: string): Route {
  const upload = pathname.startsWith(UPLOAD);
  const rest = upload
    ? pathname.slice(UPLOAD.length)
    : pathname.startsWith(DOWNLOAD)
      ? pathname.slice(DOWNLOAD.length)
      : pathname.startsWith(API)
        ? pathname.slice(API.length)
        : undefined;
  if (rest === undefined) return { kind: 'other' };
  const slash = rest.indexOf('/');
  const bucket = decodeURIComponent(slash < 0 ? rest : rest.slice(0, slash));
  const tail = slash < 0 ? '' : rest.slice(slash);
  if (upload) return { kind: 'upload', bucket, upload };
  if (tail === '' || tail === '/') return { kind: 'bucket', bucket };
  if (tail === '/o' || tail === '/o/') return { kind: method === 'POST' ? 'upload' : 'list', bucket };
  if (tail.startsWith('/o/')) {
    const object = decodeURIComponent(tail.slice(3));
    return { kind: method === 'DELETE' ? 'delete' : 'metadata', bucket, object };
  }
  return { kind: 'other', bucket };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'invalid' | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) return 'invalid';
  const [first, last] = [m[1] ?? '', m[2] ?? ''];
  if (first === '' && last === '') return 'invalid';
  if (first === '') {
    const suffix = Math.min(Number(last), size);
    return { start: size - suffix, end: size };
  }
  const start = Number(first);
  const end = last === '' ? size : Math.min(Number(last) + 1, size);
  if (start >= size || start >= end) return 'invalid';
  return { start, end };
}

/** Splits a multipart/related body into its parts' bodies. */
function multipartParts(body: Buffer, contentType: string): Buffer[] {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!boundary) return [];
  const text = body.toString('latin1');
  return text
    .split(`--${boundary}`)
    .slice(1)
    .filter((part) => !part.startsWith('--'))
    .map((part) => {
      const headerEnd = part.indexOf('\r\n\r\n');
      const content = part.slice(headerEnd + 4).replace(/\r\n$/, '');
      return Buffer.from(content, 'latin1');
    });
}

interface ResumableSession {
  bucket: string;
  name: string;
  contentType: string;
  chunks: Buffer[];
  received: number;
  ifGenerationMatch?: string;
}

export class GcsTestServer {
  readonly store = new ObjectStore();
  readonly faults = new FaultInjector();
  readonly requests: RecordedRequest[] = [];
  readonly downloads: DownloadRecord[] = [];
  private readonly sessions = new Map<string, ResumableSession>();
  private nextSession = 1;
  private server: Server | undefined;
  private readonly maxPageSize: number;
  private readonly refusePinnedMedia: boolean;
  private origin = '';
  /** Answers left hanging on purpose; closed when the server stops. */
  private readonly hung = new Set<ServerResponse>();
  private endlessPage = 0;

  constructor(options: GcsServerOptions = {}) {
    this.maxPageSize = options.maxPageSize ?? 1000;
    this.refusePinnedMedia = options.refusePinnedMedia ?? false;
  }

  /** `http://127.0.0.1:<port>`: pass as apiEndpoint / --gcs-endpoint. */
  get endpoint(): string {
    return this.origin;
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) this.sendError(res, 500, `test server failure: ${String(error)}`);
        else res.destroy();
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    this.server = server;
    this.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const res of this.hung) res.destroy();
    this.hung.clear();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  createBucket(name: string): void {
    this.store.createBucket(name);
  }

  put(bucket: string, name: string, content: Buffer | string | ObjectContent): StoredObject {
    const body = typeof content === 'string' ? bufferContent(Buffer.from(content, 'utf8')) : Buffer.isBuffer(content) ? bufferContent(content) : content;
    return this.store.put(bucket, name, body);
  }

  delete(bucket: string, name: string): boolean {
    return this.store.delete(bucket, name);
  }

  failNext(rule: FaultRule): void {
    this.faults.failNext(rule);
  }

  /** Requests seen, optionally only those matching. */
  count(match: Partial<Pick<RecordedRequest, 'kind' | 'bucket' | 'object' | 'method'>> & { prefix?: string } = {}): number {
    return this.requests.filter(
      (r) =>
        (match.kind === undefined || r.kind === match.kind) &&
        (match.bucket === undefined || r.bucket === match.bucket) &&
        (match.object === undefined || r.object === match.object) &&
        (match.method === undefined || r.method === match.method) &&
        (match.prefix === undefined || (r.query.get('prefix') ?? '').startsWith(match.prefix)),
    ).length;
  }

  resetLog(): void {
    this.requests.length = 0;
    this.downloads.length = 0;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const found = route(url.pathname, method);
    const isMedia = found.kind === 'metadata' && url.searchParams.get('alt') === 'media';
    const record: RecordedRequest = { method, kind: isMedia ? 'media' : found.kind, query: url.searchParams };
    if (found.bucket !== undefined) record.bucket = found.bucket;
    if (found.object !== undefined) record.object = found.object;
    this.requests.push(record);

    const fault = this.faults.take(record);
    const misbehaving = fault?.misbehave !== undefined ? { rule: fault, misbehave: fault.misbehave } : undefined;
    if (fault && !misbehaving) {
      await readBody(req);
      if (fault.status === 'drop') {
        req.socket.destroy();
        return;
      }
      const status = fault.status ?? 500;
      this.sendError(res, status, fault.message ?? `injected failure ${status}`, fault.reason);
      return;
    }
    if (misbehaving?.misbehave === 'hang') {
      await readBody(req);
      this.hung.add(res);
      return;
    }
    if (record.kind === 'other' || found.bucket === undefined) {
      this.sendError(res, 404, `Not Found: ${method} ${url.pathname}`);
      return;
    }
    if (found.kind === 'upload') return this.upload(req, res, found.bucket, url);
    if (!this.store.hasBucket(found.bucket)) {
      await readBody(req);
      this.sendError(res, 404, 'The specified bucket does not exist.');
      return;
    }
    switch (record.kind) {
      case 'bucket':
        return this.sendJson(res, 200, this.bucketResource(found.bucket));
      case 'list':
        return this.list(res, found.bucket, url.searchParams, misbehaving?.misbehave);
      case 'metadata':
      case 'media':
      case 'delete':
        return this.object(req, res, found.bucket, found.object ?? '', url.searchParams, record.kind, misbehaving?.rule);
    }
  }

  private bucketResource(bucket: string): object {
    return {
      kind: 'storage#bucket',
      id: bucket,
      name: bucket,
      selfLink: `${this.origin}/storage/v1/b/${bucket}`,
      location: 'US',
      storageClass: 'STANDARD',
      metageneration: '1',
      timeCreated: new Date(0).toISOString(),
      updated: new Date(0).toISOString(),
    };
  }

  private objectResource(object: StoredObject): object {
    const encoded = encodeURIComponent(object.name);
    const resource: Record<string, unknown> = {
      kind: 'storage#object',
      id: `${object.bucket}/${object.name}/${object.generation}`,
      selfLink: `${this.origin}/storage/v1/b/${object.bucket}/o/${encoded}`,
      mediaLink: `${this.origin}/download/storage/v1/b/${object.bucket}/o/${encoded}?generation=${object.generation}&alt=media`,
      name: object.name,
      bucket: object.bucket,
      generation: object.generation,
      metageneration: object.metageneration,
      contentType: object.contentType,
      storageClass: 'STANDARD',
      size: String(object.content.size),
      etag: Buffer.from(object.generation).toString('base64'),
      timeCreated: object.created.toISOString(),
      updated: object.created.toISOString(),
    };
    if (object.md5Hash) resource.md5Hash = object.md5Hash;
    if (object.crc32c) resource.crc32c = object.crc32c;
    return resource;
  }

  private list(res: ServerResponse, bucket: string, query: URLSearchParams, misbehave?: Misbehaviour): void {
    if (misbehave === 'repeat-page-token') {
      this.sendJson(res, 200, { kind: 'storage#objects', prefixes: [`${query.get('prefix') ?? ''}again/`], nextPageToken: encodePageToken('the same page') });
      return;
    }
    if (misbehave === 'endless-pages') {
      this.sendJson(res, 200, { kind: 'storage#objects', nextPageToken: encodePageToken(`page ${++this.endlessPage}`) });
      return;
    }
    if (misbehave === 'malformed-listing') {
      const someObject = this.store.objects(bucket)[0];
      const items: unknown[] = [null, { kind: 'storage#object', name: 12345, bucket, generation: '1', size: '3' }];
      if (someObject) items.push(this.objectResource(someObject));
      this.sendJson(res, 200, { kind: 'storage#objects', items, prefixes: [null, 7] });
      return;
    }
    const asked = Number(query.get('maxResults') ?? this.maxPageSize);
    const params = {
      prefix: query.get('prefix') ?? '',
      pageSize: Math.max(1, Math.min(this.maxPageSize, Number.isFinite(asked) && asked > 0 ? asked : this.maxPageSize)),
      ...(query.get('delimiter') ? { delimiter: query.get('delimiter')! } : {}),
      ...(query.get('startOffset') ? { startOffset: query.get('startOffset')! } : {}),
      ...(query.get('endOffset') ? { endOffset: query.get('endOffset')! } : {}),
      ...(query.get('pageToken') ? { pageToken: query.get('pageToken')! } : {}),
    };
    const result = listObjects(this.store.objects(bucket), params);
    const body: Record<string, unknown> = { kind: 'storage#objects' };
    if (result.prefixes.length > 0) body.prefixes = result.prefixes;
    if (result.items.length > 0) body.items = result.items.map((o) => this.objectResource(o));
    if (result.nextPageToken !== undefined) body.nextPageToken = result.nextPageToken;
    this.sendJson(res, 200, body);
  }

  private async object(
    req: IncomingMessage,
    res: ServerResponse,
    bucket: string,
    name: string,
    query: URLSearchParams,
    kind: 'metadata' | 'media' | 'delete',
    fault?: FaultRule,
  ): Promise<void> {
    await (kind === 'media' ? Promise.resolve() : readBody(req));
    const object = this.store.get(bucket, name);
    const wanted = query.get('generation');
    if (!object || (wanted !== null && (wanted !== object.generation || (kind === 'media' && this.refusePinnedMedia)))) {
      this.sendError(res, 404, `No such object: ${bucket}/${name}`);
      return;
    }
    const match = query.get('ifGenerationMatch');
    const notMatch = query.get('ifGenerationNotMatch');
    if ((match !== null && match !== object.generation) || (notMatch !== null && notMatch === object.generation)) {
      this.sendError(res, 412, 'At least one of the pre-conditions you specified did not hold.');
      return;
    }
    if (kind === 'delete') {
      this.store.delete(bucket, name);
      res.writeHead(204).end();
      return;
    }
    if (kind === 'metadata') {
      this.sendJson(res, 200, this.objectResource(object));
      return;
    }
    await this.media(req, res, object, fault);
  }

  private async media(req: IncomingMessage, res: ServerResponse, object: StoredObject, fault?: FaultRule): Promise<void> {
    const size = object.content.size;
    const range = parseRange(req.headers.range, size);
    if (range === 'invalid') {
      res.writeHead(416, { 'Content-Range': `bytes */${size}` }).end();
      return;
    }
    const { start, end } = range ?? { start: 0, end: size };
    const headers: Record<string, string> = {
      'Content-Type': object.contentType,
      'Content-Length': String(end - start),
      'Accept-Ranges': 'bytes',
      'x-goog-generation': object.generation,
      'x-goog-metageneration': object.metageneration,
      'x-goog-stored-content-encoding': 'identity',
      'x-goog-stored-content-length': String(size),
    };
    const hashes = [object.crc32c && `crc32c=${object.crc32c}`, object.md5Hash && `md5=${object.md5Hash}`].filter(Boolean);
    if (hashes.length > 0) headers['x-goog-hash'] = hashes.join(',');
    if (range) headers['Content-Range'] = `bytes ${start}-${end - 1}/${size}`;
    // An endless body has no length to announce: it goes chunked.
    if (fault?.misbehave === 'endless-body') delete headers['Content-Length'];
    res.writeHead(range ? 206 : 200, headers);
    const download: DownloadRecord = {
      bucket: object.bucket,
      object: object.name,
      generation: object.generation,
      expected: end - start,
      bytesSent: 0,
      finished: false,
    };
    this.downloads.push(download);
    if (fault?.misbehave === 'endless-body') {
      await this.endlessBody(res, object, { start, end }, download);
      return;
    }
    if (fault?.misbehave === 'stall-body' || fault?.misbehave === 'cut-body' || fault?.misbehave === 'slow-body') {
      await this.misbehavingBody(res, object, { start, end }, download, fault);
      return;
    }
    for (const chunk of object.content.read(start, end)) {
      if (res.destroyed) return;
      download.bytesSent += chunk.length;
      if (!res.write(chunk)) await drainedOrClosed(res);
    }
    download.finished = true;
    res.end();
  }

  /** Sends part of a body and then stalls, closes, or trickles the rest a byte at a time. */
  private async misbehavingBody(res: ServerResponse, object: StoredObject, range: { start: number; end: number }, download: DownloadRecord, fault: FaultRule): Promise<void> {
    const bytes = Buffer.concat([...object.content.read(range.start, range.end)]);
    const half = bytes.subarray(0, Math.floor(bytes.length / 2));
    if (fault.misbehave === 'stall-body') {
      res.write(half);
      download.bytesSent = half.length;
      this.hung.add(res);
      return;
    }
    if (fault.misbehave === 'cut-body') {
      res.write(half, () => res.destroy());
      download.bytesSent = half.length;
      return;
    }
    const interval = fault.intervalMs ?? 200;
    for (const byte of bytes) {
      if (res.destroyed || !this.server) return;
      res.write(Buffer.of(byte));
      download.bytesSent++;
      await new Promise((resolve) => setTimeout(resolve, interval));
    }
    download.finished = true;
    res.end();
  }

  /** Sends the body, then its bytes again and again, as fast as the client takes them, until it hangs up. */
  private async endlessBody(res: ServerResponse, object: StoredObject, range: { start: number; end: number }, download: DownloadRecord): Promise<void> {
    const bytes = Buffer.concat([...object.content.read(range.start, range.end)]);
    if (bytes.length === 0) {
      res.end();
      return;
    }
    while (!res.destroyed && this.server) {
      download.bytesSent += bytes.length;
      if (!res.write(bytes)) await drainedOrClosed(res);
    }
  }

  private async upload(req: IncomingMessage, res: ServerResponse, bucket: string, url: URL): Promise<void> {
    const query = url.searchParams;
    const body = await readBody(req);
    if (!this.store.hasBucket(bucket)) {
      this.sendError(res, 404, 'The specified bucket does not exist.');
      return;
    }
    const uploadType = query.get('uploadType');
    if (req.method === 'PUT' && query.get('upload_id')) {
      return this.resumeUpload(req, res, query.get('upload_id')!, body);
    }
    if (uploadType === 'media') {
      this.finishUpload(res, bucket, query.get('name') ?? '', body, String(req.headers['content-type'] ?? 'application/octet-stream'), query.get('ifGenerationMatch'));
      return;
    }
    if (uploadType === 'multipart') {
      const [metadataPart, mediaPart] = multipartParts(body, String(req.headers['content-type'] ?? ''));
      if (!metadataPart || !mediaPart) {
        this.sendError(res, 400, 'multipart upload needs a metadata part and a media part');
        return;
      }
      const metadata = JSON.parse(metadataPart.toString('utf8')) as { name?: string; contentType?: string };
      this.finishUpload(res, bucket, metadata.name ?? query.get('name') ?? '', mediaPart, metadata.contentType ?? 'application/octet-stream', query.get('ifGenerationMatch'));
      return;
    }
    if (uploadType === 'resumable') {
      const metadata = body.length > 0 ? (JSON.parse(body.toString('utf8')) as { name?: string; contentType?: string }) : {};
      const id = String(this.nextSession++);
      const session: ResumableSession = {
        bucket,
        name: query.get('name') ?? metadata.name ?? '',
        contentType: String(req.headers['x-upload-content-type'] ?? metadata.contentType ?? 'application/octet-stream'),
        chunks: [],
        received: 0,
      };
      const precondition = query.get('ifGenerationMatch');
      if (precondition !== null) session.ifGenerationMatch = precondition;
      this.sessions.set(id, session);
      res.writeHead(200, { Location: `${this.origin}${UPLOAD}${encodeURIComponent(bucket)}/o?uploadType=resumable&upload_id=${id}` }).end();
      return;
    }
    this.sendError(res, 400, `unsupported uploadType '${uploadType ?? ''}'`, 'invalid');
  }

  private resumeUpload(req: IncomingMessage, res: ServerResponse, id: string, body: Buffer): void {
    const session = this.sessions.get(id);
    if (!session) {
      this.sendError(res, 404, 'No such upload session');
      return;
    }
    const range = /^bytes (\*|(\d+)-(\d+|\*))\/(\d+|\*)$/.exec(String(req.headers['content-range'] ?? 'bytes */*'));
    session.chunks.push(body);
    session.received += body.length;
    const total = range?.[4];
    const statusQuery = range?.[1] === '*';
    const complete = total !== undefined && total !== '*' ? session.received >= Number(total) : !statusQuery;
    if (!complete) {
      const headers: Record<string, string> = {};
      if (session.received > 0) headers.Range = `bytes=0-${session.received - 1}`;
      res.writeHead(308, headers).end();
      return;
    }
    this.sessions.delete(id);
    this.finishUpload(res, session.bucket, session.name, Buffer.concat(session.chunks), session.contentType, session.ifGenerationMatch ?? null);
  }

  private finishUpload(res: ServerResponse, bucket: string, name: string, bytes: Buffer, contentType: string, ifGenerationMatch: string | null): void {
    if (!name) {
      this.sendError(res, 400, 'Required parameter: name', 'required');
      return;
    }
    const current = this.store.get(bucket, name);
    if (ifGenerationMatch !== null && (current?.generation ?? '0') !== ifGenerationMatch) {
      this.sendError(res, 412, 'At least one of the pre-conditions you specified did not hold.');
      return;
    }
    const stored = this.store.put(bucket, name, bufferContent(bytes), contentType);
    this.sendJson(res, 200, this.objectResource(stored));
  }

  private sendJson(res: ServerResponse, status: number, body: object): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json; charset=UTF-8', 'Content-Length': String(Buffer.byteLength(text)) });
    res.end(text);
  }

  private sendError(res: ServerResponse, status: number, message: string, reason?: string): void {
    this.sendJson(res, status, JSON.parse(errorBody(status, message, reason)) as object);
  }
}

function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

export async function startGcsServer(options: GcsServerOptions = {}): Promise<GcsTestServer> {
  return new GcsTestServer(options).start();
}
