/** The watch's rhythm: waits that double after failures up to a cap, recovery, and stops. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AuditLensError } from '../../../src/core/errors';
import { backoff, duration, MAX_BACKOFF_MS, runPolls } from '../../../src/worker/watch';

describe('runPolls', () => {
  it('backs off twice as long after each failure, up to the cap, and never below the interval', () => {
    assert.deepEqual([1, 2, 3, 4].map((n) => backoff(60_000, n)), [60_000, 120_000, 240_000, 480_000]);
    assert.equal(backoff(5 * 60_000, 20), MAX_BACKOFF_MS);
    assert.equal(backoff(3_600_000, 3), 3_600_000, 'an interval longer than the cap is the wait');
  });

  it('says waits as people write them', () => {
    assert.deepEqual([30_000, 300_000, 5_400_000].map(duration), ['30s', '5m', '1.5h']);
  });

  it('retries a failed poll after the backoff, then polls on at the interval until stopped', async () => {
    const controller = new AbortController();
    const events: string[] = [];
    let calls = 0;
    await runPolls({
      intervalMs: 5,
      signal: controller.signal,
      poll: async () => {
        calls++;
        if (calls <= 2) throw new AuditLensError('network', `down ${calls}`);
        return calls;
      },
      onPolled: (n) => {
        events.push(`polled ${n}`);
        if (n === 4) controller.abort();
      },
      onFailed: (e, wait) => void events.push(`${e.userMessage} wait ${wait}`),
    });
    assert.deepEqual(events, ['down 1 wait 5', 'down 2 wait 10', 'polled 3', 'polled 4']);
  });

  it('stops at once on a usage error, and on cancellation without a failure', async () => {
    const signal = new AbortController().signal;
    const failures: string[] = [];
    const common = { intervalMs: 5, signal, onPolled: () => undefined, onFailed: (e: AuditLensError) => void failures.push(e.userMessage) };
    await assert.rejects(runPolls({ ...common, poll: () => Promise.reject(new AuditLensError('usage', 'bad source')) }), /bad source/);
    await runPolls({ ...common, poll: () => Promise.reject(new AuditLensError('cancelled', 'stopped')) });
    assert.deepEqual(failures, []);
  });

  it('once: one poll, and its failure is thrown', async () => {
    const signal = new AbortController().signal;
    let calls = 0;
    await runPolls({ intervalMs: 5, signal, once: true, poll: async () => ++calls, onPolled: () => undefined, onFailed: () => undefined });
    assert.equal(calls, 1);
    await assert.rejects(runPolls({ intervalMs: 5, signal, once: true, poll: () => Promise.reject(new AuditLensError('network', 'down')), onPolled: () => undefined, onFailed: () => undefined }), /down/);
  });
});
