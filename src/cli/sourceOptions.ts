/** The options every data command shares: sources, partition filters and the GCS endpoint. */
import { checkFilter, type PartitionFilter } from '../core/layout';
import type { GcsTimeouts } from '../core/sources';
import { allValues, lastValue, usageError } from './args';
import type { CliArgs } from './command';

export const SOURCE_VALUE_OPTIONS = ['source', 'from', 'to', 'workspace', 'gcs-endpoint', 'gcs-timeout'] as const;

export const GCS_USAGE = `  --gcs-endpoint URL      custom Google Cloud Storage endpoint (emulators, test servers)
  --gcs-timeout SECONDS   longest wait for one GCS listing page or the next bytes of a download
                          (default 60); a whole listing may take 15 times as long`;

export const SOURCE_USAGE = `  --source <folder|gs://bucket/prefix>  where the audit logs are (repeatable; required)
  --from YYYY-MM-DD       first date to read (inclusive)
  --to YYYY-MM-DD         last date to read (inclusive)
  --workspace ID          read only this workspace (repeatable; 0 = account-level events)
${GCS_USAGE}`;

export interface SourceSelection {
  sources: string[];
  filter: PartitionFilter;
  gcsEndpoint?: string;
  gcs?: GcsTimeouts;
  /** `--allow-partial`: files that could not be read make a warning, not a failure. */
  allowPartial?: boolean;
  /** `--allow-empty`: a scope with no audit logs makes a warning, not a failure. */
  allowEmpty?: boolean;
  /** `--dedupe`: an event delivered twice is loaded once. */
  dedupe?: boolean;
  /** `--no-cache`: the record cache is neither read nor written. */
  noCache?: boolean;
  /** `--clear-cache`: the record cache is emptied before the load. */
  clearCache?: boolean;
}

/** The flags of commands that answer from loaded logs: what an incomplete or empty scope may pass for. */
export const EVIDENCE_FLAGS = ['allow-partial', 'allow-empty', 'dedupe'] as const;

export const CACHE_FLAGS = ['no-cache', 'clear-cache'] as const;

export const CACHE_USAGE = `  --no-cache              read every file, and keep nothing in the record cache (by default
                          the records a load put in the table are kept on disk, private to
                          you, and the next load of the same kind reads only the files that
                          are new or changed since, by generation or size and modification time)
  --clear-cache           empty the record cache first (then load, and keep, as usual)`;

export const EVIDENCE_USAGE = `  --allow-partial         answer from the files that could be read and exit as usual
                          (default: files that exist but could not be read, for a denied
                          permission or a failed download, make the run exit 1)
  --allow-empty           a scope with no audit logs is not an error (default: exit 1, since
                          a mistyped prefix or a day not delivered yet is not a clean day)
  --dedupe                load an event delivered twice once (same requestId, timestamp,
                          serviceName and actionName; two delivery configurations, say)`;

/** The scope a selection names, for messages: its sources, then its dates and workspaces. */
export function describeSelection(selection: SourceSelection): string {
  const { from, to, workspaces } = selection.filter;
  const dates = from && to ? (from === to ? ` on ${from}` : ` from ${from} to ${to}`) : from ? ` from ${from}` : to ? ` up to ${to}` : '';
  const only = workspaces?.length ? ` in workspace${workspaces.length === 1 ? '' : 's'} ${workspaces.join(', ')}` : '';
  return `${selection.sources.join(', ')}${dates}${only}`;
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
  const gcs = gcsTimeouts(args, hint);
  return {
    sources,
    filter,
    ...(gcsEndpoint ? { gcsEndpoint } : {}),
    ...(gcs ? { gcs } : {}),
    ...(args.flags.has('allow-partial') ? { allowPartial: true } : {}),
    ...(args.flags.has('allow-empty') ? { allowEmpty: true } : {}),
    ...(args.flags.has('dedupe') ? { dedupe: true } : {}),
    ...(args.flags.has('no-cache') ? { noCache: true } : {}),
    ...(args.flags.has('clear-cache') ? { clearCache: true } : {}),
  };
}

/** `--gcs-timeout SECONDS` as the sources' network bounds, or undefined for the defaults. */
export function gcsTimeouts(args: CliArgs, hint: string): GcsTimeouts | undefined {
  const text = lastValue(args, 'gcs-timeout');
  if (text === undefined) return undefined;
  const seconds = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !(seconds > 0)) throw usageError(`--gcs-timeout '${text}' is not a positive number of seconds.`, hint);
  return { idleTimeoutMs: Math.round(seconds * 1000) };
}

/** A positive integer option, or the default. */
export function positiveInteger(args: CliArgs, name: string, fallback: number, hint: string): number {
  const text = lastValue(args, name);
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < 1) throw usageError(`--${name} '${text}' is not a positive whole number.`, hint);
  return Number(text);
}
