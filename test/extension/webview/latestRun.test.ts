/** A panel's latest run: a new run cancels the last, only the latest reports, and failures are told apart from cancels. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AuditLensError } from '../../../src/core/errors';
import { LatestRun, type RunStatus } from '../../../src/extension/webview/latestRun';

function harness(disposed = () => false) {
  const statuses: RunStatus[] = [];
  const errors: string[] = [];
  const latest = new LatestRun({ name: 'panel', status: (s) => statuses.push(s), logError: (m) => errors.push(m), isDisposed: disposed });
  return { latest, statuses, errors };
}

describe('LatestRun', () => {
  it('shows loading, and lets the work say it is done', async () => {
    const { latest, statuses } = harness();
    let latestSeen = false;
    await latest.start('Starting…', async ({ isLatest }) => {
      latestSeen = isLatest();
    });
    assert.deepEqual(statuses, [{ state: 'loading', message: 'Starting…' }]);
    assert.equal(latestSeen, true);
  });

  it('cancels the run still going when a new one starts, and the old one reports nothing', async () => {
    const { latest, statuses } = harness();
    let firstSignal: AbortSignal | undefined;
    let release!: () => void;
    const first = latest.start('first', ({ signal }) => {
      firstSignal = signal;
      return new Promise<void>((_, reject) => {
        release = () => reject(new AuditLensError('network', 'late failure'));
      });
    });
    const second = latest.start('second', async () => undefined);
    assert.equal(firstSignal?.aborted, true);
    release();
    await Promise.all([first, second]);
    assert.deepEqual(statuses.map((s) => s.state === 'loading' && s.message), ['first', 'second']);
  });

  it('says cancelled for a cancel, and logs and shows any other failure', async () => {
    const { latest, statuses, errors } = harness();
    await latest.start('a', async ({ signal }) => {
      latest.cancel();
      assert.equal(signal.aborted, true);
      throw new AuditLensError('cancelled', 'Cancelled.');
    });
    assert.deepEqual(statuses.at(-1), { state: 'cancelled' });
    await latest.start('b', async () => {
      throw new AuditLensError('network', 'The bucket went away.', 'detail');
    });
    assert.deepEqual(statuses.at(-1), { state: 'error', error: { code: 'network', userMessage: 'The bucket went away.', detail: 'detail' } });
    assert.deepEqual(errors, ['panel: The bucket went away.\ndetail']);
  });

  it('reports nothing once the panel is closed', async () => {
    let disposed = false;
    const { latest, statuses } = harness(() => disposed);
    await latest.start('a', async () => {
      disposed = true;
      throw new Error('boom');
    });
    assert.deepEqual(statuses, [{ state: 'loading', message: 'a' }]);
  });
});
