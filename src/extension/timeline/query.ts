/**
 * What a Timeline panel asks the engine, pure so it is tested without VS Code: the first query
 * over a scope, and the runner's request for a query (the window as instants, capped at the
 * as-of instant: a timeline "as of" an instant shows what had happened by then).
 */
import { windowBefore } from '../../core/timeline/window';
import { resolveAsOf } from '../../shared/asOf';
import type { NotebookScope } from '../../shared/notebook/format';
import type { Identity } from '../../shared/timeline';
import type { TimelineQuery, TimelineWindow } from '../../protocol/timeline';
import type { TimelineRequest } from '../../worker/timeline/runTimeline';

const DAY_MS = 86_400_000;

/** A new panel's query: the scope's dates, as of now. */
export function initialQuery(identity: Identity, scope: NotebookScope): TimelineQuery {
  const window: TimelineWindow = { kind: 'range', ...(scope.from ? { from: scope.from } : {}), ...(scope.to ? { to: scope.to } : {}) };
  return { identity, window, asOf: { kind: 'now' } };
}

/** The window's first and last instants in epoch ms (both inclusive; absent ends are open). */
export function windowInstants(window: TimelineWindow): { from?: number; to?: number } {
  if (window.kind === 'around') {
    const at = Date.parse(window.at);
    return { from: at - window.windowMs, to: at + window.windowMs };
  }
  return {
    ...(window.from ? { from: Date.parse(`${window.from}T00:00:00Z`) } : {}),
    ...(window.to ? { to: Date.parse(`${window.to}T00:00:00Z`) + DAY_MS - 1 } : {}),
  };
}

/** The last date the query can read (for `scope-end`): the window's, else the scope's. */
function lastDate(query: TimelineQuery, scope: NotebookScope): string | undefined {
  const { to } = windowInstants(query.window);
  return to === undefined ? scope.to : new Date(to).toISOString().slice(0, 10);
}

export function timelineRequest(query: TimelineQuery, scope: NotebookScope, wallClock = Date.now()): TimelineRequest {
  const instants = windowInstants(query.window);
  const asOf = query.asOf.kind === 'now' ? undefined : resolveAsOf(query.asOf, lastDate(query, scope), wallClock);
  const { from, to: end } = asOf === undefined ? instants : windowBefore(instants, asOf);
  return {
    identity: query.identity,
    sources: [...scope.sources],
    ...(scope.workspaces && scope.workspaces.length > 0 ? { filter: { workspaces: [...scope.workspaces] } } : {}),
    window: { ...(from !== undefined ? { from } : {}), ...(end !== undefined ? { to: end } : {}) },
  };
}
