/** A local folder laid out like the bucket (what `gsutil rsync` produces). */
import { constants, type Stats } from 'node:fs';
import { lstat, open, readdir, stat, type FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import { AuditLensError, throwIfCancelled } from '../errors';
import {
  compareWorkspaceIds,
  dateInRange,
  parseDateSegment,
  parseObjectPath,
  parseWorkspaceSegment,
  workspaceSelected,
  type PartitionFilter,
} from '../layout';
import type { WorkOptions } from '../progress';
import { mapWithConcurrency } from '../scan/concurrency';
import type { SkippedKind } from './skipped';
import type { AuditFile, AuditSource, ByteRange, ReadOptions } from './types';

/** Partition folders read at once while listing. */
const LISTING_CONCURRENCY = 8;

/** The part of the delivery layout a folder or file inside it names. */
export interface LayoutScope {
  workspaceId?: string;
  date?: string;
  fileName?: string;
}

/**
 * Where a path sits in the delivery layout, by its names: a `workspaceId=<id>` folder, a
 * `date=<d>` folder below one, or a delivered file below both stand for the tree above them,
 * narrowed to that workspace, date or file (as Spark reads any of them). Any other path is a root.
 */
export function locateInLayout(target: string): { root: string; scope: LayoutScope } {
  const full = path.resolve(target);
  const [name, parent, grandparent] = [full, path.dirname(full), path.dirname(path.dirname(full))].map((p) => path.basename(p));
  const workspaceOf = (segment: string | undefined) => (segment === undefined ? undefined : parseWorkspaceSegment(segment));
  const fileDate = parseDateSegment(parent!);
  if (fileDate !== undefined && workspaceOf(grandparent) !== undefined && parseObjectPath(`${grandparent}/${parent}/${name}`, '').ok) {
    return { root: path.dirname(path.dirname(path.dirname(full))), scope: { workspaceId: workspaceOf(grandparent), date: fileDate, fileName: name } };
  }
  const date = parseDateSegment(name!);
  if (date !== undefined && workspaceOf(parent) !== undefined) {
    return { root: path.dirname(path.dirname(full)), scope: { workspaceId: workspaceOf(parent), date } };
  }
  const workspaceId = workspaceOf(name);
  if (workspaceId !== undefined) return { root: path.dirname(full), scope: { workspaceId } };
  return { root: full, scope: {} };
}

/** Folders searched below a root without `workspaceId=` folders, for a hint at the right one. */
const PREFIX_SEARCH_DEPTH = 3;

export class LocalFolderSource implements AuditSource {
  readonly kind = 'local' as const;
  readonly uri: string;
  /** The workspace, date or file the user pointed at inside the layout; empty for a root. */
  readonly scope: LayoutScope;
  private readonly target: string;

  constructor(target: string) {
    const { root, scope } = locateInLayout(target);
    this.uri = root;
    this.scope = scope;
    this.target = path.resolve(target);
  }

  async listWorkspaces(filter?: PartitionFilter, options?: WorkOptions): Promise<string[]> {
    throwIfCancelled(options?.signal);
    const ids: string[] = [];
    if (this.target !== this.uri) {
      // The folder or file named inside the layout must exist, as a root must.
      await stat(this.target).catch((error: NodeJS.ErrnoException) => {
        throw new AuditLensError('not-found', `${error.code === 'ENOENT' ? 'Not found' : 'Cannot read'}: ${this.target}`, String(error));
      });
    }
    const names = await this.readFolder(this.uri, true);
    const layoutRoot = names.some((name) => parseWorkspaceSegment(name) !== undefined);
    for (const name of names) {
      const id = parseWorkspaceSegment(name);
      if (id === undefined && layoutRoot && name.startsWith('workspaceId=')) options?.onSkipped?.({ kind: 'not-workspace', path: path.join(this.uri, name) });
      if (id !== undefined && workspaceSelected(id, filter) && (this.scope.workspaceId === undefined || id === this.scope.workspaceId)) ids.push(id);
    }
    if (!layoutRoot) await this.rejectPrefixAbove(options);
    return ids.sort(compareWorkspaceIds);
  }

  /**
   * A root with no `workspaceId=` folders is an empty bucket copy, or the folder above the delivery
   * prefix: in that case name the folder that holds the layout.
   */
  private async rejectPrefixAbove(options?: WorkOptions): Promise<void> {
    let level = [this.uri];
    for (let depth = 1; depth <= PREFIX_SEARCH_DEPTH && level.length > 0; depth++) {
      const next: string[] = [];
      for (const folder of level) {
        throwIfCancelled(options?.signal);
        const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
        for (const entry of entries) {
          // Symbolic links are followed, as the listing follows them; the depth bounds any loop.
          if (!entry.isDirectory() && !entry.isSymbolicLink()) continue;
          if (parseWorkspaceSegment(entry.name) !== undefined && folder !== this.uri) {
            throw new AuditLensError(
              'not-found',
              `${this.uri} holds no workspaceId=… folders, but ${folder} does: point the source at that folder (the delivery path prefix).`,
              `found ${path.join(folder, entry.name)}`,
            );
          }
          next.push(path.join(folder, entry.name));
        }
      }
      level = next;
    }
  }

  async listDates(workspaceId: string, filter?: PartitionFilter, options?: WorkOptions): Promise<string[]> {
    throwIfCancelled(options?.signal);
    const dates: string[] = [];
    const folder = path.join(this.uri, `workspaceId=${workspaceId}`);
    for (const name of await this.readFolder(folder, false, options)) {
      const date = parseDateSegment(name);
      if (date === undefined && this.scope.date === undefined) options?.onSkipped?.({ kind: 'not-date', path: path.join(folder, name) });
      if (date !== undefined && dateInRange(date, filter?.from, filter?.to) && (this.scope.date === undefined || date === this.scope.date)) dates.push(date);
    }
    return dates.sort();
  }

  async listPartitionFiles(workspaceId: string, date: string, options?: WorkOptions): Promise<AuditFile[]> {
    throwIfCancelled(options?.signal);
    const relativeDir = `workspaceId=${workspaceId}/date=${date}`;
    const files: AuditFile[] = [];
    const names = (await this.readFolder(path.join(this.uri, relativeDir), false, options)).sort().filter((name) => this.scope.fileName === undefined || name === this.scope.fileName);
    // Look the folder's entries up at once (a delivery folder holds a handful), then take them in order.
    const entries = await Promise.all(names.map((name) => examine(path.join(this.uri, relativeDir, name))));
    for (const [k, name] of names.entries()) {
      const relativePath = `${relativeDir}/${name}`;
      const full = path.join(this.uri, relativePath);
      const entry = entries[k]!;
      if (entry.kind === 'vanished') continue;
      if (entry.kind === 'folder') {
        options?.onSkipped?.({ kind: 'nested-folder', path: full });
        continue;
      }
      if (!parseObjectPath(relativePath, '').ok) {
        options?.onSkipped?.({ kind: 'not-audit-file', path: full });
        continue;
      }
      if (entry.kind === 'skipped') {
        options?.onSkipped?.({ kind: entry.why, path: full });
        continue;
      }
      const info = entry.info;
      files.push({
        sourceUri: this.uri,
        uri: full,
        relativePath,
        workspaceId,
        date,
        size: info.size,
        version: `${Math.trunc(info.mtimeMs)}-${info.size}`,
        updated: Math.trunc(info.mtimeMs),
        // A file system without inode numbers reports 0: the file is then known by its resolved path.
        ...(info.ino > 0 ? { identity: `${info.dev}:${info.ino}` } : {}),
      });
    }
    return files;
  }

  async listFiles(filter?: PartitionFilter, options?: WorkOptions): Promise<AuditFile[]> {
    const partitions: { workspaceId: string; date: string }[] = [];
    for (const workspaceId of await this.listWorkspaces(filter, options)) {
      for (const date of await this.listDates(workspaceId, filter, options)) partitions.push({ workspaceId, date });
    }
    // Several partition folders are read at once; the files come out in partition order.
    const listed = await mapWithConcurrency(partitions, ({ workspaceId, date }) => this.listPartitionFiles(workspaceId, date, options), { concurrency: LISTING_CONCURRENCY, ...(options?.signal ? { signal: options.signal } : {}) });
    return listed.flat();
  }

  async *openRead(file: AuditFile, options?: ReadOptions): AsyncIterable<Uint8Array> {
    throwIfCancelled(options?.signal);
    const range = options?.range;
    if (range && range.end <= range.start) return;
    if (range) {
      yield await readRange(file, range, options?.signal, options?.scratch);
      return;
    }
    let stream: ReturnType<FileHandle['createReadStream']> | undefined;
    try {
      const handle = await openRegularFile(file);
      stream = handle.createReadStream({ highWaterMark: 1024 * 1024, ...(options?.signal ? { signal: options.signal } : {}) });
      for await (const chunk of stream) yield chunk as Buffer;
    } catch (error) {
      throw readError(file, error, options?.signal);
    } finally {
      stream?.destroy();
    }
  }

  /** A folder's entries. Below the root, one that may not be read is skipped (and said), not fatal. */
  private async readFolder(folder: string, isRoot: boolean, options?: WorkOptions): Promise<string[]> {
    try {
      const entries = await readdir(folder, { withFileTypes: true });
      return entries.map((e) => e.name);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && !isRoot) return [];
      if (code === 'ENOENT') throw new AuditLensError('not-found', `Folder not found: ${folder}`, String(error));
      if (code === 'ENOTDIR') {
        throw new AuditLensError(
          'not-found',
          `Not a folder: ${folder}. A source is a folder laid out like the bucket (workspaceId=…/date=…/auditlogs_….json), or a folder or file inside that layout; 'audit-lens validate' checks any single file.`,
          String(error),
        );
      }
      if ((code === 'EACCES' || code === 'EPERM') && !isRoot) {
        options?.onSkipped?.({ kind: 'unreadable-folder', path: folder });
        return [];
      }
      if (code === 'EACCES' || code === 'EPERM') {
        throw new AuditLensError('permission-denied', `Permission denied reading ${folder}`, String(error));
      }
      throw AuditLensError.from(error, 'data');
    }
  }
}

/** What a folder entry is, looked up without opening it: a pipe or a device must never be opened. */
type Entry =
  | { kind: 'file'; info: Stats }
  | { kind: 'folder' }
  | { kind: 'skipped'; why: Extract<SkippedKind, 'broken-link' | 'not-regular-file' | 'unexaminable-file'> }
  /** Gone between the folder's listing and the look-up: not there, as if listed a moment later. */
  | { kind: 'vanished' };

async function examine(full: string): Promise<Entry> {
  let info: Stats;
  try {
    info = await stat(full);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const link = await lstat(full).catch(() => undefined);
    if (link === undefined) return { kind: 'vanished' };
    if (link.isSymbolicLink() && (code === 'ENOENT' || code === 'ELOOP' || code === 'ENOTDIR')) return { kind: 'skipped', why: 'broken-link' };
    return { kind: 'skipped', why: 'unexaminable-file' };
  }
  if (info.isDirectory()) return { kind: 'folder' };
  if (!info.isFile()) return { kind: 'skipped', why: 'not-regular-file' };
  return { kind: 'file', info };
}

/**
 * Opens a listed file for reading, checking it is still a regular file: the open does not wait
 * (a pipe put in its place would block it), and a pipe or device is closed unread.
 */
async function openRegularFile(file: AuditFile): Promise<FileHandle> {
  const handle = await open(file.uri, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  const info = await handle.stat().catch(async (error: unknown) => {
    await handle.close();
    throw error;
  });
  if (info.isFile()) return handle;
  await handle.close();
  throw new AuditLensError('data', `${file.uri} is no longer a regular file (a pipe, device or folder took its place): it was not read`);
}

function readError(file: AuditFile, error: unknown, signal?: AbortSignal): AuditLensError {
  if (signal?.aborted) return AuditLensError.from(signal.reason ?? error);
  if (error instanceof AuditLensError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new AuditLensError('not-found', `${file.uri} vanished before it could be read`, String(error));
  if (code === 'EACCES' || code === 'EPERM') return new AuditLensError('permission-denied', `Permission denied reading ${file.uri}`, String(error));
  return new AuditLensError('data', `Could not read ${file.uri}: ${(error as Error).message}`, String(error));
}

/** One positioned read of a range into one buffer (no stream, no copies); shorter at the file's end. */
async function readRange(file: AuditFile, range: ByteRange, signal?: AbortSignal, scratch?: Buffer): Promise<Buffer> {
  let handle: FileHandle | undefined;
  try {
    handle = await openRegularFile(file);
    const length = range.end - range.start;
    const buffer = scratch && scratch.length >= length ? scratch.subarray(0, length) : Buffer.allocUnsafe(length);
    let filled = 0;
    while (filled < buffer.length) {
      throwIfCancelled(signal);
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, range.start + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return buffer.subarray(0, filled);
  } catch (error) {
    throw readError(file, error, signal);
  } finally {
    await handle?.close();
  }
}
