/**
 * A Timeline panel brought back after a reload, from the state its page kept: the query, and the
 * scope when `mayRead` allows its sources (else the configured default). Pure.
 */
import { parseAsOfChoice, parseIdentity, parseTimelineWindow, type TimelineQuery } from '../../protocol/timeline';
import { parseScope, type NotebookScope } from '../../shared/notebook/format';
import { initialQuery } from './query';

export interface RestoredTimeline {
  query: TimelineQuery;
  scope: NotebookScope;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Undefined when the state names no identity (nothing to show); a bad window or as-of starts as a new panel's does. */
export function restoredTimeline(state: unknown, fallbackScope: NotebookScope, mayRead: (sources: readonly string[]) => boolean): RestoredTimeline | undefined {
  if (!isRecord(state) || !isRecord(state.query)) return undefined;
  const identity = parseIdentity(state.query.identity);
  if (!identity) return undefined;
  const saved = parseScope(state.scope);
  const scope = saved.ok && mayRead(saved.value.sources) ? saved.value : fallbackScope;
  const fresh = initialQuery(identity, scope);
  return { query: { identity, window: parseTimelineWindow(state.query.window) ?? fresh.window, asOf: parseAsOfChoice(state.query.asOf) ?? fresh.asOf }, scope };
}
