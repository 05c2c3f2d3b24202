import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mapWithConcurrency } from '../../../src/core/scan';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('mapWithConcurrency', () => {
  it('keeps at most the limit in flight and returns results in order', async () => {
    let inFlight = 0;
    let most = 0;
    const gates = Array.from({ length: 10 }, deferred);
    const running = mapWithConcurrency(
      gates.map((_, i) => i),
      async (i) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await gates[i]!.promise;
        inFlight--;
        return i * 10;
      },
      { concurrency: 3 },
    );
    // Release in reverse order so completion order differs from input order.
    for (let i = gates.length - 1; i >= 0; i--) {
      await new Promise((r) => setImmediate(r));
      gates[i]!.resolve();
    }
    assert.deepEqual(await running, [0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
    assert.equal(most, 3);
  });

  it('defaults to four at once', async () => {
    let inFlight = 0;
    let most = 0;
    await mapWithConcurrency(Array.from({ length: 12 }, (_, i) => i), async () => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setImmediate(r));
      inFlight--;
    });
    assert.equal(most, 4);
  });

  it('starts nothing new after a failure and throws it', async () => {
    const started: number[] = [];
    await assert.rejects(
      mapWithConcurrency(
        [0, 1, 2, 3, 4, 5],
        async (i) => {
          started.push(i);
          if (i === 1) throw new Error('boom');
          await new Promise((r) => setImmediate(r));
        },
        { concurrency: 2 },
      ),
      /boom/,
    );
    assert.ok(!started.includes(5));
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    await assert.rejects(
      mapWithConcurrency([1, 2, 3], async (i) => {
        if (i === 1) controller.abort();
      }, { concurrency: 1, signal: controller.signal }),
      (e: { code?: string }) => e.code === 'cancelled',
    );
  });
});
