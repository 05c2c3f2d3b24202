/** A second session over the same table, from the record cache, answers queries beside the first: the same answers, both cores. */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { detectionPushdown, detections, runDetections } from '../../../src/core/analyses';
import type { LoadRequest } from '../../../src/core/sql/loader';
import { QuerySession } from '../../../src/worker/query/client';
import { TwinSessions } from '../../../src/worker/session/twinSessions';
import { generateTree } from '../../support/generate';
import { QUERY_WORKER_BUNDLE } from '../../support/workers';

const workerPath = QUERY_WORKER_BUNDLE;
const cleanup: string[] = [];
after(() => Promise.all(cleanup.map((dir) => rm(dir, { recursive: true, force: true }))));

async function scratch(): Promise<{ tree: string; request: LoadRequest }> {
  const tree = await mkdtemp(path.join(tmpdir(), 'audit-lens-twins-'));
  const cache = await mkdtemp(path.join(tmpdir(), 'audit-lens-twins-cache-'));
  cleanup.push(tree, cache);
  await generateTree(tree, { seed: 'twins', workspaces: 2, days: 2, startDate: '2024-03-01', recordsPerDay: 300, plant: [{ detection: 'mounts', fires: true }, { detection: 'failed-logins', fires: true }] });
  return { tree, request: { sources: [tree], ...detectionPushdown(detections), recordCache: { directory: cache } } };
}

async function alone(request: LoadRequest) {
  const session = await QuerySession.open({ workerPath });
  try {
    await session.load({ ...request, recordCache: undefined });
    return await runDetections(detections, (sql, options) => session.query(sql, options), { maxRows: 1000 });
  } finally {
    await session.dispose();
  }
}

describe('twin sessions', () => {
  it('open a second session from the record cache, share the detections between both, and answer as one session does', async () => {
    const { request } = await scratch();
    const first = await QuerySession.open({ workerPath });
    try {
      const summary = await first.load(request);
      assert.equal(summary.recordCacheCurrent, true);
      const sessions = TwinSessions.start(first, request, summary, { session: { workerPath }, maxRows: 1_000_000 });
      try {
        assert.equal(sessions.concurrency, 2);
        assert.equal(await sessions.ready(), true);
        const runs = await runDetections(detections, sessions.query, { maxRows: 1000, concurrency: sessions.concurrency });
        assert.ok(sessions.answered.first > 0 && sessions.answered.second > 0, JSON.stringify(sessions.answered));
        assert.equal(sessions.answered.first + sessions.answered.second, detections.length);
        assert.deepEqual(runs.map((r) => [r.detection.id, r.result.rows]), (await alone(request)).map((r) => [r.detection.id, r.result.rows]));
      } finally {
        await sessions.dispose();
      }
    } finally {
      await first.dispose();
    }
  });

  it('answer alone when the record cache does not hold the table, or a second copy would not fit the budget', async () => {
    const { request } = await scratch();
    const first = await QuerySession.open({ workerPath });
    try {
      const uncached = await first.load({ ...request, recordCache: undefined });
      const without = TwinSessions.start(first, request, uncached, { session: { workerPath }, maxRows: 1_000_000 });
      assert.equal(without.concurrency, 1);
      assert.equal(await without.ready(), false);
      const cached = await first.load(request);
      const tight = TwinSessions.start(first, request, cached, { session: { workerPath }, maxRows: cached.recordsLoaded * 2 - 1 });
      assert.equal(tight.concurrency, 1);
      const runs = await runDetections(detections.slice(0, 3), tight.query, { concurrency: tight.concurrency });
      assert.equal(runs.length, 3);
      assert.deepEqual(tight.answered, { first: 3, second: 0 });
    } finally {
      await first.dispose();
    }
  });

  it('do not let a second session serve when a file landed between the two loads: its table would differ', async () => {
    const { tree, request } = await scratch();
    const first = await QuerySession.open({ workerPath });
    try {
      const summary = await first.load(request);
      const late = path.join(tree, 'workspaceId=0', 'date=2024-03-01', 'auditlogs_late.json');
      await writeFile(late, `${JSON.stringify({ serviceName: 'dbfs', actionName: 'mount', timestamp: Date.parse('2024-03-01T12:00:00Z'), requestId: 'late', userIdentity: { email: 'late@example.com' } })}\n`);
      const sessions = TwinSessions.start(first, request, summary, { session: { workerPath }, maxRows: 1_000_000 });
      try {
        assert.equal(await sessions.ready(), false);
        const runs = await runDetections(detections, sessions.query, { maxRows: 1000, concurrency: sessions.concurrency });
        assert.equal(sessions.answered.second, 0);
        assert.ok(!JSON.stringify(runs).includes('late@example.com'), 'every answer comes from the first table');
      } finally {
        await sessions.dispose();
      }
    } finally {
      await first.dispose();
    }
  });
});
