/**
 * `audit-lens watch`: polls the newest date folders of the sources, runs the detections over the
 * partitions where files are new or rewritten, and writes each finding it has not written before
 * as one JSON line. What it has seen and said survives a restart; network faults back off.
 */
import { appendFile } from 'node:fs/promises';
import * as path from 'node:path';
import { detectionPushdown, runDetections, type Detection } from '../../core/analyses';
import { AuditLensError } from '../../core/errors';
import { defaultScanCacheDirectory } from '../../core/scan/cache-location';
import { openSource, type AuditFile } from '../../core/sources';
import { fileIdentity } from '../../core/sources/overlap';
import { findingKey, newestFiles, WatchState, type WatchMemory } from '../../core/watch';
import { QuerySession } from '../../worker/query/client';
import { lastValue, usageError } from '../args';
import type { CliArgs, CliCommand, CliIo } from '../command';
import { chosenDetections, LIBRARY_USAGE, NO_BUILTIN_FLAG, ONLY_OPTION, PACK_OPTION } from '../detectionLibrary';
import { rowBudget, ROW_BUDGET_USAGE } from '../load';
import { write } from '../output';
import { EXIT_FAILURE, EXIT_OK } from '../report';
import { SOURCE_USAGE, SOURCE_VALUE_OPTIONS, sourceSelection, type SourceSelection } from '../sourceOptions';

const HINT = "Run 'audit-lens watch --help' for usage.";
const DEFAULT_INTERVAL_MS = 5 * 60_000;
/** The longest wait between tries after failures, however many there were. */
const MAX_BACKOFF_MS = 30 * 60_000;
/** Rows one detection may give in one poll; more are written on the next polls, never twice. */
const ROWS_PER_POLL = 10_000;

/** `30s`, `5m`, `1h` as milliseconds. */
export function parseInterval(text: string | undefined, hint: string): number {
  if (text === undefined) return DEFAULT_INTERVAL_MS;
  const match = /^(\d+(?:\.\d+)?)(s|m|h)$/.exec(text.trim());
  const ms = match ? Number(match[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 's' | 'm' | 'h'] : NaN;
  if (!(ms >= 1000)) throw usageError(`--interval '${text}' is not a length of at least 1s, such as 30s, 5m or 1h.`, hint);
  return ms;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

function duration(ms: number): string {
  return ms >= 3_600_000 ? `${+(ms / 3_600_000).toFixed(1)}h` : ms >= 60_000 ? `${+(ms / 60_000).toFixed(1)}m` : `${Math.round(ms / 1000)}s`;
}

/** One finding as the JSON line a watch writes. */
export interface WatchAlert {
  at: string;
  detection: string;
  title: string;
  severity: string;
  pack?: string;
  asOf: string;
  row: Record<string, unknown>;
}

interface Watch {
  selection: SourceSelection;
  list: Detection[];
  asOfNow: boolean;
  out?: string;
  maxRows: number;
  state: WatchState;
  memory: WatchMemory;
  alerted: Set<string>;
}

/** Lists the newest partitions of every source, each file once. */
async function listNewest(watch: Watch, signal: AbortSignal): Promise<AuditFile[]> {
  const seen = new Set<string>();
  const files: AuditFile[] = [];
  for (const uri of watch.selection.sources) {
    const source = await openSource(uri, { ...(watch.selection.gcsEndpoint ? { gcsEndpoint: watch.selection.gcsEndpoint } : {}), ...(watch.selection.gcs ? { gcs: watch.selection.gcs } : {}) });
    for (const file of await newestFiles(source, watch.selection.filter, { signal })) {
      const identity = fileIdentity(file.uri);
      if (seen.has(identity)) continue;
      seen.add(identity);
      files.push(file);
    }
  }
  return files;
}

/** One poll: returns how many new findings it wrote. */
async function poll(watch: Watch, io: CliIo, signal: AbortSignal): Promise<{ files: number; findings: number }> {
  const files = await listNewest(watch, signal);
  const changed = files.filter((f) => watch.memory.files[f.uri] !== f.version);
  if (changed.length === 0) return { files: 0, findings: 0 };
  const dates = changed.map((f) => f.date).sort();
  const filter = { from: dates[0], to: dates.at(-1), workspaces: [...new Set(changed.map((f) => f.workspaceId))] };
  const session = await QuerySession.open({ maxRows: watch.maxRows });
  let findings = 0;
  try {
    const summary = await session.load(
      {
        sources: watch.selection.sources,
        filter,
        ...(watch.selection.gcsEndpoint ? { gcsEndpoint: watch.selection.gcsEndpoint } : {}),
        ...(watch.selection.gcs ? { gcs: watch.selection.gcs } : {}),
        scanCacheDirectory: defaultScanCacheDirectory(),
        ...detectionPushdown(watch.list),
      },
      { signal },
    );
    const asOf = watch.asOfNow ? Date.now() : Date.parse(`${filter.to}T00:00:00Z`) + 86_400_000;
    const runs = await runDetections(watch.list, (sql, options) => session.query(sql, { ...options, asOf }), { maxRows: ROWS_PER_POLL, signal });
    for (const { detection, result } of runs) {
      for (const row of result.rows) {
        const key = findingKey(detection.id, result.columns, row);
        if (watch.alerted.has(key)) continue;
        const alert: WatchAlert = {
          at: new Date().toISOString(),
          detection: detection.id,
          title: detection.title,
          severity: detection.severity,
          ...(detection.pack ? { pack: detection.pack } : {}),
          asOf: new Date(asOf).toISOString(),
          row: Object.fromEntries(result.columns.map((c, i) => [c, row[i] ?? null])),
        };
        const line = `${JSON.stringify(alert)}\n`;
        await write(io.stdout, line);
        if (watch.out) await appendFile(watch.out, line, { mode: 0o600 });
        watch.alerted.add(key);
        watch.memory.alerted.push(key);
        findings++;
      }
    }
    // Files that could not be read are not marked: the next poll tries them again.
    const loaded = new Set(summary.loadedFiles);
    for (const file of changed) if (loaded.has(file.uri)) watch.memory.files[file.uri] = file.version;
    if (summary.filesFailed > 0) io.stderr.write(`watch: ${summary.filesFailed} files could not be read; the next poll tries them again\n`);
  } finally {
    await session.dispose();
    // Said findings are remembered even when the poll failed after writing some.
    await watch.state.write(watch.memory);
  }
  return { files: changed.length, findings };
}

export const watchCommand: CliCommand = {
  name: 'watch',
  summary: 'Poll the newest logs and write each new finding once, as a JSON line',
  usage: `usage: audit-lens watch --source <folder|gs://bucket/prefix> [options]

Every --interval, lists the newest two date folders of each workspace (each file with its GCS
generation or local mtime and size), and when files are new or rewritten, runs the detections
over those partitions and writes each finding it has not written before as one JSON line
{"at","detection","title","severity","pack","asOf","row":{…}} on stdout (and to --out FILE).
What it ran over and wrote is kept per watch (sources and detections) in a private state file,
so a restarted watch writes nothing twice. A failed poll (network, permissions) is retried with
a growing wait, up to 30 minutes. Ctrl+C stops it.

options:
${SOURCE_USAGE}
${LIBRARY_USAGE}
  --interval LENGTH       time between polls: 30s, 5m, 1h (default 5m)
  --as-of-now             evaluate every "now" of the detections at the wall clock (default:
                          24:00 UTC of the newest date polled, so a window such as "the last
                          24 hours" covers the data, not the hours since)
  --out FILE              also append each finding's line to FILE (made with mode 0600)
  --once                  poll once and exit (for cron; exit 1 if the poll failed)
${ROW_BUDGET_USAGE}
  -h, --help              show this help`,
  valueOptions: [...SOURCE_VALUE_OPTIONS, ONLY_OPTION, PACK_OPTION, 'interval', 'out', 'row-budget'],
  flagOptions: [NO_BUILTIN_FLAG, 'as-of-now', 'once'],
  async run(args: CliArgs, io: CliIo, signal: AbortSignal): Promise<number> {
    if (args.positionals.length > 0) throw usageError(`Unexpected argument '${args.positionals[0]}'.`, HINT);
    const interval = parseInterval(lastValue(args, 'interval'), HINT);
    const selection = sourceSelection(args, HINT);
    const list = chosenDetections(args, HINT);
    const out = lastValue(args, 'out');
    const once = args.flags.has('once');
    const identity = JSON.stringify({ sources: selection.sources.map(fileIdentity).sort(), filter: selection.filter, detections: list.map((d) => [d.id, d.pack ?? '', d.sql]) });
    const state = new WatchState(path.join(defaultScanCacheDirectory(), 'watch'), identity);
    const memory = await state.read();
    const watch: Watch = { selection, list, asOfNow: args.flags.has('as-of-now'), ...(out ? { out: path.resolve(out) } : {}), maxRows: rowBudget(args, HINT), state, memory, alerted: new Set(memory.alerted) };
    io.stderr.write(`watch: ${list.length} detections over ${selection.sources.join(', ')}, every ${duration(interval)}${once ? ' (once)' : ''}\n`);
    let failures = 0;
    while (!signal.aborted) {
      try {
        const { files, findings } = await poll(watch, io, signal);
        failures = 0;
        io.stderr.write(`watch: ${new Date().toISOString()}: ${files} new or rewritten files, ${findings} new findings\n`);
      } catch (error) {
        const failure = AuditLensError.from(error);
        if (failure.code === 'cancelled' || signal.aborted) break;
        if (failure.code === 'usage') throw failure;
        failures++;
        if (once) throw failure;
        const wait = Math.min(interval * 2 ** (failures - 1), Math.max(interval, MAX_BACKOFF_MS));
        io.stderr.write(`watch: the poll failed: ${failure.userMessage}; trying again in ${duration(wait)}\n`);
        await sleep(wait, signal);
        continue;
      }
      if (once) return EXIT_OK;
      await sleep(interval, signal);
    }
    io.stderr.write('watch: stopped\n');
    return signal.aborted && once ? EXIT_FAILURE : EXIT_OK;
  },
};
