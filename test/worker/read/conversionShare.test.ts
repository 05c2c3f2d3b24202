/** The share of byte-filtered lines the read thread converts: it follows whether the session kept up. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConversionShare } from '../../../src/worker/read/conversionShare';

function picks(share: ConversionShare, lines: number): boolean[] {
  return Array.from({ length: lines }, () => share.take());
}

describe('the conversion share of the read thread', () => {
  it('picks lines evenly: none at 0, every one at 1, every other at a half', () => {
    assert.deepEqual(picks(new ConversionShare(0), 50), Array(50).fill(false));
    assert.deepEqual(picks(new ConversionShare(1), 50), Array(50).fill(true));
    const half = picks(new ConversionShare(0.5), 100);
    assert.equal(half.filter(Boolean).length, 50);
    assert.ok(half.every((taken, i) => i === 0 || taken !== half[i - 1]), 'alternating');
    assert.equal(picks(new ConversionShare(0.2), 1000).filter(Boolean).length, 200);
  });

  it('rises a step each time a chunk waited for the session, falls a step each time it did not, within 0 and 1', () => {
    const share = new ConversionShare(0, 0.25, 0.25);
    share.sent(false);
    assert.equal(share.share, 0);
    for (let i = 0; i < 3; i++) share.sent(true);
    assert.equal(share.share, 0.75);
    share.sent(true);
    share.sent(true);
    assert.equal(share.share, 1);
    share.sent(false);
    assert.equal(share.share, 0.75);
  });

  it('falls faster than it rises: a session behind one chunk in ten keeps it at 0', () => {
    const share = new ConversionShare(0);
    for (let chunk = 0; chunk < 400; chunk++) share.sent(chunk % 10 === 0);
    assert.ok(share.share <= 0.02 + 1e-9, String(share.share));
  });

  it('settles where the session stops waiting', () => {
    // A session that keeps up only while at least 40% of the lines come converted.
    const share = new ConversionShare(0);
    for (let chunk = 0; chunk < 400; chunk++) share.sent(share.share < 0.4);
    assert.ok(Math.abs(share.share - 0.4) <= 0.05 + 1e-9, String(share.share));
  });
});
