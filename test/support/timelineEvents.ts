/** Builders for the timeline tests: events, a timeline summarized by the engine's own code, and a webview host that answers. */
import { orderEvents, summarize } from '../../src/core/timeline';
import type { Identity, Timeline, TimelineEvent } from '../../src/shared/timeline';
import type { TimelineHostMessage, TimelineQuery, TimelineWebviewMessage } from '../../src/protocol/timeline';

export const T0 = Date.UTC(2026, 10, 30, 9, 0);
const MINUTE = 60_000;

export function anEvent(overrides: Partial<TimelineEvent> = {}): TimelineEvent {
  return {
    timestamp: T0,
    workspaceId: '1234567890123456',
    serviceName: 'clusters',
    actionName: 'create',
    requestId: 'req-1',
    sourceIPAddress: '198.51.100.7',
    userAgent: 'Databricks-CLI/0.218',
    statusCode: 200,
    _file: 'gs://audit-bucket/logs/workspaceId=1234567890123456/date=2026-11-30/auditlogs_a.json',
    _line: 1,
    actor: 'alice@example.com',
    sessionId: 's-1',
    errorMessage: null,
    ...overrides,
  };
}

export function aTimeline(events: TimelineEvent[], identity: Identity = { kind: 'actor', value: 'alice@example.com' }): Timeline {
  const ordered = orderEvents(events);
  return { identity, events: ordered, summary: summarize(ordered) };
}

const SERVICES = ['clusters', 'accounts', 'jobs', 'notebook', 'unityCatalog'];
const WORKSPACES = ['0', '1234567890123456', '98765432109876543210'];
const IPS = ['198.51.100.7', '203.0.113.9', '192.0.2.44'];

/** n events over about two days across three workspaces and five services; every 17th fails. */
export function manyEvents(n: number): TimelineEvent[] {
  return Array.from({ length: n }, (_, i) =>
    anEvent({
      timestamp: T0 + Math.floor((i * 2 * 24 * 60 * MINUTE) / n),
      workspaceId: WORKSPACES[i % 3]!,
      serviceName: SERVICES[(i >> 1) % 5]!,
      actionName: ['create', 'login', 'runNow'][i % 3]!,
      requestId: `req-${i}`,
      sourceIPAddress: IPS[i % 3]!,
      sessionId: `s-${i % 4}`,
      statusCode: i % 17 === 0 ? 403 : 200,
      errorMessage: i % 17 === 0 ? 'PERMISSION_DENIED' : null,
      _line: i + 1,
    }),
  );
}

export const A_SCOPE = { sources: ['gs://audit-bucket/logs'], from: '2026-11-29', to: '2026-12-01' };

export function aQuery(identity: Identity = { kind: 'actor', value: 'alice@example.com' }): TimelineQuery {
  return { identity, window: { kind: 'range', from: '2026-11-29', to: '2026-12-01' }, asOf: { kind: 'now' } };
}

/** A host that shows `query` and, on ready, the timeline. */
export function timelineHost(timeline: Timeline, query: TimelineQuery = aQuery(timeline.identity)) {
  return async (message: TimelineWebviewMessage, send: (m: TimelineHostMessage) => Promise<void>) => {
    if (message.method !== 'ready') return;
    await send({ kind: 'notify', method: 'show', params: { query, scope: A_SCOPE, scopeLabel: 'gs://audit-bucket/logs · 2026-11-29…2026-12-01' } });
    await send({ kind: 'notify', method: 'status', params: { state: 'ready', timeline, durationMs: 120 } });
  };
}
