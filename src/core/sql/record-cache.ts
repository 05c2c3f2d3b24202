/**
 * The record cache: what a load put in the table, kept on disk so the next load of the same
 * shape (sources, prefilter, columns, slices) starts from it and reads only the files that are
 * new or changed. One entry per shape: a manifest (each file's version, its rows' place in the
 * table and what reading it found) and the database image, in one file written at once. The
 * folder is private to the user (0700, entries 0600): entries hold log records. Entries not used
 * for longest go first when the cache passes its size.
 */
import { createHash } from 'node:crypto';
import { chmod, mkdir, open, readdir, rename, rm, stat, utimes, type FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import type { FileLoad } from './loader';

/** Bumped when the manifest or the way rows are laid out changes: older entries are then ignored. */
const FORMAT = 1;
const SUFFIX = '.records';
const HEAD_BYTES = 4;
/** Default bound of the whole cache. */
export const DEFAULT_RECORD_CACHE_BYTES = 4 * 1024 ** 3;

/** What one version of a file contributed to the table (its rows' rowids, none when last < first); its problems are reported again whenever it is served. */
export interface CachedFile extends FileLoad {
  uri: string;
  version: string;
}

export interface RecordCacheManifest {
  format: number;
  shape: string;
  files: CachedFile[];
  /** The records the scan cache counted in these files when the entry was written (a load served whole reports it). */
  recordsInScope?: number;
}

export interface RecordCacheEntry {
  manifest: RecordCacheManifest;
  image: Uint8Array;
}

/** Ranges of an entry read at once: an image of a quarter of a GiB reads in about 0.11 s so, 0.17 s in one run of reads. */
const READ_RANGES = 4;
const READ_CHUNK_BYTES = 16 * 1024 ** 2;

/** The whole file, its ranges read side by side; throws when it ends early (it never changes in place: entries are replaced whole). */
async function readWhole(handle: FileHandle): Promise<Buffer> {
  const { size } = await handle.stat();
  const bytes = Buffer.allocUnsafe(size);
  const range = Math.ceil(size / READ_RANGES);
  await Promise.all(
    Array.from({ length: READ_RANGES }, async (_, i) => {
      const end = Math.min(size, (i + 1) * range);
      for (let at = i * range; at < end; ) {
        const { bytesRead } = await handle.read(bytes, at, Math.min(READ_CHUNK_BYTES, end - at), at);
        if (bytesRead === 0) throw new Error('the entry ended before its size');
        at += bytesRead;
      }
    }),
  );
  return bytes;
}

export class RecordCache {
  constructor(
    readonly directory: string,
    private readonly maxBytes: number = DEFAULT_RECORD_CACHE_BYTES,
  ) {}

  /** The key of a load's shape: the same text for every load whose rows per file are the same. */
  static shapeKey(shape: unknown): string {
    return createHash('sha256').update(JSON.stringify({ format: FORMAT, shape })).digest('hex');
  }

  private entryPath(shapeKey: string): string {
    return path.join(this.directory, `${shapeKey}${SUFFIX}`);
  }

  /** The entry of this shape, or undefined (none, unreadable, or of another format); marks it used. */
  async get(shapeKey: string): Promise<RecordCacheEntry | undefined> {
    const file = this.entryPath(shapeKey);
    let bytes: Buffer;
    try {
      const handle = await open(file, 'r');
      try {
        bytes = await readWhole(handle);
      } finally {
        await handle.close();
      }
    } catch {
      return undefined;
    }
    if (bytes.length < HEAD_BYTES) return undefined;
    const headLength = bytes.readUInt32LE(0);
    if (HEAD_BYTES + headLength > bytes.length) return undefined;
    let manifest: RecordCacheManifest;
    try {
      manifest = JSON.parse(bytes.toString('utf8', HEAD_BYTES, HEAD_BYTES + headLength)) as RecordCacheManifest;
    } catch {
      return undefined;
    }
    if (manifest.format !== FORMAT || manifest.shape !== shapeKey || !Array.isArray(manifest.files)) return undefined;
    const now = new Date();
    await utimes(file, now, now).catch(() => undefined);
    return { manifest, image: bytes.subarray(HEAD_BYTES + headLength) };
  }

  /**
   * Writes the entry of a shape at once (readers see the old one or the new one), then keeps the
   * cache within its size. Returns whether it was written: one bigger than the cache is not (and
   * an older one of the shape, now stale, goes).
   */
  async put(shapeKey: string, files: readonly CachedFile[], image: Uint8Array, recordsInScope?: number): Promise<boolean> {
    if (image.length > this.maxBytes) {
      await this.delete(shapeKey);
      return false;
    }
    await this.ensureDirectory();
    const manifest: RecordCacheManifest = { format: FORMAT, shape: shapeKey, files: [...files], ...(recordsInScope === undefined ? {} : { recordsInScope }) };
    const head = Buffer.from(JSON.stringify(manifest), 'utf8');
    const length = Buffer.alloc(HEAD_BYTES);
    length.writeUInt32LE(head.length, 0);
    const file = this.entryPath(shapeKey);
    const temporary = `${file}.${process.pid}.${Date.now()}.partial`;
    try {
      const handle = await open(temporary, 'wx', 0o600);
      try {
        await handle.writev([length, head, image]);
      } finally {
        await handle.close();
      }
      await rename(temporary, file);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    await this.evict(file);
    return true;
  }

  /** Forgets the entry of a shape. */
  async delete(shapeKey: string): Promise<void> {
    await rm(this.entryPath(shapeKey), { force: true });
  }

  /** Removes every entry; returns how many bytes they held. */
  async clear(): Promise<number> {
    const entries = await this.entries();
    await rm(this.directory, { recursive: true, force: true });
    return entries.reduce((sum, entry) => sum + entry.size, 0);
  }

  /** The entries, least recently used first. */
  async entries(): Promise<{ file: string; size: number; used: number }[]> {
    let names: string[];
    try {
      names = await readdir(this.directory);
    } catch {
      return [];
    }
    const found = await Promise.all(
      names
        .filter((name) => name.endsWith(SUFFIX))
        .map(async (name) => {
          const file = path.join(this.directory, name);
          const info = await stat(file).catch(() => undefined);
          return info && { file, size: info.size, used: info.mtimeMs };
        }),
    );
    return found.filter((entry) => entry !== undefined).sort((a, b) => a.used - b.used);
  }

  /** Drops the least recently used entries (never `keep`) until the cache is within its size. */
  private async evict(keep: string): Promise<void> {
    const entries = await this.entries();
    let total = entries.reduce((sum, entry) => sum + entry.size, 0);
    for (const entry of entries) {
      if (total <= this.maxBytes) break;
      if (entry.file === keep) continue;
      await rm(entry.file, { force: true });
      total -= entry.size;
    }
  }

  private async ensureDirectory(): Promise<void> {
    await mkdir(this.directory, { recursive: true, mode: 0o700 });
    // A folder made before (or by another tool) may be open to others: entries hold log records.
    await chmod(this.directory, 0o700);
  }
}
