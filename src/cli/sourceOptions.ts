/** The options every data command shares: sources, partition filters and the GCS endpoint. */
import { checkFilter, type PartitionFilter } from '../core/layout';
import { allValues, lastValue, usageError } from './args';
import type { CliArgs } from './command';

export const SOURCE_VALUE_OPTIONS = ['source', 'from', 'to', 'workspace', 'gcs-endpoint'] as const;

export const SOURCE_USAGE = `  --source <folder|gs://bucket/prefix>  where the audit logs are (repeatable; required)
  --from YYYY-MM-DD       first date to read (inclusive)
  --to YYYY-MM-DD         last date to read (inclusive)
  --workspace ID          read only this workspace (repeatable; 0 = account-level events)
  --gcs-endpoint URL      custom Google Cloud Storage endpoint (emulators, test servers)`;

export interface SourceSelection {
  sources: string[];
  filter: PartitionFilter;
  gcsEndpoint?: string;
}

export function sourceSelection(args: CliArgs, hint: string): SourceSelection {
  const sources = allValues(args, 'source');
  if (sources.length === 0) throw usageError('Missing --source <folder|gs://bucket/prefix>.', hint);
  for (const s of sources) if (s.trim() === '') throw usageError('--source needs a folder or gs:// URI.', hint);
  const workspaces = allValues(args, 'workspace');
  const filter: PartitionFilter = {
    from: lastValue(args, 'from'),
    to: lastValue(args, 'to'),
    ...(workspaces.length > 0 ? { workspaces } : {}),
  };
  const problem = checkFilter(filter);
  if (problem) throw usageError(`${problem[0]!.toUpperCase()}${problem.slice(1)}.`, hint);
  const gcsEndpoint = lastValue(args, 'gcs-endpoint');
  return { sources, filter, ...(gcsEndpoint ? { gcsEndpoint } : {}) };
}

/** A positive integer option, or the default. */
export function positiveInteger(args: CliArgs, name: string, fallback: number, hint: string): number {
  const text = lastValue(args, name);
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < 1) throw usageError(`--${name} '${text}' is not a positive whole number.`, hint);
  return Number(text);
}
