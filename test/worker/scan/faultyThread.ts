/**
 * A scan thread for recovery tests: serves the real scan handlers, except that a scan of the
 * source `fault:crash` kills the thread as an uncaught exception would, and one of
 * `fault:hang?ms=N` blocks it (for at most N ms) so it cannot answer a cancel.
 */
import { AuditLensError } from '../../../src/core/errors';
import { serve } from '../../../src/worker/channel/thread';
import { scanHandlers } from '../../../src/worker/scan/handlers';
import type { ScanProtocol } from '../../../src/worker/scan/protocol';

serve<ScanProtocol>(
  {
    ...scanHandlers,
    scan(body, context) {
      const fault = /^fault:(crash|hang)(?:\?ms=(\d+))?$/.exec(body.source.uri);
      if (!fault) return scanHandlers.scan(body, context);
      if (fault[1] === 'hang') {
        const until = Date.now() + Number(fault[2] ?? 30_000);
        while (Date.now() < until) {
          // Busy on purpose: a blocked thread cannot see the cancel message.
        }
        return Promise.reject(new AuditLensError('internal', 'The scan worker was blocked by a test.'));
      }
      setImmediate(() => {
        throw new Error('crash requested by a test');
      });
      return new Promise<never>(() => undefined);
    },
  },
  'faultyThread.js',
);
