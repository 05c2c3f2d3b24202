/**
 * The `--as-of <ISO-8601 instant | scope-end>` option: the instant every "now" of a statement
 * (current_timestamp(), current_date(), now(), …) evaluates at, so a rule that counts back from now
 * can be replayed inside a past window.
 */
import { lastPartitionDate } from '../core/layout';
import { AS_OF_NOW, parseInstant, resolveAsOf, type AsOfChoice } from '../shared/asOf';
import { lastValue, usageError } from './args';
import type { CliArgs } from './command';
import type { SourceSelection } from './sourceOptions';

export const AS_OF_OPTION = 'as-of';

const SCOPE_END = 'scope-end';

export const AS_OF_USAGE = `  --as-of <instant|scope-end>  evaluate current_timestamp(), current_date(), now() and every other
                          "now" at this ISO-8601 instant (2026-11-30T14:00:00Z, 2026-11-30), or at
                          scope-end: 24:00 UTC of --to, else of the last date read (default: the
                          wall clock when the run starts)`;

/** The instant that answered, and the choice it came from. */
export interface AsOfAnswer {
  choice: AsOfChoice;
  /** Epoch milliseconds. */
  at: number;
}

/** The choice `--as-of` names (the wall clock without it). A value that is neither an instant nor `scope-end` is a usage error. */
export function asOfChoice(args: CliArgs, hint: string): AsOfChoice {
  const text = lastValue(args, AS_OF_OPTION);
  if (text === undefined) return AS_OF_NOW;
  if (text.trim().toLowerCase() === SCOPE_END) return { kind: 'scope-end' };
  if (parseInstant(text) === undefined) {
    throw usageError(`--as-of '${text}' is neither an ISO-8601 instant (2026-11-30T14:00:00Z) nor '${SCOPE_END}'.`, hint);
  }
  return { kind: 'instant', at: text.trim() };
}

/**
 * The instant `--as-of` resolves to over a selection: `scope-end` ends the `--to` date, else the last
 * `date=` partition among the files the load read (`loadedFiles`, URIs or paths). Call `asOfChoice`
 * before the load to reject a bad value early, and this once the load has read its files.
 * `scope-end` with neither a `--to` nor a file read is a usage error.
 */
export function resolveAsOfOption(
  args: CliArgs,
  selection: SourceSelection,
  loadedFiles: readonly string[],
  hint: string,
  wallClock: number = Date.now(),
): AsOfAnswer {
  const choice = asOfChoice(args, hint);
  const lastDate = selection.filter.to ?? lastPartitionDate(loadedFiles);
  const at = resolveAsOf(choice, lastDate, wallClock);
  if (at === undefined) {
    throw usageError(`--as-of ${SCOPE_END} needs a last date: give --to, or select files to read.`, hint);
  }
  return { choice, at };
}

/**
 * `--as-of` for a command that loads first: checks its value now (a bad one fails before any load)
 * and gives what answers it once the load has read its files (`loadedFiles`, as for
 * resolveAsOfOption): undefined when the option was not given, so outputs name no instant.
 */
export function asOfAfterLoad(args: CliArgs, selection: SourceSelection, hint: string): (loadedFiles: readonly string[]) => AsOfAnswer | undefined {
  asOfChoice(args, hint);
  return (loadedFiles) => (asOfGiven(args) ? resolveAsOfOption(args, selection, loadedFiles, hint) : undefined);
}

/** Whether `--as-of` was given: only then do outputs name the instant. */
export function asOfGiven(args: CliArgs): boolean {
  return lastValue(args, AS_OF_OPTION) !== undefined;
}

/** The stderr line a table output prints: `as of 2026-11-30T14:00:00.000Z`. */
export function asOfLine(answer: AsOfAnswer): string {
  return `as of ${new Date(answer.at).toISOString()}${answer.choice.kind === 'scope-end' ? ' (end of scope)' : ''}\n`;
}
