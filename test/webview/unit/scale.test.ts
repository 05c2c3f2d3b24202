import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { niceScale } from '../../../webview/charts/scale';

describe('chart y scale', () => {
  it('puts gridlines on round steps of 1, 2 or 5 × 10ⁿ', () => {
    assert.deepEqual(niceScale(470), { max: 500, ticks: 5 });
    assert.deepEqual(niceScale(150), { max: 150, ticks: 3 });
    assert.deepEqual(niceScale(87), { max: 100, ticks: 5 });
    assert.deepEqual(niceScale(559), { max: 600, ticks: 3 });
    assert.deepEqual(niceScale(3), { max: 3, ticks: 3 });
    assert.deepEqual(niceScale(0.8), { max: 0.8, ticks: 4 });
  });

  it('steps small counts by whole numbers', () => {
    assert.deepEqual(niceScale(1), { max: 1, ticks: 1 });
    assert.deepEqual(niceScale(4), { max: 4, ticks: 4 });
  });

  it('always covers the highest value', () => {
    for (const value of [0.3, 1, 7, 12, 99, 101, 999, 1000, 1001, 12345, 2_000_000]) {
      const { max, ticks } = niceScale(value);
      assert.ok(max >= value, `${value} → ${max}`);
      assert.ok(ticks >= 1 && ticks <= 10, `${value} → ${ticks} ticks`);
      assert.ok(max / ticks < value || ticks === 1, `${value}: the top gridline is not a whole step above the data`);
    }
  });

  it('gives an empty or zero chart a unit scale', () => {
    assert.deepEqual(niceScale(0), { max: 1, ticks: 1 });
    assert.deepEqual(niceScale(Number.NaN), { max: 1, ticks: 1 });
  });
});
