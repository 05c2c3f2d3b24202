import type { PartitionFilter } from '../layout';
import type { WorkOptions } from '../progress';

/** One delivered audit-log file. */
export interface AuditFile {
  /** URI of the source it belongs to (`gs://bucket/prefix` or an absolute folder path). */
  sourceUri: string;
  /** Full location: `gs://bucket/object` or an absolute local path. */
  uri: string;
  /** Path below the source root: `workspaceId=<id>/date=<d>/auditlogs_<id>.json`. */
  relativePath: string;
  workspaceId: string;
  date: string;
  size: number;
  /** Identity of this version of the file: GCS generation, or mtime+size for a local file. */
  version: string;
  /** When this version was written (GCS update time, local mtime), epoch ms, when the source says. */
  updated?: number;
  /**
   * What makes two listings of it the same file, when the source learnt it while listing (a local
   * file's device and inode, the same through any link or hard link to it).
   */
  identity?: string;
}

/** Bytes `[start, end)` of a file. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface ReadOptions extends WorkOptions {
  /** Read only these bytes (a positioned read locally, a `Range` request on GCS). */
  range?: ByteRange;
  /**
   * With `range`: memory a source may read the range into when it is large enough, instead of a
   * new buffer (the chunks are then views of it, valid until the caller reads into it again).
   */
  scratch?: Buffer;
}

/** Where audit logs come from: a GCS bucket (with prefix) or a local folder laid out the same way. */
export interface AuditSource {
  readonly uri: string;
  readonly kind: 'gcs' | 'local';
  /** Workspace ids present under the source root, sorted numerically. */
  listWorkspaces(filter?: PartitionFilter, options?: WorkOptions): Promise<string[]>;
  /** Dates present for one workspace, ascending. */
  listDates(workspaceId: string, filter?: PartitionFilter, options?: WorkOptions): Promise<string[]>;
  /** Files of one partition. */
  listPartitionFiles(workspaceId: string, date: string, options?: WorkOptions): Promise<AuditFile[]>;
  /** Every file that the filter selects, listing only the prefixes it needs. */
  listFiles(filter?: PartitionFilter, options?: WorkOptions): Promise<AuditFile[]>;
  /** Streams a file's bytes (or a range of them), pinned to the listed version. Never buffers the whole file. */
  openRead(file: AuditFile, options?: ReadOptions): AsyncIterable<Uint8Array>;
}
