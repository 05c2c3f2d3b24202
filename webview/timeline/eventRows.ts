/** A timeline's events as grid rows (with the provenance columns a row opens its raw line by), and the sessions they carry. */
import type { TimelineEvent } from '../../src/shared/timeline';
import { formatInstant } from './stripModel';

export const EVENT_COLUMNS = ['time (UTC)', 'workspaceId', 'serviceName', 'actionName', 'statusCode', 'sourceIPAddress', 'actor', 'sessionId', 'requestId', 'userAgent', 'errorMessage', '_file', '_line'] as const;

export function eventRows(events: readonly TimelineEvent[]): unknown[][] {
  return events.map((e) => [
    formatInstant(e.timestamp) || null,
    e.workspaceId,
    e.serviceName,
    e.actionName,
    e.statusCode,
    e.sourceIPAddress,
    e.actor ?? null,
    e.sessionId ?? null,
    e.requestId,
    e.userAgent,
    e.errorMessage ?? null,
    e._file,
    e._line,
  ]);
}

/** Distinct session ids with their event counts, most used first. */
export function sessionsOf(events: readonly TimelineEvent[]): { value: string; events: number }[] {
  const counts = new Map<string, number>();
  for (const e of events) if (e.sessionId) counts.set(e.sessionId, (counts.get(e.sessionId) ?? 0) + 1);
  return [...counts].map(([value, n]) => ({ value, events: n })).sort((a, b) => b.events - a.events || (a.value < b.value ? -1 : 1));
}
