import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkFilter,
  compareWorkspaceIds,
  formatObjectPath,
  isValidDate,
  lastDays,
  matchesFilter,
  parseObjectPath,
} from '../../../src/core/layout';

test('parses a delivered path with a prefix', () => {
  const r = parseObjectPath('audit/logs/workspaceId=1234567890123456789/date=2024-02-29/auditlogs_abc-1.json');
  assert.deepEqual(r, {
    ok: true,
    value: { prefix: 'audit/logs', workspaceId: '1234567890123456789', date: '2024-02-29', fileName: 'auditlogs_abc-1.json', internalId: 'abc-1' },
  });
});

test('parses a path without a prefix and keeps big ids exact', () => {
  const r = parseObjectPath('workspaceId=0/date=2024-01-01/auditlogs_x.json');
  assert.ok(r.ok);
  assert.equal(r.value.prefix, '');
  assert.equal(r.value.workspaceId, '0');
});

test('a known prefix must match', () => {
  assert.equal(parseObjectPath('other/workspaceId=1/date=2024-01-01/auditlogs_x.json', 'logs').ok, false);
  assert.ok(parseObjectPath('logs/workspaceId=1/date=2024-01-01/auditlogs_x.json', '/logs/').ok);
});

test('gives a reason for paths that do not fit', () => {
  const cases: Array<[string, RegExp]> = [
    ['logs/readme.txt', /no 'workspaceId=<id>' folder/],
    ['workspaceId=abc/date=2024-01-01/auditlogs_x.json', /not a 'workspaceId=<digits>'/],
    ['workspaceId=1/date=2024-02-30/auditlogs_x.json', /not a calendar date/],
    ['workspaceId=1/day=2024-02-01/auditlogs_x.json', /not a 'date=<yyyy-mm-dd>'/],
    ['workspaceId=1/date=2024-02-01/other.json', /not an 'auditlogs_<id>.json'/],
    ['workspaceId=1/date=2024-02-01/x/auditlogs_x.json', /does not fit/],
  ];
  for (const [path, reason] of cases) {
    const r = parseObjectPath(path);
    assert.equal(r.ok, false, path);
    if (!r.ok) assert.match(r.reason, reason);
  }
});

test('formats what it parses', () => {
  for (const p of ['a/b/workspaceId=42/date=2023-12-31/auditlogs_z.json', 'workspaceId=0/date=2023-01-01/auditlogs_q.json']) {
    const r = parseObjectPath(p);
    assert.ok(r.ok);
    assert.equal(formatObjectPath(r.value), p);
  }
});

test('calendar dates and filters', () => {
  assert.ok(isValidDate('2024-02-29'));
  assert.ok(!isValidDate('2023-02-29'));
  assert.ok(!isValidDate('2023-13-01'));
  const f = { from: '2024-01-02', to: '2024-01-03', workspaces: ['7'] };
  assert.ok(matchesFilter({ workspaceId: '7', date: '2024-01-02' }, f));
  assert.ok(!matchesFilter({ workspaceId: '7', date: '2024-01-04' }, f));
  assert.ok(!matchesFilter({ workspaceId: '8', date: '2024-01-02' }, f));
  assert.ok(matchesFilter({ workspaceId: '8', date: '1999-01-01' }, {}));
  assert.match(checkFilter({ from: '2024-01-05', to: '2024-01-01' }) ?? '', /after/);
  assert.match(checkFilter({ from: '2024/01/05' }) ?? '', /YYYY-MM-DD/);
  assert.match(checkFilter({ workspaces: ['x1'] }) ?? '', /digits only/);
  assert.equal(checkFilter(f), undefined);
});

test('workspace ids sort numerically as strings', () => {
  const ids = ['10', '9', '0', '1234567890123456789', '1234567890123456788'];
  assert.deepEqual([...ids].sort(compareWorkspaceIds), ['0', '9', '10', '1234567890123456788', '1234567890123456789']);
});

test('the last N days end today (UTC) and include it', () => {
  const now = new Date('2024-03-01T23:30:00Z');
  assert.deepEqual(lastDays(1, now), { from: '2024-03-01', to: '2024-03-01' });
  assert.deepEqual(lastDays(7, now), { from: '2024-02-24', to: '2024-03-01' });
});
