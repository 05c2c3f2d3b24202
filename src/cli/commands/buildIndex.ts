/**
 * `audit-lens index`: scans the selected files into the per-user scan cache the editor's tree
 * uses too (counts, line index, identity index), reading only files not scanned in their current
 * version. Later `query`, `detect` and the editor read by it.
 */
import { stat } from 'node:fs/promises';
import { defaultScanCacheDirectory, SCAN_CACHE_ENV } from '../../core/scan/cache-location';
import { countIdentities, IDENTITY_PATHS, type IdentityIndex, type IdentityPath } from '../../core/scan/identity-index';
import { mapWithConcurrency, ScanCache, scanFiles, type ScanFilesResult } from '../../core/scan';
import { openSource, type AuditFile } from '../../core/sources';
import { describeSkipped, type Skipped } from '../../core/sources/skipped';
import { usageError } from '../args';
import type { CliArgs, CliCommand, CliIo } from '../command';
import { write } from '../output';
import { formatListingNotes } from '../problems';
import { terminalProgress } from '../progress';
import { EXIT_OK } from '../report';
import { positiveInteger, SOURCE_USAGE, SOURCE_VALUE_OPTIONS, sourceSelection } from '../sourceOptions';
import { formatBytes } from '../../shared/text/quantities';

const HINT = "Run 'audit-lens index --help' for usage.";
const DEFAULT_CONCURRENCY = 4;

export interface IndexSummary {
  cacheDirectory: string;
  files: number;
  /** Files read now (new, or changed since their last scan). */
  scanned: number;
  /** Files whose current version was scanned before. */
  upToDate: number;
  /** Files that vanished or changed while being read. */
  skipped: number;
  /** Distinct values per indexed field, across the selected files. */
  identities: Record<IdentityPath, number>;
  dataBytes: number;
  /** Bytes of the selected files' cache entries (counts, line and identity indexes). */
  indexBytes: number;
  durationMs: number;
}

const FIELD_LABELS: Record<IdentityPath, string> = {
  'userIdentity.email': 'emails',
  'requestParams.user': 'attempted users',
  sourceIPAddress: 'IP addresses',
  sessionId: 'sessions',
};

function render(summary: IndexSummary): string {
  const share = summary.dataBytes > 0 ? ` (${((100 * summary.indexBytes) / summary.dataBytes).toFixed(1)}% of the data)` : '';
  const identities = IDENTITY_PATHS.map((path) => `${summary.identities[path].toLocaleString('en-US')} ${FIELD_LABELS[path]}`).join(', ');
  return [
    `${summary.files} ${summary.files === 1 ? 'file' : 'files'}: ${summary.scanned} scanned, ${summary.upToDate} up to date${summary.skipped > 0 ? `, ${summary.skipped} skipped (vanished or changed while read)` : ''}`,
    `identities: ${identities}`,
    `index: ${formatBytes(summary.indexBytes)} for ${formatBytes(summary.dataBytes)} of logs${share}`,
    `cache: ${summary.cacheDirectory}`,
    `took ${(summary.durationMs / 1000).toFixed(1)} s`,
  ].join('\n') + '\n';
}

/** The identity indexes and on-disk sizes of the scanned files' cache entries. */
async function describeEntries(cache: ScanCache, files: readonly AuditFile[]): Promise<{ identities: IdentityIndex[]; bytes: number }> {
  const found = await mapWithConcurrency(
    files,
    async (file) => {
      const index = await cache.getIndex(file);
      const size = await stat(cache.entryPath(file)).then(
        (s) => s.size,
        () => 0,
      );
      return { identities: index?.identities, size };
    },
    { concurrency: 8 },
  );
  return { identities: found.flatMap((f) => (f.identities ? [f.identities] : [])), bytes: found.reduce((sum, f) => sum + f.size, 0) };
}

export const buildIndexCommand: CliCommand = {
  name: 'index',
  summary: 'Scan files into the shared scan cache: counts, line and identity indexes for fast loads',
  usage: `usage: audit-lens index --source <folder|gs://bucket/prefix> [options]

Reads each selected file not scanned in its current version (GCS generation, or local
modification time and size) and records in the per-user scan cache, shared with the editor:
event counts, where each service's and action's lines are, and which lines hold each email,
attempted user (requestParams.user), IP address and session id. query and detect then read
only the lines their filters can match. Run it again after new files arrive: only those are read.

The cache is ${defaultScanCacheDirectory()}
(set ${SCAN_CACHE_ENV} to move it).

options:
${SOURCE_USAGE}
  --concurrency N         files read at once (default ${DEFAULT_CONCURRENCY})
  --json                  print {"cacheDirectory","files","scanned","upToDate","skipped","identities":{…},"dataBytes","indexBytes","durationMs"}
  -h, --help              show this help

Ctrl+C stops it; files scanned so far stay in the cache.`,
  valueOptions: [...SOURCE_VALUE_OPTIONS, 'concurrency'],
  flagOptions: ['json'],
  async run(args: CliArgs, io: CliIo, signal: AbortSignal): Promise<number> {
    if (args.positionals.length > 0) throw usageError(`Unexpected argument '${args.positionals[0]}'.`, HINT);
    const selection = sourceSelection(args, HINT);
    const concurrency = positiveInteger(args, 'concurrency', DEFAULT_CONCURRENCY, HINT);
    const started = performance.now();
    const cache = new ScanCache(defaultScanCacheDirectory());
    const progress = terminalProgress(io);
    const passedOver: Skipped[] = [];
    const results: { files: AuditFile[]; result: ScanFilesResult }[] = [];
    try {
      for (const uri of selection.sources) {
        progress.sink?.({ message: `Listing ${uri}…` });
        const source = await openSource(uri, { gcsEndpoint: selection.gcsEndpoint, ...(selection.gcs ? { gcs: selection.gcs } : {}) });
        const files = await source.listFiles(selection.filter, { signal, onSkipped: (s) => passedOver.push(s) });
        results.push({ files, result: await scanFiles(source, files, { cache, concurrency, signal, onProgress: progress.sink }) });
      }
    } finally {
      progress.clear();
    }
    io.stderr.write(formatListingNotes(describeSkipped(passedOver)));
    const files = results.flatMap((r) => r.files);
    const scanned = results.flatMap((r) => r.result.scanned);
    const entries = await describeEntries(
      cache,
      scanned.map((s) => s.file),
    );
    const summary: IndexSummary = {
      cacheDirectory: cache.directory,
      files: files.length,
      scanned: scanned.filter((s) => !s.cached).length,
      upToDate: scanned.filter((s) => s.cached).length,
      skipped: results.reduce((sum, r) => sum + r.result.skipped.length, 0),
      identities: countIdentities(entries.identities),
      dataBytes: files.reduce((sum, f) => sum + f.size, 0),
      indexBytes: entries.bytes,
      durationMs: performance.now() - started,
    };
    if (files.length === 0) io.stderr.write('warning: no audit-log files matched the sources and filters\n');
    await write(io.stdout, args.flags.has('json') ? JSON.stringify(summary) + '\n' : render(summary));
    return EXIT_OK;
  },
};
