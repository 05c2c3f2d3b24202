/** The default row budget follows the machine's memory, within what sql.js can hold. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { defaultRowBudget, MAX_ROW_BUDGET, PEAK_BYTES_PER_RECORD } from '../../../src/core/sql/budget';

it('allows a quarter of memory at the measured peak per record, in steps of 100,000, capped below sql.js\'s limit', () => {
  const GiB = 1024 ** 3;
  assert.equal(defaultRowBudget(8 * GiB), Math.floor((8 * GiB) / 4 / PEAK_BYTES_PER_RECORD / 100_000) * 100_000);
  assert.ok(defaultRowBudget(8 * GiB) < defaultRowBudget(16 * GiB));
  assert.equal(defaultRowBudget(256 * GiB), MAX_ROW_BUDGET);
  assert.equal(defaultRowBudget(64 * 1024 ** 2), 100_000);
});
