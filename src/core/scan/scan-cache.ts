/**
 * On-disk cache of file scans. One JSON entry per file location (bucket + object name, or local
 * path), holding the version it was made from (GCS generation, or mtime+size): an unchanged file is
 * never read again; a rewritten one is, and its entry is replaced.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { AuditLensError } from '../errors';
import type { AuditFile } from '../sources/types';
import { SCAN_FORMAT_VERSION, type ActionCounts, type FileScan, type ServiceCounts } from './file-scan';
import type { LineIndex } from './line-index';

interface CacheEntry {
  format: number;
  uri: string;
  version: string;
  scan: FileScan;
  /** Where the file's lines are (absent when the file has a line the index cannot describe). */
  index?: LineIndex;
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
    if (!entry || entry.format !== SCAN_FORMAT_VERSION || entry.uri !== file.uri || entry.version !== file.version) return undefined;
    return entry;
  }

  async set(file: Pick<AuditFile, 'uri' | 'version'>, scan: FileScan, index?: LineIndex): Promise<void> {
    const target = this.entryPath(file);
    const entry: CacheEntry = { format: SCAN_FORMAT_VERSION, uri: file.uri, version: file.version, scan, ...(index ? { index } : {}) };
    // Write then rename, so a reader never sees half an entry.
    const temporary = `${target}.${process.pid}.${++this.writes}.tmp`;
    try {
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(temporary, JSON.stringify(entry));
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
  try {
    const value = JSON.parse(text) as Partial<CacheEntry>;
    if (typeof value.format !== 'number' || typeof value.uri !== 'string' || typeof value.version !== 'string') return undefined;
    if (!isScan(value.scan)) return undefined;
    const index = isIndex(value.index) ? { index: value.index } : {};
    return { format: value.format, uri: value.uri, version: value.version, scan: reviveScan(value.scan), ...index };
  } catch {
    return undefined;
  }
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
