/** `audit-lens timeline`: every event of one actor, IP address, session or request, across every workspace, in time order. */
import { lastValue, usageError } from '../args';
import { AS_OF_OPTION, asOfLine } from '../asOf';
import type { CliArgs, CliCommand, CliIo } from '../command';
import { renderTimeline, TIMELINE_FORMATS, type TimelineFormat } from '../format/timeline';
import { ROW_BUDGET_USAGE, rowBudget, withLoadedSession } from '../load';
import { write } from '../output';
import { NO_PUSHDOWN_FLAG } from '../pushdown';
import { EXIT_OK } from '../report';
import { CACHE_FLAGS, CACHE_USAGE, EVIDENCE_FLAGS, EVIDENCE_USAGE, SOURCE_USAGE, SOURCE_VALUE_OPTIONS, sourceSelection } from '../sourceOptions';
import { IDENTITY_VALUE_OPTIONS, timelineIdentity, timelineTime, WINDOW_VALUE_OPTIONS } from '../timelineOptions';
import { escapeControls } from '../../core/controlChars';
import { assembleTimeline, planTimeline } from '../../core/timeline';
import type { Timeline } from '../../shared/timeline';
import { readTimeline } from '../../worker/timeline/runTimeline';

const HINT = "Run 'audit-lens timeline --help' for usage.";

function timelineFormat(text: string | undefined): TimelineFormat {
  if (text === undefined) return 'table';
  if ((TIMELINE_FORMATS as readonly string[]).includes(text)) return text as TimelineFormat;
  throw usageError(`--format '${text}' is not one of ${TIMELINE_FORMATS.join(', ')}.`, HINT);
}

export const timelineCommand: CliCommand = {
  name: 'timeline',
  summary: "Show every event of one actor, IP address, session or request, across every workspace",
  usage: `usage: audit-lens timeline (--actor EMAIL | --ip ADDRESS | --session ID | --request ID) --source <folder|gs://bucket/prefix> [options]

Finds every event of one identity in every workspace and at the account level (workspaceId=0),
in time order, with a long action's result right after its request (same requestId); then counts
per workspace and service, first and last seen, and the IP addresses and user agents used.
Only the lines that can hold the identity are parsed and loaded.

identity (exactly one):
  --actor EMAIL           events the user signed in as EMAIL made, and those whose email is null
                          (failed logins) that name EMAIL as requestParams.user
  --ip ADDRESS            events whose sourceIPAddress is exactly ADDRESS (a value logged with a
                          port, 10.0.0.1:443, is found by giving it so)
  --session ID            events whose sessionId is ID
  --request ID            events whose requestId is ID (a request and its result)

when (default: every selected date):
  --around INSTANT        events within --window of this ISO-8601 instant (2026-11-30T14:00:00Z)
  --window LENGTH         time on each side of --around: 30m, 6h, 2d… (default 6h); with --as-of
                          alone, the time before it (default 1d)
  --as-of <instant|scope-end>  show only what happened before this ISO-8601 instant (scope-end:
                          24:00 UTC of --to); given alone, show the --window before it
${SOURCE_USAGE}
${EVIDENCE_USAGE}
${CACHE_USAGE}
  --format table|json|markdown|csv
                          a terminal report (default); one JSON object
                          {"identity":{"kind","value"},"events":[{"timestamp","workspaceId",
                           "serviceName","actionName","requestId","sourceIPAddress","userAgent",
                           "statusCode","_file","_line",…}],"summary":{"events","workspaces",
                           "services","first","last",…}} (timestamps in epoch ms); a Markdown
                          report; or the events as CSV
${ROW_BUDGET_USAGE}
  --no-pushdown           load every line whole (the answer is the same)
  -h, --help              show this help

examples:
  audit-lens timeline --actor alice@example.com --source gs://bucket/audit --from 2026-11-28 --to 2026-12-01
  audit-lens timeline --ip 203.0.113.7 --source logs/ --around 2026-11-30T14:00:00Z --window 2h --format json`,
  valueOptions: [...IDENTITY_VALUE_OPTIONS, ...WINDOW_VALUE_OPTIONS, AS_OF_OPTION, ...SOURCE_VALUE_OPTIONS, 'format', 'row-budget'],
  flagOptions: [NO_PUSHDOWN_FLAG, ...EVIDENCE_FLAGS, ...CACHE_FLAGS],
  async run(args: CliArgs, io: CliIo, signal: AbortSignal): Promise<number> {
    if (args.positionals.length > 0) throw usageError(`Unexpected argument '${args.positionals[0]}': name the identity with --actor, --ip, --session or --request.`, HINT);
    const identity = timelineIdentity(args, HINT);
    const format = timelineFormat(lastValue(args, 'format'));
    const selection = sourceSelection(args, HINT);
    const { window, asOf } = timelineTime(args, selection, HINT);
    const budget = rowBudget(args, HINT);
    const plan = planTimeline({ identity, window, filter: selection.filter, pushdown: !args.flags.has(NO_PUSHDOWN_FLAG) });
    if (asOf) io.stderr.write(asOfLine(asOf));
    const print = async (timeline: Timeline): Promise<void> => {
      if (timeline.events.length === 0) io.stderr.write(`note: no event of ${identity.kind} ${escapeControls(identity.value)} in the selected logs and window\n`);
      await write(io.stdout, renderTimeline(timeline, format));
    };
    if (plan.empty) await print(assembleTimeline(identity, []));
    // Printed inside the session's work: when a network error lost files, the events found still print before the run fails naming them.
    else await withLoadedSession({ ...selection, filter: plan.filter }, io, signal, async (session) => print(await readTimeline(session, identity, plan, signal)), plan.pushdown, budget);
    return EXIT_OK;
  },
};
