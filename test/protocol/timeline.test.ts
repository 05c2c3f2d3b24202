/** The Timeline protocol's validation of webview messages, and the notebook's Show Timeline message. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseTimelineWebviewMessage } from '../../src/protocol/timeline';
import { parseWebviewMessage } from '../../src/protocol/notebook';

const notify = (method: unknown, params?: unknown) => ({ kind: 'notify', method, params });

describe('timeline webview messages', () => {
  it('accepts the known messages, rebuilt from their checked parts', () => {
    assert.deepEqual(parseTimelineWebviewMessage(notify('ready', {})), { ok: true, value: notify('ready', {}) });
    assert.deepEqual(parseTimelineWebviewMessage(notify('cancel')), { ok: true, value: notify('cancel', {}) });
    const run = parseTimelineWebviewMessage(notify('run', { window: { kind: 'around', at: '2026-11-30T14:00:00Z', windowMs: 21_600_000, extra: 1 }, asOf: { kind: 'instant', at: '2026-12-01' } }));
    assert.deepEqual(run, { ok: true, value: notify('run', { window: { kind: 'around', at: '2026-11-30T14:00:00Z', windowMs: 21_600_000 }, asOf: { kind: 'instant', at: '2026-12-01' } }) });
    assert.deepEqual(parseTimelineWebviewMessage(notify('run', { window: { kind: 'range', to: '2026-12-01' }, asOf: { kind: 'scope-end' } })).ok, true);
    assert.deepEqual(parseTimelineWebviewMessage(notify('pivot', { identity: { kind: 'ip', value: '198.51.100.7', x: 1 } })), { ok: true, value: notify('pivot', { identity: { kind: 'ip', value: '198.51.100.7' } }) });
    assert.deepEqual(parseTimelineWebviewMessage(notify('openRaw', { file: 'gs://b/x.json', line: 3 })).ok, true);
  });

  it('refuses malformed and unknown messages with a reason', () => {
    const refused = [
      'nope',
      { kind: 'request', method: 'ready', id: 1 },
      notify('runCell', {}),
      notify('__proto__', {}),
      notify('ready', { x: 1 }),
      notify('run', { window: { kind: 'range', from: '2026-13-01' }, asOf: { kind: 'now' } }),
      notify('run', { window: { kind: 'range', from: '2026-12-02', to: '2026-12-01' }, asOf: { kind: 'now' } }),
      notify('run', { window: { kind: 'around', at: 'yesterday', windowMs: 1000 }, asOf: { kind: 'now' } }),
      notify('run', { window: { kind: 'around', at: '2026-11-30T14:00:00Z', windowMs: -5 }, asOf: { kind: 'now' } }),
      notify('run', { window: { kind: 'around', at: '2026-11-30T14:00:00Z', windowMs: 1e15 }, asOf: { kind: 'now' } }),
      notify('run', { window: { kind: 'range' }, asOf: { kind: 'instant', at: 'soon' } }),
      notify('run', { window: { kind: 'range' } }),
      notify('pivot', { identity: { kind: 'user', value: 'a' } }),
      notify('pivot', { identity: { kind: 'ip', value: '   ' } }),
      notify('pivot', { identity: { kind: 'ip', value: 'x'.repeat(1001) } }),
      notify('openRaw', { file: 'a', line: 0 }),
      notify('openRaw', { file: '', line: 1 }),
    ];
    for (const message of refused) {
      const parsed = parseTimelineWebviewMessage(message);
      assert.equal(parsed.ok, false, JSON.stringify(message));
      assert.ok(!parsed.ok && parsed.reason.length > 0);
    }
  });

  it("validates the notebook's Show Timeline message the same way", () => {
    assert.deepEqual(parseWebviewMessage(notify('showTimeline', { identity: { kind: 'session', value: 's-1', extra: true } })), { ok: true, value: notify('showTimeline', { identity: { kind: 'session', value: 's-1' } }) });
    assert.equal(parseWebviewMessage(notify('showTimeline', { identity: { kind: 'email', value: 'a@b.c' } })).ok, false);
    assert.equal(parseWebviewMessage(notify('showTimeline', {})).ok, false);
  });
});
