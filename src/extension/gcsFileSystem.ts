/**
 * Read-only `gs:` file system: gs://bucket/path opens in a normal editor tab. Objects are files,
 * prefixes (listed with a `/` delimiter) are folders. Writes are refused.
 */
import * as vscode from 'vscode';
import type { Storage } from '@google-cloud/storage';
import { AuditLensError } from '../core/errors';
import { createStorageClient, resolveEndpoint, toGcsError } from '../core/sources/gcs';
import { bounded, formatSeconds, guardedChunks } from '../core/sources/gcs/deadline';
import type { GcsErrorContext } from '../core/sources/gcs/errors';
import { listAll } from '../core/sources/gcs/listing';
import type { ExtensionServices } from './services';
import { uiText } from './untrustedText';

export const GS_SCHEME = 'gs';

interface ObjectRef {
  bucket: string;
  /** Object name, or '' for the bucket's root. */
  name: string;
}

function refOf(uri: vscode.Uri): ObjectRef {
  return { bucket: uri.authority, name: uri.path.replace(/^\/+/, '') };
}

function noAnswer(uri: vscode.Uri, timeoutMs: number): AuditLensError {
  return new AuditLensError('network', `${uri.toString()} got no answer within ${formatSeconds(timeoutMs)}. Check the connection (or the endpoint) and try again.`);
}

export class GcsFileSystemProvider implements vscode.FileSystemProvider {
  private readonly emitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.emitter.event;
  private client: { endpoint: string | undefined; storage: Promise<Storage> } | undefined;

  constructor(private readonly services: ExtensionServices) {}

  private get idleTimeoutMs(): number {
    return this.services.settings.gcsTimeout * 1000;
  }

  private storage(): Promise<Storage> {
    const endpoint = this.services.settings.gcsEndpoint;
    if (!this.client || this.client.endpoint !== endpoint) {
      this.client = { endpoint, storage: createStorageClient({ endpoint }) };
    }
    return this.client.storage;
  }

  private context(ref: ObjectRef, operation: GcsErrorContext['operation']): GcsErrorContext {
    const endpoint = resolveEndpoint({ endpoint: this.services.settings.gcsEndpoint });
    return { operation, bucket: ref.bucket, name: ref.name, customEndpoint: endpoint !== undefined, endpoint };
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const ref = refOf(uri);
    if (ref.name === '' || ref.name.endsWith('/')) return directoryStat();
    const bucket = (await this.storage()).bucket(ref.bucket);
    try {
      const [metadata] = await bounded(bucket.file(ref.name).getMetadata(), this.idleTimeoutMs, () => noAnswer(uri, this.idleTimeoutMs));
      return {
        type: vscode.FileType.File,
        size: Number(metadata.size ?? 0),
        ctime: Date.parse(String(metadata.timeCreated ?? '')) || 0,
        mtime: Date.parse(String(metadata.updated ?? '')) || 0,
        permissions: vscode.FilePermission.Readonly,
      };
    } catch (error) {
      const failure = toGcsError(error, this.context(ref, 'read'));
      if (failure.code !== 'not-found') throw this.fsError(failure, uri);
    }
    // No object by that name: it is a folder when objects sit below it.
    const page = await listAll(bucket, { prefix: `${ref.name}/`, delimiter: '/', maxResults: 1 }, { maxPages: 1, idleTimeoutMs: this.idleTimeoutMs }).catch((error: unknown) => {
      throw this.fsError(toGcsError(error, this.context(ref, 'list')), uri);
    });
    if (page.objects.length > 0 || page.prefixes.length > 0) return directoryStat();
    throw vscode.FileSystemError.FileNotFound(uri);
  }

  async readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
    const ref = refOf(uri);
    const prefix = ref.name === '' || ref.name.endsWith('/') ? ref.name : `${ref.name}/`;
    const bucket = (await this.storage()).bucket(ref.bucket);
    const entries: [string, vscode.FileType][] = [];
    try {
      // Bounded waits, checked pages, and no endless paging: the same listing the sources use.
      const page = await listAll(bucket, { prefix, delimiter: '/' }, { idleTimeoutMs: this.idleTimeoutMs });
      for (const object of page.objects) {
        const name = object.name.slice(prefix.length);
        if (name !== '') entries.push([name, vscode.FileType.File]);
      }
      for (const sub of page.prefixes) entries.push([sub.slice(prefix.length).replace(/\/$/, ''), vscode.FileType.Directory]);
    } catch (error) {
      throw this.fsError(toGcsError(error, this.context(ref, 'list')), uri);
    }
    return entries;
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const ref = refOf(uri);
    const file = (await this.storage()).bucket(ref.bucket).file(ref.name);
    const chunks: Buffer[] = [];
    try {
      const stalled = (received: number): AuditLensError =>
        new AuditLensError('network', `The download of ${uri.toString()} stalled (${received} bytes received). The connection was cut or is too slow; try again.`);
      for await (const chunk of guardedChunks(file.createReadStream({ validation: false }), this.idleTimeoutMs, stalled)) chunks.push(chunk);
    } catch (error) {
      throw this.fsError(toGcsError(error, this.context(ref, 'read')), uri);
    }
    return Buffer.concat(chunks);
  }

  createDirectory(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  writeFile(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  delete(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  rename(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  private fsError(error: AuditLensError, uri: vscode.Uri): vscode.FileSystemError {
    this.services.log.warn(`${uri.toString()}: ${error.userMessage}${error.detail ? ` (${error.detail})` : ''}`);
    if (error.code === 'not-found') return vscode.FileSystemError.FileNotFound(uri);
    if (error.code === 'permission-denied' || error.code === 'no-credentials') return vscode.FileSystemError.NoPermissions(uiText(error.userMessage));
    if (error.code === 'network') return vscode.FileSystemError.Unavailable(uiText(error.userMessage));
    return new vscode.FileSystemError(uiText(error.userMessage));
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

function directoryStat(): vscode.FileStat {
  return { type: vscode.FileType.Directory, size: 0, ctime: 0, mtime: 0, permissions: vscode.FilePermission.Readonly };
}

export function registerGcsFileSystem(services: ExtensionServices): vscode.Disposable {
  const provider = new GcsFileSystemProvider(services);
  return vscode.Disposable.from(
    provider,
    vscode.workspace.registerFileSystemProvider(GS_SCHEME, provider, { isCaseSensitive: true, isReadonly: true }),
  );
}
