/**
 * The instant a statement's "now" (current_timestamp(), current_date(), now(), …) evaluates at:
 * the wall clock, the end of the selected scope (24:00 UTC of its last date), or a fixed instant.
 * A notebook saves the choice; the CLI reads it from `--as-of`.
 */

export type AsOfChoice = { kind: 'now' } | { kind: 'scope-end' } | { kind: 'instant'; at: string };

export const AS_OF_NOW: AsOfChoice = { kind: 'now' };

const DAY_MS = 86_400_000;

/**
 * The instant in epoch milliseconds for a choice, given the scope's last date (`yyyy-mm-dd`, when
 * one is known) and the wall clock. Undefined for `scope-end` when the scope has no last date.
 */
export function resolveAsOf(choice: AsOfChoice, lastDate: string | undefined, wallClock: number = Date.now()): number | undefined {
  switch (choice.kind) {
    case 'now':
      return wallClock;
    case 'scope-end':
      return lastDate === undefined ? undefined : Date.parse(`${lastDate}T00:00:00Z`) + DAY_MS;
    case 'instant':
      return parseInstant(choice.at);
  }
}

/** An ISO-8601 instant (`2026-11-30T14:00:00Z`, an offset, or a date alone as 00:00 UTC) in epoch ms, or undefined. */
export function parseInstant(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(trimmed)) return validDate(Date.parse(`${trimmed}T00:00:00Z`));
  const iso = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;
  if (!iso.test(trimmed)) return undefined;
  return validDate(Date.parse(trimmed.replace(' ', 'T').replace(/(\.\d{3})\d+/, '$1')));
}

function validDate(ms: number): number | undefined {
  return Number.isFinite(ms) ? ms : undefined;
}

/** A choice as saved in a notebook or sent with a run (`{"kind":"instant","at":"…"}`), or undefined when it is not one. */
export function parseAsOfChoice(value: unknown): AsOfChoice | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { kind, at } = value as { kind?: unknown; at?: unknown };
  if (kind === 'now' || kind === 'scope-end') return { kind };
  if (kind === 'instant' && typeof at === 'string' && at.length <= 64 && parseInstant(at) !== undefined) return { kind, at };
  return undefined;
}

/** The instant as a person reads it in a result: `2026-11-30T14:00:00.000Z`, or `now (…)` / `end of scope (…)` for those choices. */
export function answeredAt(choice: AsOfChoice, at: number): string {
  const iso = new Date(at).toISOString();
  if (choice.kind === 'now') return `now (${iso})`;
  return choice.kind === 'scope-end' ? `end of scope (${iso})` : iso;
}
