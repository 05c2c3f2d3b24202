/**
 * The options of `audit-lens timeline` that say whose events and when: exactly one identity
 * (`--actor`, `--ip`, `--session`, `--request`) and the window (`--around` ± `--window`, capped at
 * `--as-of`; `--from`/`--to` are the source options' dates).
 */
import { windowBefore, type TimelineWindow } from '../core/timeline';
import { parseInstant } from '../shared/asOf';
import type { Identity, IdentityKind } from '../shared/timeline';
import { allValues, lastValue, usageError } from './args';
import { asOfGiven, resolveAsOfOption, type AsOfAnswer } from './asOf';
import type { CliArgs } from './command';
import type { SourceSelection } from './sourceOptions';

const IDENTITY_OPTIONS: readonly { option: string; kind: IdentityKind }[] = [
  { option: 'actor', kind: 'actor' },
  { option: 'ip', kind: 'ip' },
  { option: 'session', kind: 'session' },
  { option: 'request', kind: 'request' },
];

export const IDENTITY_VALUE_OPTIONS = IDENTITY_OPTIONS.map((o) => o.option);
export const WINDOW_VALUE_OPTIONS = ['around', 'window'] as const;

const HOUR_MS = 3_600_000;
/** `--around T` alone covers T ± 6 hours. */
const DEFAULT_AROUND_WINDOW_MS = 6 * HOUR_MS;
/** `--as-of T` alone covers the day up to T. */
const DEFAULT_AS_OF_WINDOW_MS = 24 * HOUR_MS;

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: HOUR_MS, d: 24 * HOUR_MS, w: 7 * 24 * HOUR_MS };

/** The one identity the options name; none or several is a usage error. */
export function timelineIdentity(args: CliArgs, hint: string): Identity {
  const given = IDENTITY_OPTIONS.flatMap(({ option, kind }) => allValues(args, option).map((value) => ({ option, kind, value })));
  if (given.length === 0) throw usageError('Name whose events to show: one of --actor EMAIL, --ip ADDRESS, --session ID, --request ID.', hint);
  if (given.length > 1) throw usageError(`Give exactly one identity, not ${given.map((g) => `--${g.option}`).join(' and ')}.`, hint);
  const { option, kind, value } = given[0]!;
  if (value === '') throw usageError(`--${option} needs a value.`, hint);
  return { kind, value };
}

/** A length of time written `6h`, `30m`, `2d`, `90s`, `1w` (a decimal number is fine: `1.5h`), in ms. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)([smhdw])$/.exec(text.trim());
  if (!match) return undefined;
  const ms = Number(match[1]) * UNIT_MS[match[2]!]!;
  return ms > 0 && Number.isFinite(ms) ? Math.round(ms) : undefined;
}

export interface TimelineTime {
  window: TimelineWindow;
  /** The `--as-of` instant, when given. */
  asOf?: AsOfAnswer;
}

/**
 * The window of instants: `--around T --window W` is [T − W, T + W]; `--as-of A` alone is
 * [A − W, A) (W defaults to a day); `--from`/`--to` alone leave it open (the dates decide). An
 * `--as-of` instant also ends every other window: nothing from it on is shown.
 */
export function timelineTime(args: CliArgs, selection: SourceSelection, hint: string, wallClock: number = Date.now()): TimelineTime {
  const aroundText = lastValue(args, 'around');
  const windowText = lastValue(args, 'window');
  const windowMs = windowText === undefined ? undefined : parseDuration(windowText);
  if (windowText !== undefined && windowMs === undefined) throw usageError(`--window '${windowText}' is not a length of time such as 6h, 30m or 2d.`, hint);
  const asOf = asOfGiven(args) ? resolveAsOfOption(args, selection, [], hint, wallClock) : undefined;

  if (aroundText !== undefined) {
    if (selection.filter.from !== undefined || selection.filter.to !== undefined) throw usageError('Give either --from/--to dates or --around an instant, not both.', hint);
    const around = parseInstant(aroundText);
    if (around === undefined) throw usageError(`--around '${aroundText}' is not an ISO-8601 instant (2026-11-30T14:00:00Z).`, hint);
    const half = windowMs ?? DEFAULT_AROUND_WINDOW_MS;
    return withAsOf({ from: around - half, to: around + half }, asOf);
  }
  if (asOf !== undefined && selection.filter.from === undefined && selection.filter.to === undefined) {
    return withAsOf({ from: asOf.at - (windowMs ?? DEFAULT_AS_OF_WINDOW_MS) }, asOf);
  }
  if (windowMs !== undefined) throw usageError('--window needs --around (or --as-of without --from/--to): it is the time on each side of that instant.', hint);
  return withAsOf({}, asOf);
}

function withAsOf(window: TimelineWindow, asOf: AsOfAnswer | undefined): TimelineTime {
  if (asOf === undefined) return { window };
  return { window: windowBefore(window, asOf.at), asOf };
}
