import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isEmptyWindow, windowBefore, windowPartitionFilter } from '../../../src/core/timeline';

const at = (iso: string) => Date.parse(iso);

test('the partition filter spans the dates of the window and one day on each side', () => {
  assert.deepEqual(windowPartitionFilter({ from: at('2026-11-30T02:00:00Z'), to: at('2026-11-30T20:00:00Z') }), { from: '2026-11-29', to: '2026-12-01' });
  assert.deepEqual(windowPartitionFilter({ to: at('2026-01-01T00:00:00Z') }), { to: '2026-01-02' });
  assert.deepEqual(windowPartitionFilter({}), {});
});

test("the caller's dates and workspaces narrow it further, never widen it", () => {
  const window = { from: at('2026-11-30T02:00:00Z'), to: at('2026-11-30T20:00:00Z') };
  assert.deepEqual(windowPartitionFilter(window, { from: '2026-11-30', workspaces: ['0'] }), { from: '2026-11-30', to: '2026-12-01', workspaces: ['0'] });
  assert.deepEqual(windowPartitionFilter(window, { from: '2026-11-01', to: '2026-12-31' }), { from: '2026-11-29', to: '2026-12-01' });
  assert.deepEqual(windowPartitionFilter({}, { from: '2026-11-01' }), { from: '2026-11-01' });
});

test('a window whose start is after its end is empty', () => {
  assert.equal(isEmptyWindow({ from: 2, to: 1 }), true);
  assert.equal(isEmptyWindow({ from: 1, to: 1 }), false);
  assert.equal(isEmptyWindow({ from: 1 }), false);
});

test('a window as of an instant ends just before it', () => {
  assert.deepEqual(windowBefore({ from: 1, to: 100 }, 50), { from: 1, to: 49 });
  assert.deepEqual(windowBefore({ from: 1, to: 100 }, 500), { from: 1, to: 100 });
  assert.deepEqual(windowBefore({}, 50), { to: 49 });
  assert.equal(isEmptyWindow(windowBefore({ from: 50 }, 50)), true);
});
