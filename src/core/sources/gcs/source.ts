/** Audit logs read straight from a Google Cloud Storage bucket (optionally below a prefix). */
import type { Bucket, File } from '@google-cloud/storage';
import { AuditLensError, cancelled, throwIfCancelled } from '../../errors';
import {
  compareWorkspaceIds,
  dateInRange,
  datePrefix,
  isValidWorkspaceId,
  parseDateSegment,
  parseObjectPath,
  parseWorkspaceSegment,
  workspacePrefix,
  workspaceSelected,
  type PartitionFilter,
} from '../../layout';
import type { WorkOptions } from '../../progress';
import { DEFAULT_CONCURRENCY, mapWithConcurrency } from '../../scan/concurrency';
import type { AuditFile, AuditSource, ByteRange, ReadOptions } from '../types';
import { createStorageClient, resolveEndpoint, type GcsClientOptions } from './client';
import { changedWhileReading, httpStatusOf, toGcsError, vanished, type GcsErrorContext, type GcsOperation } from './errors';
import { bounded, DEFAULT_IDLE_TIMEOUT_MS, formatSeconds, guardedChunks, MIN_BYTES_PER_IDLE_TIMEOUT } from './deadline';
import { ConnectionCut, DOWNLOAD_TAG_HEADER, watchDownload } from './connection';
import { listAll, type ListQuery } from './listing';
import { formatGcsUri, objectUri, parseGcsUri, type GcsLocation } from './uri';

export interface GcsSourceOptions extends GcsClientOptions {
  /**
   * Longest wait for one listing page, or for the next bytes of a download (default 60 s). A
   * download that brings under 1 KiB in that time is stalled too.
   */
  idleTimeoutMs?: number;
  /** Longest time to list one prefix, all pages (default 15 idle timeouts). */
  listTimeoutMs?: number;
  /** Listing requests in flight at once (workspaces, dates). Default 4. */
  listConcurrency?: number;
  /** Page size asked of the server when listing; default: the server's (1000 on GCS). */
  pageSize?: number;
}

/** The object still has the listed generation, yet a read pinned to it was refused. */
const GENERATION_PIN_REFUSED = Symbol('generation pin refused');

/** What a request interceptor of the storage client hands back: the request's options. */
type RequestOptions = ReturnType<File['interceptors'][number]['request']>;

/** A download whose connection is cut is asked for again (the rest of it) this many times. */
const CUT_RETRIES = 2;

export async function openGcsSource(uri: string, options: GcsSourceOptions = {}): Promise<GcsSource> {
  const location = parseGcsUri(uri);
  const storage = await createStorageClient(options);
  return new GcsSource(location, storage.bucket(location.bucket), options);
}

export class GcsSource implements AuditSource {
  readonly kind = 'gcs' as const;
  readonly uri: string;
  readonly bucketName: string;
  readonly prefix: string;
  private readonly rootPrefix: string;
  private readonly endpoint: string | undefined;

  constructor(
    location: GcsLocation,
    private readonly bucket: Bucket,
    private readonly options: GcsSourceOptions = {},
  ) {
    this.uri = formatGcsUri(location);
    this.bucketName = location.bucket;
    this.prefix = location.prefix;
    this.rootPrefix = location.prefix ? `${location.prefix}/` : '';
    this.endpoint = resolveEndpoint(options);
  }

  async listWorkspaces(filter?: PartitionFilter, options?: WorkOptions): Promise<string[]> {
    const page = await this.list({ prefix: this.rootPrefix, delimiter: '/' }, options?.signal);
    const ids = new Set<string>();
    for (const p of page.prefixes) {
      const segment = p.slice(this.rootPrefix.length);
      const id = parseWorkspaceSegment(segment);
      if (id === undefined && segment.startsWith('workspaceId=')) options?.onSkipped?.({ kind: 'not-workspace', path: objectUri(this.bucketName, p) });
      if (id !== undefined && workspaceSelected(id, filter)) ids.add(id);
    }
    return [...ids].sort(compareWorkspaceIds);
  }

  async listDates(workspaceId: string, filter?: PartitionFilter, options?: WorkOptions): Promise<string[]> {
    const base = workspacePrefix(this.prefix, workspaceId);
    const query: ListQuery = { prefix: base, delimiter: '/' };
    // Only the date folders inside the range are listed: names sort by date, so the range is a
    // range of object names. '0' sorts right after '/', so the end bound keeps all of `to`'s day.
    if (filter?.from !== undefined) query.startOffset = `${base}date=${filter.from}`;
    if (filter?.to !== undefined) query.endOffset = `${base}date=${filter.to}0`;
    const page = await this.list(query, options?.signal);
    const dates = new Set<string>();
    for (const p of page.prefixes) {
      const date = parseDateSegment(p.slice(base.length));
      if (date === undefined) options?.onSkipped?.({ kind: 'not-date', path: objectUri(this.bucketName, p) });
      if (date !== undefined && dateInRange(date, filter?.from, filter?.to)) dates.add(date);
    }
    return [...dates].sort();
  }

  async listPartitionFiles(workspaceId: string, date: string, options?: WorkOptions): Promise<AuditFile[]> {
    const base = datePrefix(this.prefix, workspaceId, date);
    const page = await this.list({ prefix: base, delimiter: '/' }, options?.signal);
    const files: AuditFile[] = [];
    for (const p of page.prefixes) options?.onSkipped?.({ kind: 'nested-folder', path: objectUri(this.bucketName, p) });
    for (const object of page.objects) {
      const parsed = parseObjectPath(object.name, this.prefix);
      if (!parsed.ok || parsed.value.workspaceId !== workspaceId || parsed.value.date !== date) {
        options?.onSkipped?.({ kind: 'not-audit-file', path: objectUri(this.bucketName, object.name) });
        continue;
      }
      files.push({
        sourceUri: this.uri,
        uri: objectUri(this.bucketName, object.name),
        relativePath: object.name.slice(this.rootPrefix.length),
        workspaceId,
        date,
        size: object.size,
        version: object.generation,
        ...(object.updated !== undefined ? { updated: object.updated } : {}),
      });
    }
    return files.sort((a, b) => (a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0));
  }

  async listFiles(filter?: PartitionFilter, options?: WorkOptions): Promise<AuditFile[]> {
    const concurrency = { concurrency: this.options.listConcurrency ?? DEFAULT_CONCURRENCY, signal: options?.signal };
    const wanted = filter?.workspaces?.filter(isValidWorkspaceId) ?? [];
    // Named workspaces need no listing of the root: their prefixes are known.
    const workspaces =
      wanted.length > 0 ? [...new Set(wanted)].sort(compareWorkspaceIds) : await this.listWorkspaces(filter, options);
    const partitions = (
      await mapWithConcurrency(
        workspaces,
        async (workspaceId) => (await this.listDates(workspaceId, filter, options)).map((date) => ({ workspaceId, date })),
        concurrency,
      )
    ).flat();
    let listed = 0;
    const perPartition = await mapWithConcurrency(
      partitions,
      async ({ workspaceId, date }) => {
        const files = await this.listPartitionFiles(workspaceId, date, options);
        listed++;
        options?.onProgress?.({ message: `Listing ${this.uri}`, done: listed, total: partitions.length });
        return files;
      },
      concurrency,
    );
    return perPartition.flat();
  }

  async *openRead(file: AuditFile, options?: ReadOptions): AsyncIterable<Uint8Array> {
    const signal = options?.signal;
    const range = options?.range;
    if (range && range.end <= range.start) return;
    throwIfCancelled(signal);
    const name = this.objectNameOf(file);
    const context = this.context('read', name, signal);
    // The bytes wanted, bounded by the listed size: the listed generation is read, so its body
    // cannot be longer.
    const start = range?.start ?? 0;
    const end = Math.min(range?.end ?? file.size, file.size);
    let delivered = 0;
    let generation: string | undefined = file.version;
    let cuts = 0;
    for (;;) {
      // A whole-object read is one plain request (with its checksum); after a cut, the rest is
      // asked for from where the cut left it.
      const part = range || delivered > 0 ? { start: start + delivered, end } : undefined;
      if (part && part.end <= part.start) return;
      try {
        const asked = part ? `asked for (bytes ${part.start}-${part.end - 1} of an object listed at ${file.size} bytes)` : 'of its listed size';
        for await (const chunk of this.readObject(name, generation, signal, part, end - start - delivered, asked)) {
          delivered += chunk.length;
          yield chunk;
        }
        return;
      } catch (error) {
        if (error instanceof ConnectionCut && !signal?.aborted) {
          cuts++;
          if (cuts > CUT_RETRIES) throw this.cut(name, start + delivered, end, cuts);
          continue;
        }
        const failure = await this.readFailure(error, file, context);
        // A server that keeps no generations may refuse a pinned read of the very generation it
        // listed: read the live object, which is that generation, once more without the pin.
        if (failure !== GENERATION_PIN_REFUSED) throw failure;
        if (delivered > 0) throw toGcsError(error, context);
        if (generation === undefined) throw vanished(context, `object ${name}`, error);
        generation = undefined;
      }
    }
  }

  /**
   * The chunks of one request for the object (or part of it). It fails with ConnectionCut when the
   * connection closes before the whole body came, and once the body runs past `length` bytes (`asked` says what those are).
   */
  private async *readObject(
    name: string,
    generation: string | undefined,
    signal: AbortSignal | undefined,
    range: ByteRange | undefined,
    length: number,
    asked: string,
  ): AsyncGenerator<Buffer> {
    throwIfCancelled(signal);
    const target = generation ? this.bucket.file(name, { generation }) : this.bucket.file(name);
    const connection = watchDownload(() => stream.destroy(new ConnectionCut()));
    // Tagged, to be watched; and kept out of the client's connection pool, which the client tears
    // down (cutting every download in it) whenever one download ends early.
    target.interceptors.push({
      request: (request) => ({ ...request, forever: false, headers: { ...request.headers, [DOWNLOAD_TAG_HEADER]: connection.tag } }) as RequestOptions,
    });
    const stream = target.createReadStream({
      ...(this.options.userProject !== undefined ? { userProject: this.options.userProject } : {}),
      // A ranged read skips the whole-object checksum (it cannot be checked on part of an object).
      ...(range ? { start: range.start, end: range.end - 1, validation: false } : {}),
    });
    // A body stored compressed arrives inflated, longer than the listed (stored) size.
    let inflated = false;
    stream.once('response', (response: { headers?: Record<string, unknown> }) => {
      inflated = response.headers?.['content-encoding'] === 'gzip';
    });
    const onAbort = (): void => {
      stream.destroy(cancelled());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const idle = this.options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    const stalled = (received: number): AuditLensError =>
      new AuditLensError(
        'network',
        `The download of gs://${this.bucketName}/${name} stalled: under ${MIN_BYTES_PER_IDLE_TIMEOUT} bytes in ${formatSeconds(idle)} (${received} bytes received). The connection was cut or is too slow; try again.`,
        `idle timeout ${idle} ms`,
      );
    let received = 0;
    try {
      for await (const chunk of guardedChunks(stream, idle, stalled)) {
        received += chunk.length;
        if (received > length && !inflated) throw this.overlong(name, asked, length, received);
        yield chunk;
      }
      throwIfCancelled(signal);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      stream.destroy();
      connection.close();
    }
  }

  /** The storage server sent more than the object holds: a corrupt answer, not the listed object. */
  private overlong(name: string, asked: string, length: number, received: number): AuditLensError {
    return new AuditLensError(
      'network',
      `The download of gs://${this.bucketName}/${name} was stopped: the storage server sent more than the ${length} bytes ${asked}. Its answer is corrupt (the listed generation was asked for, so the object cannot have grown); try again.`,
      `${received} bytes received of ${length}`,
    );
  }

  private cut(name: string, at: number, end: number, attempts: number): AuditLensError {
    return new AuditLensError(
      'network',
      `The download of gs://${this.bucketName}/${name} was cut: the connection closed before the whole body came (${attempts} attempts, the last ended at byte ${at} of ${end}). Try again.`,
      `connection closed at byte ${at} of ${end}`,
    );
  }

  /** The object name of a file this source listed. */
  objectNameOf(file: AuditFile): string {
    const base = `gs://${this.bucketName}/`;
    if (!file.uri.startsWith(base)) {
      throw new AuditLensError('usage', `${file.uri} is not in ${this.uri}`);
    }
    return file.uri.slice(base.length);
  }

  private async readFailure(error: unknown, file: AuditFile, context: GcsErrorContext): Promise<AuditLensError | typeof GENERATION_PIN_REFUSED> {
    if (context.signal?.aborted) return cancelled();
    const status = httpStatusOf(error);
    if (status !== 404 && status !== 412) return toGcsError(error, context);
    // The listed generation is gone: tell "deleted" apart from "rewritten".
    const detail = `generation ${file.version}: ${error instanceof Error ? error.message : String(error)}`;
    try {
      const idle = this.options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
      const noAnswer = (): AuditLensError =>
        new AuditLensError('network', `Looking up gs://${this.bucketName}/${context.name ?? ''} got no answer within ${formatSeconds(idle)}. Check the connection (or the endpoint) and try again.`);
      const [metadata] = await bounded(this.bucket.file(context.name ?? '').getMetadata(), idle, noAnswer, context.signal);
      const current = String(metadata.generation ?? '');
      if (current !== '' && current !== file.version) return changedWhileReading(context, file.version, current);
      if (current !== '' && current === file.version) return GENERATION_PIN_REFUSED;
      return vanished(context, detail, error);
    } catch (lookup) {
      if (httpStatusOf(lookup) === 404) return vanished(context, detail, error);
      return toGcsError(lookup, context);
    }
  }

  private async list(query: ListQuery, signal?: AbortSignal) {
    const full: ListQuery = { ...query };
    if (this.options.pageSize !== undefined) full.maxResults = this.options.pageSize;
    if (this.options.userProject !== undefined) full.userProject = this.options.userProject;
    try {
      return await listAll(this.bucket, full, {
        ...(signal ? { signal } : {}),
        ...(this.options.idleTimeoutMs !== undefined ? { idleTimeoutMs: this.options.idleTimeoutMs } : {}),
        ...(this.options.listTimeoutMs !== undefined ? { totalTimeoutMs: this.options.listTimeoutMs } : {}),
      });
    } catch (error) {
      throw toGcsError(error, this.context('list', query.prefix, signal));
    }
  }

  private context(operation: GcsOperation, name: string | undefined, signal?: AbortSignal): GcsErrorContext {
    const context: GcsErrorContext = { operation, bucket: this.bucketName, customEndpoint: this.endpoint !== undefined };
    if (name) context.name = name;
    if (this.endpoint !== undefined) context.endpoint = this.endpoint;
    if (signal) context.signal = signal;
    return context;
  }
}
