import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assembleTimeline, orderEvents, TIMELINE_COLUMNS, timelineStatements } from '../../../src/core/timeline';
import type { CellValue, QueryResult } from '../../../src/shared/sql/result';
import type { TimelineEvent } from '../../../src/shared/timeline';
import { anEvent } from '../../support/timelineEvents';

/** An event of workspace 1 with no request id: only the fields a test gives tell it apart. */
const event = (overrides: Partial<TimelineEvent>): TimelineEvent => anEvent({ workspaceId: '1', requestId: null, _file: 'f', ...overrides });

function result(rows: Partial<Record<(typeof TIMELINE_COLUMNS)[number], CellValue>>[]): QueryResult {
  const columns = [...TIMELINE_COLUMNS];
  return { columns, columnKinds: columns.map(() => 'value'), rows: rows.map((row) => columns.map((c) => row[c] ?? null)), rowCount: rows.length, truncated: false, durationMs: 0 };
}

test('events go in time order, those without a timestamp last, ties by workspace, file and line', () => {
  const events = [
    event({ timestamp: null, _line: 9 }),
    event({ timestamp: 5, workspaceId: '10', _line: 1 }),
    event({ timestamp: 5, workspaceId: '9', _line: 2 }),
    event({ timestamp: 5, workspaceId: '9', _line: 1 }),
    event({ timestamp: 1, _line: 7 }),
  ];
  assert.deepEqual(
    orderEvents(events).map((e) => [e.timestamp, e.workspaceId, e._line]),
    [[1, '1', 7], [5, '9', 1], [5, '9', 2], [5, '10', 1], [null, '1', 9]],
  );
});

test("a request's later result follows it at once; the same requestId in another workspace is another request", () => {
  const events = [
    event({ timestamp: 30, requestId: 'r', actionName: 'createResult' }),
    event({ timestamp: 10, requestId: 'r', actionName: 'create' }),
    event({ timestamp: 20, requestId: 'other', actionName: 'list' }),
    event({ timestamp: 25, requestId: 'r', workspaceId: '2', actionName: 'elsewhere' }),
    event({ timestamp: 40, requestId: '', actionName: 'a' }),
    event({ timestamp: 41, requestId: '', actionName: 'b' }),
  ];
  assert.deepEqual(orderEvents(events).map((e) => e.actionName), ['create', 'createResult', 'list', 'elsewhere', 'a', 'b']);
});

test('assembly reads cells by column name and counts per workspace and service, first and last, IPs and agents', () => {
  const timeline = assembleTimeline({ kind: 'actor', value: 'a@x' }, [
    result([
      { timestamp: 300, workspaceId: '0', serviceName: 'accounts', email: 'a@x', sourceIPAddress: '1.1.1.1', userAgent: 'ua', statusCode: 200, _file: 'f0', _line: 3 },
      { timestamp: 100, workspaceId: '22', serviceName: 'clusters', email: 'a@x', sourceIPAddress: '1.1.1.1', userAgent: 'ua2', _file: 'f1', _line: 1 },
    ]),
    result([{ timestamp: 200, workspaceId: '0', serviceName: 'accounts', email: null, attemptedUser: 'a@x', sourceIPAddress: '', statusCode: '401', errorMessage: 'Invalid', _file: 'f0', _line: 2 }]),
    result([{ timestamp: null, workspaceId: '3', serviceName: null, _file: 'f3', _line: 1 }]),
  ]);
  assert.deepEqual(timeline.events.map((e) => e.timestamp), [100, 200, 300, null]);
  assert.equal(timeline.events[1]!.actor, 'a@x', 'a failed login names its attempted user');
  assert.equal(timeline.events[1]!.statusCode, 401);
  assert.equal(timeline.events[1]!.errorMessage, 'Invalid');
  assert.deepEqual(timeline.summary, {
    events: 4,
    workspaces: ['0', '3', '22'],
    services: { '(none)': 1, accounts: 2, clusters: 1 },
    byWorkspaceService: { '0': { accounts: 2 }, '3': { '(none)': 1 }, '22': { clusters: 1 } },
    first: 100,
    last: 300,
    ipAddresses: [{ value: '1.1.1.1', events: 2 }],
    userAgents: [
      { value: 'ua', events: 1 },
      { value: 'ua2', events: 1 },
    ],
  });
});

test('statements select exactly the assembly columns, one simple WHERE per alternative', () => {
  const [email, attempted] = timelineStatements({ kind: 'actor', value: "o'b" }, { from: 1, to: 2 });
  assert.match(email!, /^SELECT .* FROM audit_logs WHERE userIdentity\.email = 'o\\'b' AND timestamp >= 1 AND timestamp <= 2$/);
  assert.match(attempted!, /WHERE requestParams\.user = 'o\\'b' AND userIdentity\.email IS NULL AND timestamp >= 1 AND timestamp <= 2$/);
  for (const [kind, field] of [['session', 'sessionId'], ['request', 'requestId']] as const) {
    const statements = timelineStatements({ kind, value: 'v' });
    assert.deepEqual(statements.map((s) => s.replace(/^SELECT .* FROM/, 'FROM')), [`FROM audit_logs WHERE ${field} = 'v'`]);
  }
  const ip = timelineStatements({ kind: 'ip', value: "v'" });
  assert.deepEqual(ip.map((s) => s.replace(/^SELECT .* FROM/, 'FROM')), [`FROM audit_logs WHERE sourceIPAddress = 'v\\''`, `FROM audit_logs WHERE sourceIPAddress LIKE 'v\\':%'`]);
});
