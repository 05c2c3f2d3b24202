/** A thread for the channel's own tests: counts, streams, blocks and crashes on request. */
import { serve } from '../../../src/worker/channel/thread';
import type { TestProtocol } from './protocol';

let initialized = 0;

serve<TestProtocol>(
  {
    async init() {
      initialized++;
      return initialized;
    },
    async stream({ chunks }, { chunk, progress, signal }) {
      const acknowledged: number[] = [];
      for (let i = 0; i < chunks && !signal.aborted; i++) {
        progress({ message: `chunk ${i}`, done: i, total: chunks });
        await chunk(i);
        acknowledged.push(i);
      }
      return { acknowledged, aborted: signal.aborted };
    },
    async block({ ms }) {
      const until = Date.now() + ms;
      while (Date.now() < until) {
        // Busy on purpose: a blocked thread cannot see a cancel.
      }
      return 'unblocked';
    },
    async execArgv() {
      return process.execArgv;
    },
    crash() {
      setImmediate(() => {
        throw new Error('crash requested by a test');
      });
      return new Promise<never>(() => undefined);
    },
  },
  'echoThread.js',
);
