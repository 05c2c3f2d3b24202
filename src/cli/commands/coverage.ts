/** `audit-lens coverage`: are the logs whole? Events per workspace and hour, gaps, late and rewritten files, duplicates. */
import * as path from 'node:path';
import { DEFAULT_LATE_AFTER_MINUTES, DEFAULT_MIN_NEIGHBOUR_EVENTS, measureCoverage, type CoverageReport } from '../../core/coverage';
import { defaultScanCacheDirectory } from '../../core/scan/cache-location';
import { lastValue, usageError } from '../args';
import type { CliArgs, CliCommand, CliIo } from '../command';
import { COVERAGE_FORMATS, renderCoverageJson, renderCoverageMarkdown, renderCoverageTable, type CoverageFormat } from '../format/coverage';
import { write } from '../output';
import { formatListingNotes } from '../problems';
import { terminalProgress } from '../progress';
import { EXIT_FAILURE, EXIT_FINDINGS, EXIT_OK } from '../report';
import { positiveInteger, SOURCE_USAGE, SOURCE_VALUE_OPTIONS, sourceSelection } from '../sourceOptions';

const HINT = "Run 'audit-lens coverage --help' for usage.";
const FAIL_ON = ['gaps', 'duplicates', 'late', 'rewritten', 'any', 'none'] as const;
type FailOn = (typeof FAIL_ON)[number];

function oneOf<T extends string>(name: string, text: string | undefined, allowed: readonly T[], fallback: T): T {
  if (text === undefined) return fallback;
  if ((allowed as readonly string[]).includes(text)) return text as T;
  throw usageError(`--${name} '${text}' is not one of ${allowed.join(', ')}.`, HINT);
}

/** Where coverage keeps what it saw of each file, to find rewritten ones next time: beside the scan cache. */
export function coverageStateDirectory(): string {
  return path.join(defaultScanCacheDirectory(), 'coverage');
}

export function failsOn(report: CoverageReport, failOn: FailOn): boolean {
  const found = {
    gaps: report.workspaces.some((w) => w.gaps.length > 0),
    duplicates: report.duplicates.events > 0,
    late: report.late.length > 0,
    // Appending is how Databricks re-delivers; a rewrite that changed old lines is what alarms.
    rewritten: report.rewritten.some((r) => !r.appendOnly),
  };
  if (failOn === 'none') return false;
  if (failOn === 'any') return Object.values(found).some(Boolean);
  return found[failOn];
}

export const coverageCommand: CliCommand = {
  name: 'coverage',
  summary: 'Say whether the logs are whole: events per workspace and hour, gaps, late and rewritten files, duplicates',
  usage: `usage: audit-lens coverage --source <folder|gs://bucket/prefix> [options]

Reads every selected file once and reports, per workspace and UTC hour, the events, the files
holding them and the first and last event time, then:
  gaps        hours without events in a workspace whose neighbour hours (the one just before and
              the one just after the silence) each hold at least --gap-threshold events; a
              silence running to the scope's last hour after such an hour: delivery may have stopped
  late        files written (GCS update time, local mtime) more than --late-after minutes after
              their newest event
  rewritten   files whose version changed since the last coverage run of the source, with the
              lines added; a rewrite that changed or removed old lines is flagged loudly
  duplicates  the same event (requestId, timestamp, serviceName, actionName) in two places

options:
${SOURCE_USAGE}
  --format table|json|markdown
                          a terminal report (default); one JSON object
                          {"workspaces":[{"workspaceId","hours":[{"hour","events","files","first","last"}],
                           "gaps":[{"from","to","hours","before","after"}],"stopped",…}],
                           "duplicates":{"events":N,"examples":[…]},"late":[…],"rewritten":[…]};
                          or Markdown for a ticket
  --fail-on gaps|duplicates|late|rewritten|any|none
                          exit 3 when the report finds this (default none); rewritten means
                          a rewrite that changed or removed old lines, not an append
  --gap-threshold N       events each neighbour hour must hold for a silence to be a gap (default ${DEFAULT_MIN_NEIGHBOUR_EVENTS})
  --late-after MINUTES    how late a file may be written after its newest event (default ${DEFAULT_LATE_AFTER_MINUTES})
  -h, --help              show this help

exit codes:
  0  the report (nothing --fail-on names was found)
  3  what --fail-on names was found
  1  an error, or files that could not be read
  2  a usage error`,
  valueOptions: [...SOURCE_VALUE_OPTIONS, 'format', 'fail-on', 'gap-threshold', 'late-after'],
  flagOptions: [],
  async run(args: CliArgs, io: CliIo, signal: AbortSignal): Promise<number> {
    if (args.positionals.length > 0) throw usageError(`Unexpected argument '${args.positionals[0]}'.`, HINT);
    const format: CoverageFormat = oneOf('format', lastValue(args, 'format'), COVERAGE_FORMATS, 'table');
    const failOn: FailOn = oneOf('fail-on', lastValue(args, 'fail-on'), FAIL_ON, 'none');
    const minNeighbourEvents = positiveInteger(args, 'gap-threshold', DEFAULT_MIN_NEIGHBOUR_EVENTS, HINT);
    const lateAfterMinutes = positiveInteger(args, 'late-after', DEFAULT_LATE_AFTER_MINUTES, HINT);
    const selection = sourceSelection(args, HINT);
    const progress = terminalProgress(io);
    let report;
    try {
      report = await measureCoverage(
        { sources: selection.sources, filter: selection.filter, ...(selection.gcsEndpoint ? { gcsEndpoint: selection.gcsEndpoint } : {}), ...(selection.gcs ? { gcs: selection.gcs } : {}), stateDirectory: coverageStateDirectory(), minNeighbourEvents, lateAfterMinutes },
        { signal, onProgress: progress.sink },
      );
    } finally {
      progress.clear();
    }
    io.stderr.write(formatListingNotes(report.listingNotes));
    await write(io.stdout, format === 'json' ? renderCoverageJson(report) : format === 'markdown' ? renderCoverageMarkdown(report) : renderCoverageTable(report));
    if (report.unreadable.length > 0) {
      io.stderr.write(`audit-lens: the report is incomplete: ${report.unreadable.length} files could not be read (listed in the report)\n`);
      return EXIT_FAILURE;
    }
    return failsOn(report, failOn) ? EXIT_FINDINGS : EXIT_OK;
  },
};
