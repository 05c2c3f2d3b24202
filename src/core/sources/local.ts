/** A local folder laid out like the bucket (what `gsutil rsync` produces). */
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
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
import type { AuditFile, AuditSource } from './types';

export class LocalFolderSource implements AuditSource {
  readonly kind = 'local' as const;
  readonly uri: string;

  constructor(root: string) {
    this.uri = path.resolve(root);
  }

  async listWorkspaces(filter?: PartitionFilter, options?: WorkOptions): Promise<string[]> {
    throwIfCancelled(options?.signal);
    const ids: string[] = [];
    for (const name of await this.readFolder(this.uri, true)) {
      const id = parseWorkspaceSegment(name);
      if (id !== undefined && workspaceSelected(id, filter)) ids.push(id);
    }
    return ids.sort(compareWorkspaceIds);
  }

  async listDates(workspaceId: string, filter?: PartitionFilter, options?: WorkOptions): Promise<string[]> {
    throwIfCancelled(options?.signal);
    const dates: string[] = [];
    for (const name of await this.readFolder(path.join(this.uri, `workspaceId=${workspaceId}`), false)) {
      const date = parseDateSegment(name);
      if (date !== undefined && dateInRange(date, filter?.from, filter?.to)) dates.push(date);
    }
    return dates.sort();
  }

  async listPartitionFiles(workspaceId: string, date: string, options?: WorkOptions): Promise<AuditFile[]> {
    throwIfCancelled(options?.signal);
    const relativeDir = `workspaceId=${workspaceId}/date=${date}`;
    const files: AuditFile[] = [];
    for (const name of (await this.readFolder(path.join(this.uri, relativeDir), false)).sort()) {
      const relativePath = `${relativeDir}/${name}`;
      const parsed = parseObjectPath(relativePath, '');
      if (!parsed.ok) continue;
      const full = path.join(this.uri, relativePath);
      const info = await stat(full).catch(() => undefined);
      if (!info?.isFile()) continue;
      files.push({
        sourceUri: this.uri,
        uri: full,
        relativePath,
        workspaceId,
        date,
        size: info.size,
        version: `${Math.trunc(info.mtimeMs)}-${info.size}`,
      });
    }
    return files;
  }

  async listFiles(filter?: PartitionFilter, options?: WorkOptions): Promise<AuditFile[]> {
    const files: AuditFile[] = [];
    for (const workspaceId of await this.listWorkspaces(filter, options)) {
      for (const date of await this.listDates(workspaceId, filter, options)) {
        files.push(...(await this.listPartitionFiles(workspaceId, date, options)));
      }
    }
    return files;
  }

  async *openRead(file: AuditFile, options?: WorkOptions): AsyncIterable<Uint8Array> {
    throwIfCancelled(options?.signal);
    const stream = createReadStream(file.uri, { highWaterMark: 1024 * 1024, signal: options?.signal });
    try {
      for await (const chunk of stream) yield chunk as Buffer;
    } catch (error) {
      throw readError(file, error, options?.signal);
    } finally {
      stream.destroy();
    }
  }

  private async readFolder(folder: string, isRoot: boolean): Promise<string[]> {
    try {
      const entries = await readdir(folder, { withFileTypes: true });
      return entries.map((e) => e.name);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && !isRoot) return [];
      if (code === 'ENOENT') throw new AuditLensError('not-found', `Folder not found: ${folder}`, String(error));
      if (code === 'ENOTDIR') throw new AuditLensError('not-found', `Not a folder: ${folder}`, String(error));
      if (code === 'EACCES' || code === 'EPERM') {
        throw new AuditLensError('permission-denied', `Permission denied reading ${folder}`, String(error));
      }
      throw AuditLensError.from(error, 'data');
    }
  }
}

function readError(file: AuditFile, error: unknown, signal?: AbortSignal): AuditLensError {
  if (signal?.aborted) return AuditLensError.from(signal.reason ?? error);
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new AuditLensError('not-found', `${file.uri} vanished before it could be read`, String(error));
  return new AuditLensError('data', `Could not read ${file.uri}: ${(error as Error).message}`, String(error));
}
