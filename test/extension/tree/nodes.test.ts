import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatCounts, groupDates, nodeId, totalOf, workspaceLabel } from '../../../src/extension/tree/nodes';

function daysOf(first: string, count: number): string[] {
  const start = Date.parse(`${first}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) => new Date(start + i * 86_400_000).toISOString().slice(0, 10));
}

test('lists a few dates flat, newest first', () => {
  const nodes = groupDates('gs://b/p', '42', ['2024-05-01', '2024-05-02', '2024-05-03']);
  assert.deepEqual(nodes.map((n) => (n.kind === 'date' ? n.date : n.month)), ['2024-05-03', '2024-05-02', '2024-05-01']);
});

test('groups many dates by month, newest month and newest day first', () => {
  const nodes = groupDates('gs://b/p', '42', daysOf('2024-01-15', 60));
  assert.deepEqual(nodes.map((n) => n.kind), ['month', 'month', 'month']);
  const months = nodes.map((n) => (n.kind === 'month' ? [n.month, n.dates.length, n.dates[0]] : []));
  assert.deepEqual(months, [['2024-03', 14, '2024-03-14'], ['2024-02', 29, '2024-02-29'], ['2024-01', 17, '2024-01-31']]);
});

test('names workspace 0 as the account level', () => {
  assert.equal(workspaceLabel('0'), 'Account level');
  assert.equal(workspaceLabel('1234567890123456789'), '1234567890123456789');
});

test('formats counts, leaving out zero errors', () => {
  assert.equal(formatCounts({ events: 1, errors: 0 }), '1 event');
  assert.equal(formatCounts({ events: 12345, errors: 1 }), '12,345 events · 1 error');
  assert.deepEqual(totalOf([{ events: 2, errors: 1 }, { events: 3, errors: 0 }]), { events: 5, errors: 1 });
});

test('gives every node kind a distinct id', () => {
  const ids = new Set([
    nodeId({ kind: 'source', sourceUri: 's' }),
    nodeId({ kind: 'workspace', sourceUri: 's', workspaceId: '1' }),
    nodeId({ kind: 'date', sourceUri: 's', workspaceId: '1', date: '2024-05-01' }),
    nodeId({ kind: 'month', sourceUri: 's', workspaceId: '1', month: '2024-05', dates: [] }),
  ]);
  assert.equal(ids.size, 4);
});
