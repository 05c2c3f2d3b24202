/**
 * The cheap listing a watch polls: for each workspace, only its newest date folders (where
 * deliveries land, and where late files and rewrites appear), each file with its version.
 */
import { throwIfCancelled } from '../errors';
import type { PartitionFilter } from '../layout';
import type { WorkOptions } from '../progress';
import type { AuditFile, AuditSource } from '../sources/types';

/** Date folders per workspace a poll lists: today's and yesterday's (a delivery may land late). */
export const NEWEST_DATES = 2;

export async function newestFiles(source: AuditSource, filter: PartitionFilter = {}, options: WorkOptions = {}, dates = NEWEST_DATES): Promise<AuditFile[]> {
  const files: AuditFile[] = [];
  for (const workspaceId of await source.listWorkspaces(filter, options)) {
    throwIfCancelled(options.signal);
    const newest = (await source.listDates(workspaceId, filter, options)).slice(-dates);
    for (const date of newest) files.push(...(await source.listPartitionFiles(workspaceId, date, options)));
  }
  return files;
}
