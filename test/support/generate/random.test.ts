import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from './';

test('a seed always gives the same sequence, and different seeds differ', () => {
  const seq = (seed: string | number) => Array.from({ length: 5 }, ((r) => () => r.next())(new Random(seed)));
  assert.deepEqual(seq('a'), seq('a'));
  assert.notDeepEqual(seq('a'), seq('b'));
  assert.deepEqual(seq(7), seq('7'));
});

test('values stay in their ranges', () => {
  const r = new Random(1);
  for (let i = 0; i < 2000; i++) {
    const x = r.next();
    assert.ok(x >= 0 && x < 1);
    const n = r.int(3, 5);
    assert.ok(n >= 3 && n <= 5 && Number.isInteger(n));
  }
  assert.match(r.uuid(), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.match(r.digits(16), /^[1-9]\d{15}$/);
});

test('weighted picks follow their weights', () => {
  const r = new Random('w');
  let heavy = 0;
  for (let i = 0; i < 4000; i++) if (r.weighted([['a', 9], ['b', 1]] as const) === 'a') heavy++;
  assert.ok(heavy > 3400 && heavy < 3800, String(heavy));
});
