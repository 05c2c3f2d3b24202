/**
 * On-disk cache of file scans. One entry per file location (bucket + object name, or local
 * path), holding the version it was made from (GCS generation, or mtime+size): an unchanged file is
 * never read again; a rewritten one is, and its entry is replaced. An entry is two lines of JSON:
 * a small head (version, counts, the lines always read) and the line index, so an identity
 * lookup can tell from the index's text alone that a file holds none of its values, without
 * parsing it.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { AuditLensError } from '../errors';
import type { AuditFile } from '../sources/types';
import { SCAN_FORMAT_VERSION, type ActionCounts, type FileScan, type ServiceCounts } from './file-scan';
import { narrowByIdentities } from './identity-narrow';
import { ALWAYS_READ, type LineIndex } from './line-index';
import { isIdentityPath, type IdentityStatement } from './identity-index';

interface CacheEntry {
  format: number;
  uri: string;
  version: string;
  scan: FileScan;
  /** Where the file's lines are (absent when the file has a line the index cannot describe). */
  index?: LineIndex;
}

/** The first line of an entry. */
interface EntryHead {
  format: number;
  uri: string;
  version: string;
  scan: FileScan;
  /** With an index: its line count and the lines always read, which every narrowed index keeps. */
  indexed?: { lines: number; alwaysRead?: string };
}

export class ScanCache {
  private writes = 0;

  /** `directory` is the caller's (e.g. the extension's global storage, or a CLI cache folder). */
  constructor(readonly directory: string) {}

  entryPath(file: Pick<AuditFile, 'uri'>): string {
    const hash = createHash('sha256').update(file.uri).digest('hex');
    return path.join(this.directory, hash.slice(0, 2), `${hash}.json`);
  }

  /** The cached scan of exactly this version of the file, if any. */
  async get(file: Pick<AuditFile, 'uri' | 'version'>): Promise<FileScan | undefined> {
    return (await this.entry(file))?.scan;
  }

  /** The line index of exactly this version of the file, if it was scanned with one. */
  async getIndex(file: Pick<AuditFile, 'uri' | 'version'>): Promise<LineIndex | undefined> {
    return (await this.entry(file))?.index;
  }

  /** The cached scan and line index of exactly this version of the file, if any. */
  async getEntry(file: Pick<AuditFile, 'uri' | 'version'>): Promise<{ scan: FileScan; index?: LineIndex } | undefined> {
    return this.entry(file);
  }

  /**
   * The cached scan and the line index narrowed to the lines that may hold a record one of the
   * statements reads (see narrowByIdentities); `index` is absent when the file has none or the
   * statements cannot narrow it. A file whose index text names none of a statement's values is
   * answered from the entry's head, without parsing its index.
   */
  async getIdentityEntry(file: Pick<AuditFile, 'uri' | 'version'>, statements: readonly IdentityStatement[]): Promise<{ scan: FileScan; index?: LineIndex } | undefined> {
    const known = parsedEntries.get(this.entryPath(file));
    if (known) return withNarrowedIndex(await this.entry(file), statements);
    let bytes: Buffer;
    try {
      // Read at once: a load looks up hundreds of entries, and each read through the thread pool
      // costs more in round trips than the read itself. Kept as bytes: most are searched, not decoded.
      bytes = readFileSync(this.entryPath(file));
    } catch {
      return undefined;
    }
    const split = bytes.indexOf(0x0a);
    const head = parseHead(bytes.toString('utf8', 0, split < 0 ? bytes.length : split));
    if (!head || !isCurrent(head, file)) return undefined;
    const scan = reviveScan(head.scan);
    if (!head.indexed || split < 0) return { scan };
    if (!statements.some((statement) => mayHoldValues(bytes, split + 1, statement))) {
      const groups: Record<string, string> = head.indexed.alwaysRead === undefined ? {} : { [ALWAYS_READ]: head.indexed.alwaysRead };
      return { scan, index: { lines: head.indexed.lines, groups } };
    }
    return withNarrowedIndex(entryOf(head, scan, bytes.toString('utf8', split + 1)), statements);
  }

  private async entry(file: Pick<AuditFile, 'uri' | 'version'>): Promise<CacheEntry | undefined> {
    const entryPath = this.entryPath(file);
    let entry: CacheEntry | undefined;
    try {
      // An entry file read before, unchanged since, is not parsed again (a notebook's cells load one after another).
      const { mtimeMs, size } = await stat(entryPath);
      const stamp = `${mtimeMs}:${size}`;
      const known = parsedEntries.get(entryPath);
      if (known?.stamp === stamp) {
        entry = known.entry;
      } else {
        entry = parseEntry(await readFile(entryPath, 'utf8'));
        rememberEntry(entryPath, stamp, entry);
      }
    } catch {
      return undefined;
    }
    if (!entry || !isCurrent(entry, file)) return undefined;
    return entry;
  }

  async set(file: Pick<AuditFile, 'uri' | 'version'>, scan: FileScan, index?: LineIndex): Promise<void> {
    const target = this.entryPath(file);
    const alwaysRead = index?.groups[ALWAYS_READ];
    const head: EntryHead = { format: SCAN_FORMAT_VERSION, uri: file.uri, version: file.version, scan, ...(index ? { indexed: { lines: index.lines, ...(alwaysRead !== undefined ? { alwaysRead } : {}) } } : {}) };
    // Write then rename, so a reader never sees half an entry.
    const temporary = `${target}.${process.pid}.${++this.writes}.tmp`;
    try {
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(temporary, JSON.stringify(head) + (index ? '\n' + JSON.stringify(index) : ''));
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true });
      throw new AuditLensError('data', `Could not write the scan cache in ${this.directory}`, String(error), { cause: error });
    }
  }

  async delete(file: Pick<AuditFile, 'uri'>): Promise<void> {
    await rm(this.entryPath(file), { force: true });
  }

  async clear(): Promise<void> {
    await rm(this.directory, { recursive: true, force: true });
  }
}

/** Entries parsed in this process, by file, with the file's modification time and size when read. */
const parsedEntries = new Map<string, { stamp: string; entry: CacheEntry | undefined }>();
/** About one notebook scope of files; the oldest is forgotten first. */
const PARSED_ENTRIES_KEPT = 4096;

function rememberEntry(entryPath: string, stamp: string, entry: CacheEntry | undefined): void {
  parsedEntries.delete(entryPath);
  parsedEntries.set(entryPath, { stamp, entry });
  if (parsedEntries.size > PARSED_ENTRIES_KEPT) parsedEntries.delete(parsedEntries.keys().next().value!);
}

function parseEntry(text: string): CacheEntry | undefined {
  const split = text.indexOf('\n');
  const head = parseHead(split < 0 ? text : text.slice(0, split));
  return head && entryOf(head, reviveScan(head.scan), split < 0 ? undefined : text.slice(split + 1));
}

/** The entry of a parsed head, given its revived scan and the text of its index line (if any). */
function entryOf(head: EntryHead, scan: FileScan, indexText: string | undefined): CacheEntry | undefined {
  let index: unknown;
  try {
    index = indexText === undefined ? undefined : JSON.parse(indexText);
  } catch {
    return undefined;
  }
  return { format: head.format, uri: head.uri, version: head.version, scan, ...(isIndex(index) ? { index } : {}) };
}

function parseHead(text: string): EntryHead | undefined {
  try {
    const value = JSON.parse(text) as Partial<EntryHead>;
    if (typeof value.format !== 'number' || typeof value.uri !== 'string' || typeof value.version !== 'string') return undefined;
    if (!isScan(value.scan)) return undefined;
    const indexed = value.indexed;
    if (indexed !== undefined && (typeof indexed !== 'object' || indexed === null || typeof indexed.lines !== 'number' || !['string', 'undefined'].includes(typeof indexed.alwaysRead))) return undefined;
    return value as EntryHead;
  } catch {
    return undefined;
  }
}

function isCurrent(entry: { format: number; uri: string; version: string }, file: Pick<AuditFile, 'uri' | 'version'>): boolean {
  return entry.format === SCAN_FORMAT_VERSION && entry.uri === file.uri && entry.version === file.version;
}

/**
 * Whether an entry's index (from `indexStart`) may hold a line the statement reads: it names, for each of the
 * statement's filters on a field indexed by value, one of its values, and for each prefix filter on
 * one, a value starting with the prefix (as the index's JSON spells them: escapes are per character,
 * so a key starting with the prefix starts with the prefix's JSON without its closing quote).
 * Filters on hashed fields cannot be told from the text.
 */
function mayHoldValues(entry: Buffer, indexStart: number, statement: IdentityStatement): boolean {
  const names = (text: string) => entry.indexOf(text, indexStart, 'utf8') >= 0;
  return (
    (statement.fields ?? []).every((field) => !isIdentityPath(field.path) || field.values.some((value) => names(JSON.stringify(value) + ':'))) &&
    (statement.fieldPrefixes ?? []).every((field) => !isIdentityPath(field.path) || names(JSON.stringify(field.prefix).slice(0, -1)))
  );
}

function withNarrowedIndex(entry: CacheEntry | undefined, statements: readonly IdentityStatement[]): { scan: FileScan; index?: LineIndex } | undefined {
  if (!entry) return undefined;
  const index = entry.index && narrowByIdentities(entry.index, statements);
  return { scan: entry.scan, ...(index ? { index } : {}) };
}

function isIndex(value: unknown): value is LineIndex {
  if (typeof value !== 'object' || value === null) return false;
  const index = value as Partial<LineIndex>;
  return typeof index.lines === 'number' && isStringMap(index.groups) && (index.identities === undefined || (typeof index.identities === 'object' && index.identities !== null && Object.entries(index.identities).every(([key, value]) => (key === 'requestIds' ? typeof value === 'string' : isStringMap(value)))));
}

function isStringMap(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && Object.values(value).every((v) => typeof v === 'string');
}

function isScan(value: unknown): value is FileScan {
  if (typeof value !== 'object' || value === null) return false;
  const scan = value as Partial<FileScan>;
  return typeof scan.records === 'number' && typeof scan.rejected === 'number' && typeof scan.services === 'object' && scan.services !== null;
}

/** Rebuilds the service map without prototypes, as scanFile makes it (after JSON or a worker message). */
export function reviveScan(scan: FileScan): FileScan {
  const services = Object.create(null) as ServiceCounts;
  for (const [service, actions] of Object.entries(scan.services)) {
    const into = (services[service] = Object.create(null) as Record<string, ActionCounts>);
    for (const [action, counts] of Object.entries(actions)) into[action] = { events: Number(counts.events), errors: Number(counts.errors) };
  }
  return { ...scan, services };
}
