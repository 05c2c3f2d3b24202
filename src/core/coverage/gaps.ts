/**
 * Where a workspace went quiet when its own rate says it should not have. The rule: a run of
 * hours without events is a gap when the hour just before it and the hour just after it each hold
 * at least `minNeighbourEvents` events. A busy workspace that falls silent between busy hours is
 * flagged; a quiet one (a few events a day) never is, nor is a night between quiet evenings and
 * mornings. A silence that runs to the scope's last hour after a busy hour means delivery may have
 * stopped: it is a gap with no hour after.
 */
import type { Gap } from './types';
import { HOUR_MS } from './read';

export const DEFAULT_MIN_NEIGHBOUR_EVENTS = 20;

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * `hours`: start of each hour with events (epoch ms) → events; `scopeEnd`: start of the last hour
 * of the scope (the newest hour any workspace has events). Returns the gaps in time order.
 */
export function findGaps(hours: ReadonlyMap<number, number>, scopeEnd: number, minNeighbourEvents = DEFAULT_MIN_NEIGHBOUR_EVENTS): { gaps: Gap[]; stopped: boolean } {
  const busy = [...hours.keys()].sort((a, b) => a - b);
  const gaps: Gap[] = [];
  for (let i = 0; i + 1 < busy.length; i++) {
    const [before, after] = [busy[i]!, busy[i + 1]!];
    const silent = (after - before) / HOUR_MS - 1;
    if (silent < 1) continue;
    const [eventsBefore, eventsAfter] = [hours.get(before)!, hours.get(after)!];
    if (eventsBefore < minNeighbourEvents || eventsAfter < minNeighbourEvents) continue;
    gaps.push({ from: iso(before + HOUR_MS), to: iso(after), hours: silent, before: eventsBefore, after: eventsAfter });
  }
  const last = busy.at(-1);
  let stopped = false;
  if (last !== undefined && last < scopeEnd && hours.get(last)! >= minNeighbourEvents) {
    stopped = true;
    gaps.push({ from: iso(last + HOUR_MS), to: iso(scopeEnd + HOUR_MS), hours: (scopeEnd - last) / HOUR_MS, before: hours.get(last)!, after: null });
  }
  return { gaps, stopped };
}
