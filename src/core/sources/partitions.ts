/**
 * A source's partitions one workspace at a time, so a caller can go through a tree of any width
 * holding no more than one workspace's dates and files.
 */
import { compareWorkspaceIds, isValidWorkspaceId, type PartitionFilter } from '../layout';
import type { WorkOptions } from '../progress';
import { mapWithConcurrency } from '../scan/concurrency';
import type { AuditFile, AuditSource } from './types';

/** Partition folders listed at once within a workspace. */
const PARTITION_CONCURRENCY = 8;

export interface DatePartition {
  date: string;
  files: AuditFile[];
}

/** Each date of one workspace that the filter selects, ascending, with its files in order. */
export async function listWorkspacePartitions(source: AuditSource, workspaceId: string, filter?: PartitionFilter, options?: WorkOptions): Promise<DatePartition[]> {
  const dates = await source.listDates(workspaceId, filter, options);
  return mapWithConcurrency(dates, async (date) => ({ date, files: await source.listPartitionFiles(workspaceId, date, options) }), {
    concurrency: PARTITION_CONCURRENCY,
    ...(options?.signal ? { signal: options.signal } : {}),
  });
}

/**
 * The workspaces the filter selects, sorted numerically. Named workspaces of a bucket need no
 * listing of its root (their prefixes are known; one with no dates simply lists none).
 */
export async function listSelectedWorkspaces(source: AuditSource, filter?: PartitionFilter, options?: WorkOptions): Promise<string[]> {
  const wanted = filter?.workspaces?.filter(isValidWorkspaceId) ?? [];
  if (source.kind === 'gcs' && wanted.length > 0) return [...new Set(wanted)].sort(compareWorkspaceIds);
  return source.listWorkspaces(filter, options);
}
