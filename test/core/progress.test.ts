import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { throttledProgress, type ProgressUpdate } from '../../src/core/progress';

describe('throttled progress', () => {
  it('passes the first update and at most one more per interval', () => {
    mock.timers.enable({ apis: ['Date'], now: 1_000_000 });
    try {
      const seen: string[] = [];
      const sink = throttledProgress((u: ProgressUpdate) => seen.push(u.message), 100);
      sink({ message: 'a' });
      sink({ message: 'b' });
      mock.timers.tick(99);
      sink({ message: 'c' });
      mock.timers.tick(1);
      sink({ message: 'd' });
      sink({ message: 'e' });
      assert.deepEqual(seen, ['a', 'd']);
    } finally {
      mock.timers.reset();
    }
  });
});
