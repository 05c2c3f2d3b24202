/** A detection test engine over a real query session, as `detect --test` builds it, for suites that run detection tests. */
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { sessionTestEngine } from '../../src/worker/session/detectionTests';
import type { DetectionTestEngine } from '../../src/core/detections';
import { QuerySession } from '../../src/worker/query/client';
import { QUERY_WORKER_BUNDLE } from './workers';

/** Opens a session before the enclosing suite's tests and closes it after them; the engine is usable inside tests and hooks. */
export function useDetectionTestEngine(): DetectionTestEngine {
  let session: QuerySession | undefined;
  let engine: DetectionTestEngine | undefined;
  before(async () => {
    assert.ok(existsSync(QUERY_WORKER_BUNDLE), `${QUERY_WORKER_BUNDLE} is missing: run npm run build`);
    session = await QuerySession.open({ workerPath: QUERY_WORKER_BUNDLE });
    engine = sessionTestEngine(session);
  });
  after(async () => {
    await session?.dispose();
  });
  const opened = (): DetectionTestEngine => {
    assert.ok(engine, 'the detection test engine is used before its suite opened it');
    return engine;
  };
  return {
    load: (folder, pushdown, signal) => opened().load(folder, pushdown, signal),
    query: (sql, options) => opened().query(sql, options),
  };
}
