/** A Timeline panel restored after a reload from its page's state. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { restoredTimeline } from '../../../src/extension/timeline/restore';

const FALLBACK = { sources: ['/configured'] };
const SAVED = {
  query: { identity: { kind: 'ip', value: '198.51.100.7' }, window: { kind: 'around', at: '2026-11-30T14:00:00Z', windowMs: 3_600_000 }, asOf: { kind: 'scope-end' } },
  scope: { sources: ['gs://b/logs'], from: '2026-11-29', to: '2026-12-01' },
};

describe('restoredTimeline', () => {
  it('brings back the query and the scope the page kept', () => {
    assert.deepEqual(restoredTimeline(SAVED, FALLBACK, () => true), { query: SAVED.query, scope: SAVED.scope });
  });

  it("falls back to the configured scope when the saved one's sources may not be read, and to defaults for a bad window or as-of", () => {
    const restored = restoredTimeline({ ...SAVED, query: { ...SAVED.query, window: { kind: 'around', at: 'x', windowMs: 1 }, asOf: 'later' } }, FALLBACK, () => false);
    assert.deepEqual(restored, { query: { identity: SAVED.query.identity, window: { kind: 'range' }, asOf: { kind: 'now' } }, scope: FALLBACK });
  });

  it('restores nothing without a valid identity', () => {
    for (const state of [undefined, null, 'x', {}, { query: {} }, { query: { identity: { kind: 'ip', value: '' } } }]) assert.equal(restoredTimeline(state, FALLBACK, () => true), undefined);
  });
});
