/**
 * A load through the record cache. The last load of the same shape left the table's image there,
 * with each file's version and its rows' place: the table starts from that image, the rows of
 * files that changed, vanished or left the scope are deleted, and only the files that are new or
 * changed are read. What the cached files' reading found (lines, rejections, problems) is counted
 * again as if they had been read, so a summary does not depend on the cache — except that it says
 * how many files came from it. A table that holds anything (rows, or tables of the user's) is
 * never replaced: that load reads every file, and its result is cached for the next.
 */
import { AuditLensError } from '../errors';
import type { AuditFile } from '../sources';
import type { AuditDatabase } from './database';
import {
  budgetLoad,
  insertLoad,
  MAX_REPORTED_PROBLEMS,
  restrictListing,
  withCached,
  withKeptShare,
  withScans,
  type FileLoad,
  type LoadBudget,
  type LoadListing,
  type LoadOptions,
  type LoadRequest,
  type LoadSummary,
} from './loader';
import { RecordCache, type CachedFile, type RecordCacheEntry } from './record-cache';
import { CREATE_TABLES, createIndexesSql, insertLineSql } from './schema';

/** Whether a load may go through the record cache: one that replaces the table, with every event as delivered. */
export function usesRecordCache(request: LoadRequest): boolean {
  return request.recordCache !== undefined && !request.append && !request.dedupe;
}

/** What decides which rows a file puts in the table: loads of the same shape can share an entry. */
function shapeOf(request: LoadRequest): string {
  return RecordCache.shapeKey({
    sources: [...request.sources].sort(),
    gcsEndpoint: request.gcsEndpoint ?? null,
    prefilter: request.prefilter ?? null,
    slices: request.slices ?? null,
    columns: request.columns ? [...request.columns].sort() : null,
    maxLineBytes: request.maxLineBytes ?? null,
    schema: [CREATE_TABLES, createIndexesSql(request.indexes), insertLineSql(request.columns, 'text', request.hotColumns)],
  });
}

/** A load through the record cache, begun before its files are listed: the entry it may start from is read meanwhile. */
export interface CachedLoadStart {
  cache: RecordCache;
  shape: string;
  /** Whether the table may go to the cache: the user's own tables must never reach it (nor come out of it into another session). */
  keepable: boolean;
  /** The entry of the load's shape, when the table holds nothing and there is one. */
  entry: Promise<RecordCacheEntry | undefined>;
}

export function startCachedLoad(database: AuditDatabase, request: LoadRequest): CachedLoadStart {
  const settings = request.recordCache!;
  const cache = new RecordCache(settings.directory, settings.maxBytes);
  const shape = shapeOf(request);
  const keepable = !database.holdsUserObjects();
  const empty = keepable && !database.holdsRecords();
  return { cache, shape, keepable, entry: empty ? cache.get(shape).catch(() => undefined) : Promise.resolve(undefined) };
}

export async function loadThroughCache(database: AuditDatabase, request: LoadRequest, budget: LoadBudget, listing: LoadListing, options: LoadOptions, start: CachedLoadStart): Promise<LoadSummary> {
  const { cache, shape, keepable } = start;
  const entry = await start.entry;
  try {
    const kept = entry ? startFromEntry(database, entry.manifest.files, entry.image, listing, budget) : undefined;
    const fromCache = kept?.files ?? new Map<string, CachedFile>();
    const whole = kept !== undefined && kept.dropped === 0 && fromCache.size === listing.files.length;
    // Served whole, a load needs nothing of the scan cache but the records in scope, which the entry kept.
    const recordsInScope = entry?.manifest.recordsInScope;
    const scanned = whole ? withCached(listing, { indexes: new Map(), ...(recordsInScope === undefined ? {} : { recordsInScope }) }) : await withScans(listing, request);
    const loaded: CachedFile[] = [];
    const toRead = kept ? restrictListing(scanned, (file) => !fromCache.has(file.uri)) : await withKeptShare(scanned);
    const append = kept !== undefined;
    const readRequest = { ...request, append };
    budgetLoad(database, readRequest, budget, toRead);
    const summary = await insertLoad(database, readRequest, budget, toRead, options, {
      scopeFiles: listing.files.length,
      onFileLoaded: (file, load) => loaded.push(cachedFile(file, load)),
    });
    if (request.slices) recountAfterSlices(database, loaded);
    const result = withCachedFiles(summary, scanned, [...fromCache.values()]);
    const changed = !kept || kept.dropped > 0 || loaded.length > 0;
    const current = changed ? keepable && (await saveEntry(database, cache, shape, [...fromCache.values(), ...loaded], scanned.cached.recordsInScope)) : true;
    return { ...result, recordCacheCurrent: current };
  } catch (error) {
    // The image replaced an empty table: a load that fails leaves it empty again.
    if (entry) database.restore();
    throw AuditLensError.from(error, 'data');
  }
}

/**
 * Opens the entry's image and deletes the rows of every file the listing does not hold at the
 * same version; returns the files kept, or undefined when the image cannot serve (then the
 * table is empty again).
 */
function startFromEntry(database: AuditDatabase, files: readonly CachedFile[], image: Uint8Array, listing: LoadListing, budget: LoadBudget): { files: Map<string, CachedFile>; dropped: number } | undefined {
  const listed = new Map(listing.files.map(({ file }) => [file.uri, file.version]));
  const keep = files.filter((file) => listed.get(file.uri) === file.version);
  // Rows added to a table keep its indexes up to date row by row: past half the scope, a fresh load is quicker.
  if (keep.length * 2 < listed.size || keep.reduce((sum, file) => sum + file.recordsLoaded, 0) > budget.maxRows) return undefined;
  try {
    database.restore(image);
    const db = database.handle;
    const expected = files.reduce((sum, file) => sum + file.recordsLoaded, 0);
    if (database.rowCount !== expected) throw new Error(`the cached image holds ${database.rowCount} records, its manifest ${expected}`);
    const stale = files.filter((file) => listed.get(file.uri) !== file.version);
    db.exec('BEGIN');
    const dropRows = db.prepare('DELETE FROM audit_logs WHERE rowid BETWEEN ? AND ?');
    const dropErrors = db.prepare('DELETE FROM audit_errors WHERE rowid BETWEEN ? AND ?');
    try {
      for (const file of stale) {
        if (file.rows.last >= file.rows.first) dropRows.run([file.rows.first, file.rows.last]);
        if (file.errors.last >= file.errors.first) dropErrors.run([file.errors.first, file.errors.last]);
      }
    } finally {
      dropRows.free();
      dropErrors.free();
    }
    db.exec('COMMIT');
    return { files: new Map(keep.map((file) => [file.uri, file])), dropped: stale.length };
  } catch {
    // An image that does not open or does not match its manifest serves nothing.
    database.restore();
    return undefined;
  }
}

function cachedFile(file: AuditFile, load: FileLoad): CachedFile {
  return { uri: file.uri, version: file.version, ...load };
}

/** A slice load drops the rows of its files that belong to no slice after reading them: count each file's rows again. */
function recountAfterSlices(database: AuditDatabase, loaded: CachedFile[]): void {
  const count = database.handle.prepare('SELECT count(*) FROM audit_logs WHERE rowid BETWEEN ? AND ?');
  try {
    for (const file of loaded) {
      count.bind([file.rows.first, file.rows.last]);
      count.step();
      const kept = Number(count.get()[0]);
      count.reset();
      file.linesSkippedByFilter += file.recordsLoaded - kept;
      file.recordsLoaded = kept;
    }
  } finally {
    count.free();
  }
}

/** The summary of the files read, with what the cached files' reading found counted in. */
function withCachedFiles(summary: LoadSummary, listing: LoadListing, cached: readonly CachedFile[]): LoadSummary {
  const result: LoadSummary = { ...summary, files: listing.files.length, bytes: listing.totalBytes, filesFromCache: cached.length };
  const problems: typeof summary.problems = [];
  for (const file of cached) {
    result.linesRead += file.linesRead;
    result.recordsLoaded += file.recordsLoaded;
    result.linesRejected += file.linesRejected;
    result.linesSkippedByFilter += file.linesSkippedByFilter;
    result.problemCount += file.problemCount;
    if (problems.length < MAX_REPORTED_PROBLEMS) problems.push(...file.problems.slice(0, MAX_REPORTED_PROBLEMS - problems.length));
  }
  result.problems = [...problems, ...summary.problems].slice(0, MAX_REPORTED_PROBLEMS);
  const loaded = new Set([...summary.loadedFiles, ...cached.map((file) => file.uri)]);
  result.loadedFiles = listing.files.map(({ file }) => file.uri).filter((uri) => loaded.has(uri));
  if (listing.cached.recordsInScope !== undefined) result.recordsInScope = listing.cached.recordsInScope;
  return result;
}

/** Writes the table's image for the next load of this shape; returns whether it did (a cache that cannot be written costs only the next load's time). */
async function saveEntry(database: AuditDatabase, cache: RecordCache, shape: string, files: readonly CachedFile[], recordsInScope: number | undefined): Promise<boolean> {
  if (files.length === 0) {
    await cache.delete(shape).catch(() => undefined);
    return false;
  }
  return cache.put(shape, files, database.snapshot(), recordsInScope).catch(() => false);
}
