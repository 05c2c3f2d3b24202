/** `audit-lens detect`: runs the security detections as one job, for a person or for cron; `--test` runs their tests. */
import { detectionPushdown, failsAt, selectDetections, SEVERITIES, type Detection, type Severity } from '../../core/analyses';
import { runDetectionTests, untested } from '../../core/detections';
import { sessionTestEngine } from '../../worker/session/detectionTests';
import { chosenDetections, LIBRARY_USAGE, NO_BUILTIN_FLAG, ONLY_OPTION, PACK_OPTION, PARAM_OPTION } from '../detectionLibrary';
import { QuerySession } from '../../worker/query/client';
import { TwinSessions } from '../../worker/session/twinSessions';
import { terminalProgress } from '../progress';
import { lastValue, usageError } from '../args';
import { AS_OF_OPTION, AS_OF_USAGE, asOfAfterLoad, asOfLine } from '../asOf';
import type { CliArgs, CliCommand, CliIo } from '../command';
import { renderDetectionTestsJson, renderDetectionTestsTable, renderFindingsJson, renderFindingsMarkdown, renderFindingsTable, type FindingsReport } from '../format/findings';
import { closeOpening, ROW_BUDGET_USAGE, rowBudget, withLoadedSession } from '../load';
import type { Pushdown } from '../../core/sql/pushdown';
import { write } from '../output';
import { NO_PUSHDOWN_FLAG } from '../pushdown';
import { EXIT_FAILURE, EXIT_FINDINGS, EXIT_OK } from '../report';
import { EXPORT_SYNOPSIS, EXPORT_USAGE, EXPORT_VALUE_OPTIONS, runExport, wantsExport } from './detectExport';
import { positiveInteger, CACHE_FLAGS, CACHE_USAGE, EVIDENCE_FLAGS, EVIDENCE_USAGE, SOURCE_USAGE, SOURCE_VALUE_OPTIONS, sourceSelection } from '../sourceOptions';

const HINT = "Run 'audit-lens detect --help' for usage.";
const FORMATS = ['table', 'json', 'markdown'] as const;
type FindingsFormat = (typeof FORMATS)[number];
const FAIL_ON = [...SEVERITIES, 'none'] as const;
const TEST_FLAG = 'test';
const TEST_FORMATS = ['table', 'json'] as const;
const DEFAULT_ROWS = 50;
const DEFAULT_JSON_ROWS = 1_000_000;

function oneOf<T extends string>(name: string, text: string | undefined, allowed: readonly T[], fallback: T): T {
  if (text === undefined) return fallback;
  if ((allowed as readonly string[]).includes(text)) return text as T;
  throw usageError(`--${name} '${text}' is not one of ${allowed.join(', ')}.`, HINT);
}

function usage(): string {
  return `usage: audit-lens detect --source <folder|gs://bucket/prefix> [options]
       audit-lens detect --test [--pack PATH]… [--no-builtin] [--only ID,…] [--format table|json]
${EXPORT_SYNOPSIS}

Runs every security detection (or those --only names) over the selected logs, loading once only
the lines they read (their services and actions), and prints the findings: most severe first, then a count per severity.
With --test, runs each detection's tests instead: its "fires" records must give a row and its
"quiet" records none; prints each pass or failure and exits 1 on any failure.

options:
${SOURCE_USAGE}
${EVIDENCE_USAGE}
${CACHE_USAGE}
${LIBRARY_USAGE}
  --test                  run the detections' tests instead of reading logs (no --source)
${EXPORT_USAGE}
  --format table|json|markdown
                          a terminal report (default); one JSON object
                          {"detections":[{"id","title","severity","pack","rowCount","columns","rows"}],
                           "summary":{"high":n,"medium":n,"low":n,"info":n},"records":n,
                           "files":n,"filesFromCache":n};
                          or a Markdown report to paste into a ticket
  --fail-on high|medium|low|info|none
                          exit 3 when a detection of this severity or above finds rows
                          (default high; none: never)
  --max-rows N            rows to print per detection (default ${DEFAULT_ROWS}; json ${DEFAULT_JSON_ROWS})
${AS_OF_USAGE}
                          (json and markdown name it in the report, table on stderr)
${ROW_BUDGET_USAGE}
  --no-pushdown           load every line, not only those of the detections' services
  -h, --help              show this help

exit codes:
  0  no detection at or above --fail-on found rows
  3  a detection at or above --fail-on found rows
  1  an error: an unreadable source, a failed query, files that could not be read (the
     findings of the rest are printed first; --allow-partial exits as usual), or a scope with
     no audit logs (--allow-empty exits 0); with --test, a failed test
  2  a usage error, or a pack that cannot be read (the message names the file, line,
     detection and field)

built-in detections:
${selectDetections()
  .map((d) => `  ${d.id.padEnd(28)} ${d.severity.padEnd(6)}  ${d.title}`)
  .join('\n')}

example (cron, every morning, yesterday's logs):
  audit-lens detect --source gs://bucket/prefix --from "$(date -u -d yesterday +%F)" --to "$(date -u -d yesterday +%F)" --format markdown > findings.md`;
}

export const detectCommand: CliCommand = {
  name: 'detect',
  summary: 'Run the security detections and report what they found (exit 3 on findings)',
  // A getter: the list of built-ins is read only when help is shown.
  get usage() {
    return usage();
  },
  valueOptions: [...SOURCE_VALUE_OPTIONS, ONLY_OPTION, 'format', 'fail-on', 'max-rows', 'row-budget', AS_OF_OPTION, PACK_OPTION, PARAM_OPTION, ...EXPORT_VALUE_OPTIONS],
  flagOptions: [NO_PUSHDOWN_FLAG, ...EVIDENCE_FLAGS, ...CACHE_FLAGS, NO_BUILTIN_FLAG, TEST_FLAG],
  async run(args: CliArgs, io: CliIo, signal: AbortSignal): Promise<number> {
    if (args.positionals.length > 0) throw usageError(`Unexpected argument '${args.positionals[0]}'.`, HINT);
    if (wantsExport(args, HINT)) return runExport(args, io, chosenDetections(args, HINT), HINT);
    if (args.flags.has(TEST_FLAG)) return runTests(args, io, signal, chosenDetections(args, HINT));
    const format: FindingsFormat = oneOf('format', lastValue(args, 'format'), FORMATS, 'table');
    const failOn: Severity | 'none' = oneOf('fail-on', lastValue(args, 'fail-on'), FAIL_ON, 'high');
    const maxRows = positiveInteger(args, 'max-rows', format === 'json' ? DEFAULT_JSON_ROWS : DEFAULT_ROWS, HINT);
    const selection = sourceSelection(args, HINT);
    const answerAsOf = asOfAfterLoad(args, selection, HINT);
    const budget = rowBudget(args, HINT);
    // The session's thread starts (about 0.1 s of another core) while the library is read and its pushdown worked out.
    const opening = QuerySession.open({ maxRows: budget });
    let list: Detection[];
    let pushdown: Pushdown;
    try {
      list = chosenDetections(args, HINT);
      pushdown = args.flags.has(NO_PUSHDOWN_FLAG) ? {} : detectionPushdown(list);
    } catch (error) {
      await closeOpening(opening);
      throw error;
    }
    return withLoadedSession(selection, io, signal, async (engine, summary, request) => {
      const answer = answerAsOf(summary.loadedFiles);
      if (answer && format === 'table') io.stderr.write(asOfLine(answer));
      // JSON rows are rendered in the query threads, beside the other detections' queries.
      const rowsAs = format === 'json' ? 'json' : 'values';
      const runs = await TwinSessions.runDetections(engine, request, summary, list, { session: {}, maxRows: budget, signal, ...(answer ? { asOf: answer.at } : {}) }, { maxRows, signal, rowsAs });
      const files = { total: summary.files, fromCache: summary.filesFromCache ?? 0 };
      const report: FindingsReport = { runs, records: summary.recordsLoaded, files, sources: selection.sources, filter: selection.filter, ...(answer ? { asOf: answer.at } : {}) };
      if (format === 'json') {
        for (const chunk of renderFindingsJson(report)) await write(io.stdout, chunk);
        const cut = runs.filter((r) => r.result.truncated).map((r) => r.detection.id);
        if (cut.length > 0) io.stderr.write(`warning: printed the first ${maxRows} rows of ${cut.join(', ')}; raise --max-rows to get more\n`);
      } else {
        await write(io.stdout, format === 'markdown' ? renderFindingsMarkdown(report) : renderFindingsTable(report));
      }
      return failsAt(runs, failOn) ? EXIT_FINDINGS : EXIT_OK;
    }, pushdown, budget, opening);
  },
};

async function runTests(args: CliArgs, io: CliIo, signal: AbortSignal, list: readonly Detection[]): Promise<number> {
  const ignored = [...SOURCE_VALUE_OPTIONS, 'fail-on', 'max-rows', AS_OF_OPTION].find((name) => args.options.has(name));
  if (ignored) throw usageError(`--test runs the detections on their own test records: it takes no --${ignored}.`, HINT);
  const format = oneOf('format', lastValue(args, 'format'), TEST_FORMATS, 'table');
  const progress = terminalProgress(io);
  const session = await QuerySession.open({ maxRows: rowBudget(args, HINT) });
  try {
    const results = await runDetectionTests(list, sessionTestEngine(session), { signal, onProgress: progress.sink }).finally(() => progress.clear());
    const report = { results, untested: untested(list), detections: list.length };
    await write(io.stdout, format === 'json' ? renderDetectionTestsJson(report) : renderDetectionTestsTable(report));
    return results.every((r) => r.passed) ? EXIT_OK : EXIT_FAILURE;
  } finally {
    progress.clear();
    await session.dispose();
  }
}
