/**
 * `audit-lens watch`: polls the newest date folders of the sources, runs the detections over the
 * partitions where files are new or rewritten, and writes each finding it has not written before
 * as one JSON line. What it has seen and said survives a restart; network faults back off.
 */
import { appendFile } from 'node:fs/promises';
import * as path from 'node:path';
import { defaultScanCacheDirectory } from '../../core/scan/cache-location';
import { WatchState } from '../../core/watch';
import { duration, runPolls, watchIdentity, Watcher, type NewFinding, type PollResult } from '../../worker/watch';
import { lastValue, usageError } from '../args';
import type { CliArgs, CliCommand, CliIo } from '../command';
import { chosenDetections, LIBRARY_USAGE, NO_BUILTIN_FLAG, ONLY_OPTION, PACK_OPTION, PARAM_OPTION } from '../detectionLibrary';
import { rowBudget, ROW_BUDGET_USAGE } from '../load';
import { write } from '../output';
import { EXIT_FAILURE, EXIT_OK } from '../report';
import { SOURCE_USAGE, SOURCE_VALUE_OPTIONS, sourceSelection } from '../sourceOptions';

const HINT = "Run 'audit-lens watch --help' for usage.";
const DEFAULT_INTERVAL_MS = 5 * 60_000;

/** `30s`, `5m`, `1h` as milliseconds. */
export function parseInterval(text: string | undefined, hint: string): number {
  if (text === undefined) return DEFAULT_INTERVAL_MS;
  const match = /^(\d+(?:\.\d+)?)(s|m|h)$/.exec(text.trim());
  const ms = match ? Number(match[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 's' | 'm' | 'h'] : NaN;
  if (!(ms >= 1000)) throw usageError(`--interval '${text}' is not a length of at least 1s, such as 30s, 5m or 1h.`, hint);
  return ms;
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

function alertLine({ detection, columns, row, asOf }: NewFinding): string {
  const alert: WatchAlert = {
    at: new Date().toISOString(),
    detection: detection.id,
    title: detection.title,
    severity: detection.severity,
    ...(detection.pack ? { pack: detection.pack } : {}),
    asOf: new Date(asOf).toISOString(),
    row: Object.fromEntries(columns.map((c, i) => [c, row[i] ?? null])),
  };
  return `${JSON.stringify(alert)}\n`;
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
  valueOptions: [...SOURCE_VALUE_OPTIONS, ONLY_OPTION, PACK_OPTION, PARAM_OPTION, 'interval', 'out', 'row-budget'],
  flagOptions: [NO_BUILTIN_FLAG, 'as-of-now', 'once'],
  async run(args: CliArgs, io: CliIo, signal: AbortSignal): Promise<number> {
    if (args.positionals.length > 0) throw usageError(`Unexpected argument '${args.positionals[0]}'.`, HINT);
    const interval = parseInterval(lastValue(args, 'interval'), HINT);
    const selection = sourceSelection(args, HINT);
    const list = chosenDetections(args, HINT);
    const out = lastValue(args, 'out');
    const once = args.flags.has('once');
    const scanCacheDirectory = defaultScanCacheDirectory();
    const target = { ...selection, detections: list, asOfNow: args.flags.has('as-of-now'), scanCacheDirectory, session: { maxRows: rowBudget(args, HINT) } };
    const watcher = await Watcher.open(target, new WatchState(path.join(scanCacheDirectory, 'watch'), watchIdentity(target)));
    const outFile = out ? path.resolve(out) : undefined;
    const say = async (finding: NewFinding) => {
      const line = alertLine(finding);
      await write(io.stdout, line);
      if (outFile) await appendFile(outFile, line, { mode: 0o600 });
    };
    io.stderr.write(`watch: ${list.length} detections over ${selection.sources.join(', ')}, every ${duration(interval)}${once ? ' (once)' : ''}\n`);
    await runPolls<PollResult>({
      intervalMs: interval,
      signal,
      once,
      poll: () => watcher.poll({ signal, onFinding: say }),
      onPolled: ({ files, findings, summary }) => {
        if (summary && summary.filesFailed > 0) io.stderr.write(`watch: ${summary.filesFailed} files could not be read; the next poll tries them again\n`);
        io.stderr.write(`watch: ${new Date().toISOString()}: ${files} new or rewritten files, ${findings.length} new findings\n`);
      },
      onFailed: (failure, wait) => {
        io.stderr.write(`watch: the poll failed: ${failure.userMessage}; trying again in ${duration(wait)}\n`);
      },
    });
    if (once && !signal.aborted) return EXIT_OK;
    io.stderr.write('watch: stopped\n');
    return signal.aborted && once ? EXIT_FAILURE : EXIT_OK;
  },
};
