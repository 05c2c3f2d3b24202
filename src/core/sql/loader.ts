/**
 * Loads audit-log files into `audit_logs`, replacing what was there (or adding a slice of services
 * to it), in one transaction: either everything loads or (budget, cancel, read error) nothing
 * changes. A line that is a JSON object
 * loads whatever its fields; any other line goes to `audit_errors` with its reason. With a
 * prefilter, a line whose raw bytes show it cannot hold a record the query reads is skipped
 * unparsed, so for every file the non-blank lines read = records loaded + lines rejected + lines
 * skipped by the filter, and bad lines are reported among the lines that were parsed (`validate`
 * checks every line).
 */
import { AuditLensError, throwIfCancelled } from '../errors';
import { DEFAULT_MAX_LINE_BYTES, parseLine } from '../jsonl';
import { mapWithConcurrency, MISSING_NAME, ScanCache } from '../scan';
import { narrowsByIdentities } from '../scan/identity-index';
import { indexedBytes, type LineIndex } from '../scan/line-index';
import type { PartitionFilter } from '../layout';
import type { WorkOptions } from '../progress';
import type { AuditFile, GcsTimeouts } from '../sources';
import { SourceRegistry } from '../sources/registry';
import { describeOverlap, listedFileIdentity } from '../sources/overlap';
import { describeSkipped, type Skipped } from '../sources/skipped';
import type { Statement } from 'sql.js';
import type { AuditDatabase } from './database';
import { readLinesHere, type FeedFile, type FileLines, type LineReader, type LoadPlan } from './line-feed';
import { compilePrefilter, type CompiledPrefilter, type LinePrefilter } from './pushdown';
import { slicePrefilter, type SliceLoad } from './slices';
import { CREATE_TRIGGERS, createIndexesSql, DROP_INDEXES, DROP_TRIGGERS, INSERT_ERROR, insertLineSql, insertValuesSql, type FilePlace, type TableIndex } from './schema';
import { AUDIT_FIELDS, type FieldSource } from '../../shared/auditRecord';
import { loadThroughCache, startCachedLoad, usesRecordCache } from './cached-load';
import { sampleKeptShare } from './kept-sample';
import { formatBytes } from '../../shared/text/quantities';

export interface LoadRequest {
  /** Source URIs: local folders or `gs://bucket/prefix`. */
  sources: string[];
  filter?: PartitionFilter;
  gcsEndpoint?: string;
  /** Network bounds for gs:// sources. */
  gcs?: GcsTimeouts;
  maxLineBytes?: number;
  /** Files read ahead while earlier ones are inserted. */
  concurrency?: number;
  /**
   * Load only lines that may hold a record with one of these services (and actions): for a
   * session that runs known queries once, never for one that takes arbitrary queries later.
   */
  prefilter?: LinePrefilter;
  /**
   * The tree's scan cache: with a prefilter, a file whose cached scan has a line index for its
   * listed version is read only where its wanted lines are, and only those are counted as read
   * and parsed.
   */
  scanCacheDirectory?: string;
  /**
   * Load exactly the records of these slices (a notebook whose cells name their services and
   * actions): lines are prefiltered by them, and rows the prefilter let through that belong to
   * no slice are not kept.
   */
  slices?: SliceLoad[];
  /** Add to what is loaded instead of replacing it (the slices loaded before hold none of `slices`). */
  append?: boolean;
  /**
   * Load each event once: a record with the same requestId, timestamp, serviceName and actionName
   * as one already loaded (the same event delivered twice) is dropped and counted.
   */
  dedupe?: boolean;
  /**
   * Load only these record fields (see RECORD_COLUMNS); the others are NULL. For a session that
   * runs known queries once (see pushdown's deriveColumns), never for one that takes arbitrary
   * queries later. Which lines load or are rejected does not change.
   */
  columns?: string[];
  /** Fill only these hot columns (see hot-columns.ts), the others NULL: like `columns`, for known queries only. */
  hotColumns?: string[];
  /** Build only these of the table's indexes (a session's, SESSION_INDEXES, when absent): those the plans of known queries use. */
  indexes?: TableIndex[];
  /**
   * The record cache (see record-cache): a load that replaces the table starts from what the last
   * load of the same shape left there and reads only the files that are new or changed since.
   */
  recordCache?: RecordCacheSettings;
}

export interface RecordCacheSettings {
  directory: string;
  /** The most bytes the cache holds (default: DEFAULT_RECORD_CACHE_BYTES). */
  maxBytes?: number;
}

export interface LoadProblem {
  file: string;
  line: number;
  offset: number;
  reason: string;
}

export interface LoadSummary {
  files: number;
  /** Files that vanished, changed since listing, or may not be read: reported in `problems`, not loaded. */
  filesSkipped: number;
  /**
   * Of those, the files that exist but could not be read (permission denied, a network failure or
   * timeout): the answer misses records that exist. Files that vanished or changed are not counted.
   */
  filesFailed: number;
  /** Files listed by more than one source (the same file under overlapping sources), read once. */
  filesOverlapping: number;
  /** With `dedupe`: records dropped as copies of an event already loaded. */
  duplicatesDropped?: number;
  /** The URIs of the files read into the table: what a raw line may be opened from. */
  loadedFiles: string[];
  /** What the listing passed over (outside the layout, unreadable folders), one line per kind. */
  listingNotes: string[];
  bytes: number;
  linesRead: number;
  recordsLoaded: number;
  linesRejected: number;
  /** Lines whose bytes (or line index) showed the prefilter no query reads them: neither parsed nor loaded. */
  linesSkippedByFilter: number;
  /** Files read only where their line index says wanted lines are. */
  filesReadByIndex: number;
  /** With a record cache: the files whose records came from it, not read again. */
  filesFromCache?: number;
  /** With a record cache: whether it now holds exactly this table (a load of the same request would be served whole from it). */
  recordCacheCurrent?: boolean;
  /** Records in every selected file, when the scan cache knows them all (with `scanCacheDirectory`). */
  recordsInScope?: number;
  /** The first problems (up to MAX_REPORTED_PROBLEMS); `problemCount` counts them all. */
  problems: LoadProblem[];
  problemCount: number;
  durationMs: number;
}

/** Whether a load found no audit logs at all: no file, or no line that is a record (read or passed over by a filter). */
export function holdsNoLogs(summary: Pick<LoadSummary, 'files' | 'recordsLoaded' | 'linesSkippedByFilter'>): boolean {
  return summary.files === 0 || (summary.recordsLoaded === 0 && summary.linesSkippedByFilter === 0);
}

export interface LoadBudget {
  maxRows: number;
  maxBytes?: number;
}

export const MAX_REPORTED_PROBLEMS = 1000;
/** Database bytes a whole load makes per byte of delivered lines (measured: 1.08, plus indexes). */
const RESERVE_PER_SOURCE_BYTE = 1.2;
/** Room never reserved past what the row budget can fill. */
const RESERVE_PER_RECORD = 850;
const MAX_RESERVE_BYTES = 3 * 1024 ** 3;
const SLICE_HEADROOM_BYTES = 64 * 1024 ** 2;
/** SQLite's JSON parser refuses deeper nesting. */
const SQLITE_MAX_JSON_DEPTH = 1000;

/**
 * Errors that lose one file, not the load: it vanished or changed since listing, may not be read,
 * or its download failed or stalled after the client's retries.
 */
const SKIPPABLE_FILE_ERRORS: ReadonlySet<string> = new Set(['not-found', 'permission-denied', 'network']);
/** Of those, the errors that lose records that exist: the answer is incomplete. */
const LOSING_FILE_ERRORS: ReadonlySet<string> = new Set(['permission-denied', 'network']);

/**
 * Lists the files a request selects, across all its sources. A file that two sources list (the
 * same source twice, or one inside another) is selected once, from the first; `overlapping`
 * counts the repeats. Sources come from `sources` (the session's, or opened for this listing).
 */
export async function listRequestFiles(request: LoadRequest, options: WorkOptions & { sources?: SourceRegistry } = {}): Promise<{ selected: FeedFile[]; overlapping: number }> {
  const sources = options.sources ?? new SourceRegistry();
  const selected: FeedFile[] = [];
  const seen = new Set<string>();
  let overlapping = 0;
  for (const uri of request.sources) {
    const source = await sources.get(uri, requestSourceOptions(request));
    for (const file of await source.listFiles(request.filter, options)) {
      const identity = listedFileIdentity(file);
      if (seen.has(identity)) {
        overlapping++;
        continue;
      }
      seen.add(identity);
      selected.push({ source, file });
    }
  }
  return { selected, overlapping };
}

export interface LoadOptions extends WorkOptions {
  /** Where the lines are read (default: on this thread). */
  readLines?: LineReader;
  /** The session's open sources, so each is opened once however many loads it runs (default: opened for this load). */
  sources?: SourceRegistry;
}

export async function loadIntoDatabase(database: AuditDatabase, request: LoadRequest, budget: LoadBudget, options: LoadOptions = {}): Promise<LoadSummary> {
  const started = performance.now();
  // The record cache's entry is read while the files are listed.
  const cached = usesRecordCache(request) ? startCachedLoad(database, request) : undefined;
  options.onProgress?.({ message: 'Listing files…' });
  const listing = await listLoad(request, options);
  let summary: LoadSummary;
  if (cached) {
    summary = await loadThroughCache(database, request, budget, listing, options, cached);
  } else {
    budgetLoad(database, request, budget, listing);
    summary = await insertLoad(database, request, budget, listing, options);
  }
  summary.durationMs = performance.now() - started;
  return summary;
}

/** What a load reads: its files, what the listing passed over, its prefilter and what the scan cache knows of the files. */
export interface LoadListing {
  files: FeedFile[];
  overlapping: number;
  /** What the listing passed over, one line per kind. */
  listingNotes: string[];
  totalBytes: number;
  /** The lines no statement reads (from the request's prefilter or its slices). */
  prefilter?: LinePrefilter;
  /** That prefilter compiled, when its names can be searched for soundly: only then are lines read by it. */
  compiled?: CompiledPrefilter;
  /** Through the record cache, nothing until it knows which files it reads (see withScans). */
  cached: CachedScans;
  /** With a prefilter the scan cache cannot size: the share of a sample's bytes it keeps (see kept-sample). */
  keptShare?: number;
}

/** A sampled share may miss a few of the kept lines: room for a tenth more. */
const SAMPLED_SHARE_MARGIN = 1.1;

/**
 * Step one of a load: the files it reads, and what the scan cache knows of them. Through the
 * record cache, which may serve every file, the scan cache is read later, only if it does not.
 */
export async function listLoad(request: LoadRequest, options: LoadOptions = {}): Promise<LoadListing> {
  const throughCache = usesRecordCache(request);
  const passedOver: Skipped[] = [];
  const { selected: files, overlapping } = await listRequestFiles(request, { ...options, onSkipped: (s) => passedOver.push(s) });
  const prefilter = request.prefilter ?? (request.slices ? slicePrefilter(request.slices) : undefined);
  const compiled = prefilter && compilePrefilter(prefilter);
  const listing: LoadListing = {
    files,
    overlapping,
    listingNotes: [...describeSkipped(passedOver), ...describeOverlap(overlapping)],
    totalBytes: files.reduce((sum, f) => sum + f.file.size, 0),
    ...(prefilter ? { prefilter } : {}),
    ...(compiled ? { compiled } : {}),
    cached: throughCache ? { indexes: new Map() } : await cachedScans(files, request, prefilter),
  };
  // Only a load that replaces the table reserves room up front; through the record cache, only one the cache does not serve (it samples then).
  return request.append || throughCache ? listing : withKeptShare(listing);
}

/** A record-cache load's listing with what the scan cache knows of its files (listLoad left that for later). */
export async function withScans(listing: LoadListing, request: LoadRequest): Promise<LoadListing> {
  return withCached(listing, await cachedScans(listing.files, request, listing.prefilter));
}

/** The listing with `cached` as what is known of its files. */
export function withCached(listing: LoadListing, cached: CachedScans): LoadListing {
  return { ...listing, cached };
}

/** The listing with the share of its bytes the prefilter keeps, sampled, when the scan cache cannot say (see kept-sample). */
export async function withKeptShare(listing: LoadListing): Promise<LoadListing> {
  if (!listing.compiled || listing.cached.wantedBytes || listing.keptShare !== undefined) return listing;
  const keptShare = await sampleKeptShare(listing.files, listing.compiled);
  return keptShare === undefined ? listing : { ...listing, keptShare };
}

/** The listing narrowed to the files `keep` admits (their line indexes follow them); the scan's record counts no longer apply. */
export function restrictListing(listing: LoadListing, keep: (file: AuditFile) => boolean): LoadListing {
  const indexes = new Map<number, LineIndex>();
  const files: FeedFile[] = [];
  listing.files.forEach((feedFile, position) => {
    if (!keep(feedFile.file)) return;
    const index = listing.cached.indexes.get(position);
    if (index) indexes.set(files.length, index);
    files.push(feedFile);
  });
  return { ...listing, files, totalBytes: files.reduce((sum, f) => sum + f.file.size, 0), cached: { indexes } };
}

/**
 * Step two: refuses a load over the byte budget, or over the row budget when the scan cache
 * counts the records, before anything changes; then reserves the room the load will fill.
 */
export function budgetLoad(database: Pick<AuditDatabase, 'rowCount' | 'reserve'>, request: LoadRequest, budget: LoadBudget, listing: LoadListing): void {
  const { files, totalBytes, cached } = listing;
  if (budget.maxBytes !== undefined && totalBytes > budget.maxBytes) {
    throw new AuditLensError(
      'budget',
      `The selection holds ${formatBytes(totalBytes)} in ${files.length} files, more than the budget of ${formatBytes(budget.maxBytes)}. Narrow the date range or workspaces, or raise the budget.`,
      `bytes=${totalBytes} maxBytes=${budget.maxBytes}`,
    );
  }
  const existingRows = request.append ? database.rowCount : 0;
  if (!listing.prefilter && cached.recordsInScope !== undefined && existingRows + cached.recordsInScope > budget.maxRows) {
    throw overBudget(budget, `the scan cache counts ${cached.recordsInScope} records in the selection`);
  }
  // A load fills about the bytes of the lines it keeps again (records, then indexes): room for it
  // up front spares sql.js growing its array step by step, each step a copy of the whole
  // database. The lines a prefiltered load keeps are known when the scan has counted them.
  // A notebook's slice leaves room for the next slices it adds, as a growing array would; a
  // one-shot prefiltered load (CLI, detections, timeline) adds nothing after it.
  const { compiled } = listing;
  const sampled = listing.keptShare === undefined ? undefined : totalBytes * listing.keptShare * SAMPLED_SHARE_MARGIN;
  const kept = compiled ? (cached.wantedBytes?.(compiled.namesMatch) ?? sampled) : totalBytes;
  const room = kept === undefined ? undefined : kept * RESERVE_PER_SOURCE_BYTE + (request.slices ? SLICE_HEADROOM_BYTES : 0);
  if (room !== undefined) database.reserve(Math.min(room, budget.maxRows * RESERVE_PER_RECORD, MAX_RESERVE_BYTES));
}

/** What one file put in the table: its rows' and errors' rowids, and what reading it counted. */
export interface FileLoad {
  rows: { first: number; last: number };
  errors: { first: number; last: number };
  linesRead: number;
  recordsLoaded: number;
  linesRejected: number;
  linesSkippedByFilter: number;
  problemCount: number;
  problems: LoadProblem[];
}

export interface InsertHooks {
  /** Called after each file that loaded, with what it put in the table. */
  onFileLoaded?: (file: AuditFile, load: FileLoad) => void;
  /** Files of the whole scope, when the listing is part of it: the load fails for want of readable files only when none of these could be read. */
  scopeFiles?: number;
}

/**
 * Step three: the listed files' lines into the table, one file at a time, in one transaction;
 * then the slices kept, events deduplicated and indexes made.
 */
export async function insertLoad(database: AuditDatabase, request: LoadRequest, budget: LoadBudget, listing: LoadListing, options: LoadOptions = {}, hooks: InsertHooks = {}): Promise<LoadSummary> {
  const { signal, onProgress } = options;
  const { files, totalBytes } = listing;
  const summary: LoadSummary = { files: files.length, filesSkipped: 0, bytes: totalBytes, linesRead: 0, recordsLoaded: 0, linesRejected: 0, linesSkippedByFilter: 0, filesReadByIndex: 0, loadedFiles: [], listingNotes: listing.listingNotes, filesFailed: 0, filesOverlapping: listing.overlapping, problems: [], problemCount: 0, durationMs: 0 };
  if (listing.cached.recordsInScope !== undefined) summary.recordsInScope = listing.cached.recordsInScope;
  const firstNewRow = request.append ? maxRowid(database, 'audit_logs') : 0;
  const firstNewError = request.append ? maxRowid(database, 'audit_errors') : 0;
  // Taken after the budget's reserve, which may reopen the database.
  const db = database.handle;
  db.exec('BEGIN');
  let feed: AsyncIterator<FileLines> | undefined;
  // A deduplicating load compares the fields that identify an event, so it loads them whatever else it leaves out.
  const columns = request.dedupe && request.columns ? [...new Set([...request.columns, ...EVENT_IDENTITY_COLUMNS])] : request.columns;
  const statements: InsertStatements = { insertLine: db.prepare(insertLineSql(columns, 'text', request.hotColumns)), insertJsonb: db.prepare(insertLineSql(columns, 'jsonb', request.hotColumns)), insertError: db.prepare(INSERT_ERROR), insertParsed: db.prepare(insertValuesSql(request.hotColumns)) };
  try {
    // The inserts fill the hot columns themselves.
    db.exec(DROP_TRIGGERS);
    if (!request.append) {
      db.exec('DELETE FROM audit_logs; DELETE FROM audit_errors;');
      db.exec(DROP_INDEXES);
    }
    feed = (options.readLines ?? readLinesHere)(loadPlan(request, listing), signal)[Symbol.asyncIterator]();
    const target: InsertTarget = { database, statements, summary, ...(columns ? { columns } : {}), ...(request.hotColumns ? { hotColumns: request.hotColumns } : {}), rowLimit: { budget, existingRows: request.append ? database.rowCount : 0 }, fileCount: hooks.scopeFiles ?? files.length, ...(signal ? { signal } : {}) };
    const skipped = new Set<string>();
    let bytesDone = 0;
    for (const [position, { file }] of files.entries()) {
      throwIfCancelled(signal);
      onProgress?.({ message: `Loading ${file.relativePath} (${position + 1}/${files.length})`, done: bytesDone, total: totalBytes, unit: 'bytes' });
      const mark = hooks.onFileLoaded && fileMark(database, summary);
      if (!(await insertFile(target, file, position, feed))) skipped.add(file.uri);
      else if (mark) hooks.onFileLoaded!(file, fileLoad(database, mark, summary));
      bytesDone += file.size;
    }
    if (request.slices) keepOnlySlices(database, request.slices, firstNewRow, summary);
    if (request.dedupe) dropDuplicateEvents(database, summary);
    if (request.append) forgetKnownErrors(database, firstNewError);
    summary.loadedFiles = files.map((f) => f.file.uri).filter((uri) => !skipped.has(uri));
    onProgress?.({ message: 'Indexing…', done: totalBytes, total: totalBytes, unit: 'bytes' });
    db.exec(createIndexesSql(request.indexes));
    db.exec(CREATE_TRIGGERS);
    db.exec('COMMIT');
  } catch (error) {
    rollback(database);
    throw AuditLensError.from(error, 'data');
  } finally {
    // Stops the reads still going on ahead when the load ends early.
    void feed?.return?.(undefined);
    for (const statement of Object.values(statements)) statement.free();
  }
  return summary;
}

/** Where the table and the counts stood before a file. */
interface FileMark {
  row: number;
  error: number;
  summary: Pick<LoadSummary, 'linesRead' | 'recordsLoaded' | 'linesRejected' | 'linesSkippedByFilter' | 'problemCount'>;
  problems: number;
}

function fileMark(database: AuditDatabase, summary: LoadSummary): FileMark {
  const { linesRead, recordsLoaded, linesRejected, linesSkippedByFilter, problemCount } = summary;
  return { row: maxRowid(database, 'audit_logs'), error: maxRowid(database, 'audit_errors'), summary: { linesRead, recordsLoaded, linesRejected, linesSkippedByFilter, problemCount }, problems: summary.problems.length };
}

function fileLoad(database: AuditDatabase, mark: FileMark, summary: LoadSummary): FileLoad {
  const before = mark.summary;
  return {
    rows: { first: mark.row + 1, last: maxRowid(database, 'audit_logs') },
    errors: { first: mark.error + 1, last: maxRowid(database, 'audit_errors') },
    linesRead: summary.linesRead - before.linesRead,
    recordsLoaded: summary.recordsLoaded - before.recordsLoaded,
    linesRejected: summary.linesRejected - before.linesRejected,
    linesSkippedByFilter: summary.linesSkippedByFilter - before.linesSkippedByFilter,
    problemCount: summary.problemCount - before.problemCount,
    problems: summary.problems.slice(mark.problems),
  };
}

/** The sources' options a request names. */
function requestSourceOptions(request: LoadRequest): LoadPlan['sourceOptions'] {
  return { ...(request.gcsEndpoint ? { gcsEndpoint: request.gcsEndpoint } : {}), ...(request.gcs ? { gcs: request.gcs } : {}) };
}

/** What the line feed reads of a listing: the line indexes are used only with a prefilter. */
function loadPlan(request: LoadRequest, listing: LoadListing): LoadPlan {
  return {
    files: listing.files,
    sourceOptions: requestSourceOptions(request),
    ...(listing.prefilter && listing.compiled ? { prefilter: listing.prefilter, indexes: listing.cached.indexes } : {}),
    ...(request.maxLineBytes !== undefined ? { maxLineBytes: request.maxLineBytes } : {}),
    ...(request.concurrency !== undefined ? { concurrency: request.concurrency } : {}),
  };
}

interface InsertStatements {
  insertLine: Statement;
  insertJsonb: Statement;
  insertError: Statement;
  insertParsed: Statement;
}

/** Where a file's lines go, and what the load counts. */
interface InsertTarget {
  database: AuditDatabase;
  statements: InsertStatements;
  summary: LoadSummary;
  columns?: readonly string[];
  hotColumns?: readonly string[];
  rowLimit: { budget: LoadBudget; existingRows: number };
  /** Files in the load: when none could be read, the load fails with the reason. */
  fileCount: number;
  signal?: AbortSignal;
}

/**
 * One file's lines, the next of the feed, inserted under a savepoint. Returns whether the file
 * loaded: one that vanished, was overwritten or may not be read is rolled back, reported and
 * counted, and the load goes on.
 */
async function insertFile(target: InsertTarget, file: AuditFile, position: number, feed: AsyncIterator<FileLines>): Promise<boolean> {
  const { database, summary, columns, rowLimit, signal } = target;
  const { insertError, insertParsed } = target.statements;
  const db = database.handle;
  const before = { ...summary, problems: summary.problems.length };
  const inserts = lineInserts(target, file);
  db.exec('SAVEPOINT load_file');
  try {
    const reject = (line: number, offset: number, reason: string, raw: string): void => {
      summary.linesRejected++;
      summary.problemCount++;
      if (summary.problems.length < MAX_REPORTED_PROBLEMS) summary.problems.push({ file: file.uri, line, offset, reason });
      insertError.run([file.uri, line, offset, reason, raw]);
    };
    const next = await feed.next();
    if (next.done || next.value.position !== position) throw new AuditLensError('internal', `The line feed is out of step at ${file.uri}.`);
    const { batches } = next.value;
    for await (const batch of batches) {
      throwIfCancelled(signal);
      for (const item of batch) {
        summary.linesRead++;
        if (item.kind === 'problem') {
          reject(item.line, item.offset, item.reason, item.preview);
          continue;
        }
        if (item.jsonb) {
          inserts.jsonb(item.jsonb, item.line, item.offset);
          if (db.getRowsModified() !== 1) throw new AuditLensError('internal', `A line checked as a JSON object did not load: ${file.uri}:${item.line}.`);
          summary.recordsLoaded++;
          continue;
        }
        inserts.line(item.bytes ?? item.text, item.line, item.offset);
        if (db.getRowsModified() === 1) {
          summary.recordsLoaded++;
          continue;
        }
        // SQLite refused the line: either it is not a JSON object, or it is one SQLite cannot
        // hold (nested deeper than its limit), which still loads, parsed by JavaScript.
        const parsed = parseLine(item);
        if (parsed.kind === 'problem') {
          reject(item.line, item.offset, parsed.reason, item.text);
          continue;
        }
        const place = { fileUri: file.uri, workspaceFolder: file.workspaceId, dateFolder: file.date, lineNumber: item.line, byteOffset: item.offset };
        const { values, dropped } = fallbackValues(parsed.value, place, columns);
        insertParsed.run(values);
        summary.recordsLoaded++;
        if (dropped.length > 0) {
          summary.problemCount++;
          const reason = `loaded; ${dropped.join(', ')} nested deeper than ${SQLITE_MAX_JSON_DEPTH} levels, set to NULL`;
          if (summary.problems.length < MAX_REPORTED_PROBLEMS) summary.problems.push({ file: file.uri, line: item.line, offset: item.offset, reason });
        }
      }
      if (rowLimit.existingRows + summary.recordsLoaded > rowLimit.budget.maxRows) throw overBudget(rowLimit.budget, `reached while reading ${file.uri}`);
    }
    const skipped = next.value.passedOver();
    if (next.value.byIndex) summary.filesReadByIndex++;
    summary.linesRead += skipped;
    summary.linesSkippedByFilter += skipped;
  } catch (error) {
    const failure = AuditLensError.from(error, 'data');
    if (!SKIPPABLE_FILE_ERRORS.has(failure.code)) throw failure;
    // The file vanished, was overwritten, or may not be read: skip it whole, report it, and
    // go on with the rest. When no file at all could be read, the load fails with the reason.
    if (summary.filesSkipped + 1 === target.fileCount) throw failure;
    db.exec('ROLLBACK TO load_file');
    Object.assign(summary, { ...before, problems: summary.problems.slice(0, before.problems) });
    summary.filesSkipped++;
    if (LOSING_FILE_ERRORS.has(failure.code)) summary.filesFailed++;
    summary.problemCount++;
    if (summary.problems.length < MAX_REPORTED_PROBLEMS) summary.problems.push({ file: file.uri, line: 0, offset: 0, reason: `file skipped: ${failure.userMessage}` });
    db.exec('RELEASE load_file');
    return false;
  } finally {
    inserts.free();
  }
  db.exec('RELEASE load_file');
  return true;
}

/** A file of at least this many bytes repays preparing inserts of its own (about 0.1 ms) within its first hundred lines. */
const PLACED_INSERT_MIN_BYTES = 64 * 1024;

interface LineInserts {
  line(value: Uint8Array | string, line: number, offset: number): void;
  jsonb(value: Uint8Array, line: number, offset: number): void;
  free(): void;
}

/**
 * How a file's lines are inserted: a big file through inserts of its own with its place written
 * in (binding its URI, workspace and date again on every row costs about 2 µs a row); a small one,
 * or one whose place SQL text cannot hold (a NUL), through the load's shared inserts.
 */
function lineInserts(target: InsertTarget, file: AuditFile): LineInserts {
  const place: FilePlace = { fileUri: file.uri, workspaceId: file.workspaceId, date: file.date };
  if (file.size < PLACED_INSERT_MIN_BYTES || Object.values(place).some((text) => text.includes('\0'))) {
    const { insertLine, insertJsonb } = target.statements;
    return {
      line: (value, line, offset) => insertLine.run([value, file.uri, file.workspaceId, file.date, line, offset]),
      jsonb: (value, line, offset) => insertJsonb.run([value, file.uri, file.workspaceId, file.date, line, offset]),
      free: () => undefined,
    };
  }
  const db = target.database.handle;
  const line = db.prepare(insertLineSql(target.columns, 'text', target.hotColumns, place));
  let jsonb: Statement | undefined;
  return {
    line: (value, number, offset) => line.run([value, number, offset]),
    jsonb: (value, number, offset) => (jsonb ??= db.prepare(insertLineSql(target.columns, 'jsonb', target.hotColumns, place))).run([value, number, offset]),
    free: () => {
      line.free();
      jsonb?.free();
    },
  };
}

/** The columns that identify an event: what `dedupe` compares. */
export const EVENT_IDENTITY_COLUMNS = ['requestId', 'timestamp', 'serviceName', 'actionName'] as const;

/** Deletes every record whose event (requestId, timestamp, service, action) an earlier row already holds. */
function dropDuplicateEvents(database: AuditDatabase, summary: LoadSummary): void {
  const key = EVENT_IDENTITY_COLUMNS.join(', ');
  const db = database.handle;
  db.run(`DELETE FROM audit_logs WHERE rowid IN (
    SELECT rowid FROM (
      SELECT rowid, row_number() OVER (PARTITION BY ${key} ORDER BY rowid) AS copy
      FROM audit_logs WHERE requestId IS NOT NULL AND timestamp IS NOT NULL
    ) WHERE copy > 1)`);
  const dropped = db.getRowsModified();
  summary.duplicatesDropped = (summary.duplicatesDropped ?? 0) + dropped;
  summary.recordsLoaded -= dropped;
}

/**
 * What the scan cache knows of the files' listed versions: their line indexes by file position,
 * and the records they hold when it has a scan of every one.
 */
export interface CachedScans {
  indexes: Map<number, LineIndex>;
  recordsInScope?: number;
  /** About the bytes of the lines whose names `wanted` admits. */
  wantedBytes?: (wanted: (service: string, action: string | null) => boolean) => number;
}

async function cachedScans(files: readonly { file: AuditFile }[], request: LoadRequest, prefilter?: LinePrefilter): Promise<CachedScans> {
  const indexes = new Map<number, LineIndex>();
  if (!request.scanCacheDirectory) return { indexes };
  const cache = new ScanCache(request.scanCacheDirectory);
  // Statements that each filter an indexed identity: a file is read only where its values are.
  const statements = prefilter?.statements;
  const narrowing = statements !== undefined && narrowsByIdentities(statements);
  const found = await mapWithConcurrency(files, ({ file }) => (narrowing ? cache.getIdentityEntry(file, statements) : cache.getEntry(file)), { concurrency: 8 });
  // The scan split lines at the default limit; another limit would split them differently.
  const sameLines = request.maxLineBytes === undefined || request.maxLineBytes === DEFAULT_MAX_LINE_BYTES;
  let records: number | undefined = 0;
  found.forEach((entry, position) => {
    if (entry?.index && sameLines) indexes.set(position, entry.index);
    records = entry && records !== undefined ? records + entry.scan.records : undefined;
  });
  if (narrowing) {
    const bytes = indexes.size === files.length ? [...indexes.values()].reduce((sum, index) => sum + indexedBytes(index), 0) : undefined;
    return { indexes, ...(records !== undefined ? { recordsInScope: records } : {}), ...(bytes !== undefined ? { wantedBytes: () => bytes } : {}) };
  }
  if (records === undefined) return { indexes };
  // About the bytes of the lines whose names `wanted` admits, from the scan's counts and each file's mean line length.
  const wantedBytes = (wanted: (service: string, action: string | null) => boolean): number =>
    found.reduce((sum, entry, position) => {
      const scan = entry!.scan;
      const lineBytes = files[position]!.file.size / Math.max(1, scan.records + scan.rejected);
      let lines = 0;
      for (const [service, actions] of Object.entries(scan.services)) {
        for (const [action, counts] of Object.entries(actions)) if (wanted(service, action === MISSING_NAME ? null : action)) lines += counts.events;
      }
      return sum + lines * lineBytes;
    }, 0);
  return { indexes, recordsInScope: records, wantedBytes };
}

export function overBudget(budget: LoadBudget, detail: string): AuditLensError {
  return new AuditLensError(
    'budget',
    `The selection holds more than ${budget.maxRows.toLocaleString('en-US')} records, the row budget of this session. Nothing was loaded; narrow the date range or workspaces, name the services in your queries, or raise the budget.`,
    `maxRows=${budget.maxRows}: ${detail}`,
  );
}

export function maxRowid(database: AuditDatabase, table: 'audit_logs' | 'audit_errors'): number {
  return Number(database.handle.exec(`SELECT coalesce(max(rowid), 0) FROM ${table}`)[0]?.values[0]?.[0] ?? 0);
}

/**
 * Whether `action` is one of a slice's `actions` or LIKE one of its `patterns`, the way the
 * session's LIKE reads the pattern (the Spark dialect adds a backslash ESCAPE exactly when the pattern holds one).
 */
const IN_SLICE = (slice: string, action: string): string => `(
  ${action} IN (SELECT value FROM json_each(${slice} -> 'actions'))
  OR EXISTS (SELECT 1 FROM json_each(${slice} -> 'patterns') AS p
    WHERE CASE WHEN instr(p.value, '\\') > 0 THEN ${action} LIKE p.value ESCAPE '\\' ELSE ${action} LIKE p.value END))`;

/** The (serviceName, actionName) pairs the rows after ?1 hold that belong to none of the slices in ?2. */
const STRAY_PAIRS = `
  SELECT serviceName, actionName FROM (SELECT DISTINCT serviceName, actionName FROM audit_logs WHERE rowid > ?1) AS pair
  WHERE NOT EXISTS (
    SELECT 1 FROM json_each(?2) AS s
    WHERE s.value ->> 'service' = pair.serviceName
      AND ((s.value -> 'actions' IS NULL AND s.value -> 'patterns' IS NULL) OR ${IN_SLICE('s.value', 'pair.actionName')})
      AND NOT coalesce(${IN_SLICE("s.value -> 'held'", 'pair.actionName')}, 0))`;

/**
 * Drops the rows just loaded that the prefilter let through but belong to no slice: they are not
 * part of the load. Decided once per (serviceName, actionName) pair, not per row: most loads have none to drop.
 */
function keepOnlySlices(database: AuditDatabase, slices: readonly SliceLoad[], firstNewRow: number, summary: LoadSummary): void {
  const db = database.handle;
  const stray: [unknown, unknown][] = [];
  const pairs = db.prepare(STRAY_PAIRS);
  try {
    pairs.bind([firstNewRow, JSON.stringify(slices)]);
    while (pairs.step()) stray.push(pairs.get() as [unknown, unknown]);
  } finally {
    pairs.free();
  }
  if (stray.length === 0) return;
  db.run(`DELETE FROM audit_logs WHERE rowid > ?1 AND EXISTS (SELECT 1 FROM json_each(?2) AS j WHERE j.value ->> 0 IS audit_logs.serviceName AND j.value ->> 1 IS audit_logs.actionName)`, [firstNewRow, JSON.stringify(stray)]);
  const dropped = database.handle.getRowsModified();
  summary.recordsLoaded -= dropped;
  summary.linesSkippedByFilter += dropped;
}

/** Keeps one report per bad line when slices read it again. */
function forgetKnownErrors(database: AuditDatabase, firstNewError: number): void {
  database.handle.run(
    `DELETE FROM audit_errors WHERE rowid > ? AND EXISTS (SELECT 1 FROM audit_errors e WHERE e.rowid <= ? AND e.file = audit_errors.file AND e.line = audit_errors.line)`,
    [firstNewError, firstNewError],
  );
}

function rollback(database: AuditDatabase): void {
  try {
    database.handle.exec('ROLLBACK');
  } catch {
    // SQLite already rolled the transaction back (it does so itself after some errors).
  }
}

type SqlParam = string | number | null;

/** The values of the columns the line does not give: from the file's path and the line's place in it. */
type PlaceValues = Readonly<Record<Exclude<FieldSource, 'line'>, SqlParam>>;

/**
 * A row's values, in the table's order, for a record SQLite could not parse, extracted the way
 * its JSON functions would: objects and arrays as JSON text, booleans as 1/0. A value nested
 * deeper than SQLite's limit becomes NULL (SQLite would refuse every query that touched it).
 */
function fallbackValues(record: Record<string, unknown>, place: PlaceValues, columns?: readonly string[]): { values: SqlParam[]; dropped: string[] } {
  const dropped: string[] = [];
  const values = AUDIT_FIELDS.map(({ name, source }): SqlParam => {
    if (source !== 'line') return place[source];
    if (columns && !columns.includes(name)) return null;
    const value = record[name];
    if (value === undefined || value === null) return null;
    if (typeof value === 'boolean') return value ? 1 : 0;
    if (typeof value === 'number' || typeof value === 'string') return value;
    if (jsonDepth(value) > SQLITE_MAX_JSON_DEPTH) {
      dropped.push(name);
      return null;
    }
    return JSON.stringify(value);
  });
  return { values, dropped };
}

/** Nesting depth of a parsed JSON value, without recursion (lines may nest thousands deep). */
function jsonDepth(root: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    deepest = Math.max(deepest, depth);
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
  return deepest;
}

