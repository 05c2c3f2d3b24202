/** Loading with a prefilter: which lines are skipped, counted, still checked, and still found. */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { AuditDatabase } from '../../../src/core/sql/database';
import { loadIntoDatabase, type LoadSummary } from '../../../src/core/sql/loader';
import type { LinePrefilter } from '../../../src/core/sql/pushdown';
import { QuerySession } from '../../../src/worker/query/client';
import { aRecord, writeDeliveryTree, type DeliveryTree } from '../../support/deliveryTree';
import { QUERY_WORKER_BUNDLE } from '../../support/workers';

const BUDGET = { maxRows: 1000 };

/** A clusters/create record whose names are spelled with JSON escapes only. */
function escapedClustersCreate(): string {
  const text = JSON.stringify(aRecord({ serviceName: 'clusters', actionName: 'create', sessionId: 'escaped' }));
  return text.replace('"clusters"', '"\\u0063lusters"').replace('"create"', '"\\u0063reate"');
}

describe('loadIntoDatabase with a prefilter', () => {
  let tree: DeliveryTree;
  before(() => {
    tree = writeDeliveryTree([
      {
        workspaceId: '1',
        date: '2024-01-01',
        lines: [
          aRecord({ serviceName: 'clusters', actionName: 'create', sessionId: 'plain' }),
          aRecord({ serviceName: 'clusters', actionName: 'delete' }),
          aRecord({ serviceName: 'jobs', actionName: 'create' }),
          aRecord({ serviceName: 'accounts', actionName: 'login' }),
          escapedClustersCreate(),
          '{"serviceName":"accounts", truncated',
          '',
          '42',
        ],
      },
    ]);
  });
  after(() => tree.remove());

  async function load(prefilter?: LinePrefilter): Promise<{ database: AuditDatabase; summary: LoadSummary }> {
    const database = await AuditDatabase.open();
    const summary = await loadIntoDatabase(database, { sources: [tree.root], ...(prefilter ? { prefilter } : {}) }, BUDGET);
    return { database, summary };
  }

  it('skips lines that spell no name unparsed, counts them apart, and keeps the line invariant', async () => {
    const { database, summary } = await load({ serviceNames: ['clusters'] });
    try {
      assert.deepEqual(
        { read: summary.linesRead, loaded: summary.recordsLoaded, rejected: summary.linesRejected, skipped: summary.linesSkippedByFilter },
        { read: 7, loaded: 3, rejected: 0, skipped: 4 },
      );
      assert.equal(summary.linesRead, summary.recordsLoaded + summary.linesRejected + summary.linesSkippedByFilter);
      const rows = database.query(`SELECT sessionId FROM audit_logs WHERE serviceName = 'clusters' AND actionName = 'create' ORDER BY _line`).rows;
      assert.deepEqual(rows, [['plain'], ['escaped']]);
    } finally {
      database.close();
    }
  });

  it('still finds a record whose names are \\u-escaped when actions are filtered too', async () => {
    const { database, summary } = await load({ serviceNames: ['clusters'], statements: [{ serviceNames: ['clusters'], actionNames: ['create'], actionContains: ['reate'] }] });
    try {
      assert.equal(summary.recordsLoaded, 2);
      assert.deepEqual(database.query(`SELECT sessionId FROM audit_logs ORDER BY _line`).rows, [['plain'], ['escaped']]);
    } finally {
      database.close();
    }
  });

  it('reports the malformed lines among those it parsed, as a load without it does', async () => {
    const pruned = await load({ serviceNames: ['accounts'] });
    const whole = await load();
    try {
      assert.equal(pruned.summary.recordsLoaded, 2, 'the accounts line, and the escaped line that must be parsed to tell');
      assert.deepEqual(whole.summary.problems.map((p) => p.line), [6, 8]);
      assert.deepEqual(pruned.summary.problems, whole.summary.problems.slice(0, 1), 'line 6 spells accounts; line 8 (42) is never parsed');
      assert.equal(whole.summary.linesSkippedByFilter, 0);
    } finally {
      pruned.database.close();
      whole.database.close();
    }
  });

  it('loads everything when a name cannot be searched for soundly', async () => {
    const { database, summary } = await load({ serviceNames: ['clusters', '1'] });
    try {
      assert.equal(summary.linesSkippedByFilter, 0);
      assert.equal(summary.recordsLoaded, 5);
    } finally {
      database.close();
    }
  });
});

describe('QuerySession passes the prefilter to its worker', { timeout: 60_000 }, () => {
  const workerPath = QUERY_WORKER_BUNDLE;
  let tree: DeliveryTree;
  let session: QuerySession;
  before(async () => {
    assert.ok(existsSync(workerPath), `${workerPath} is missing: run npm run build`);
    tree = writeDeliveryTree([{ workspaceId: '1', date: '2024-01-01', lines: Array.from({ length: 30 }, (_, i) => aRecord({ serviceName: i % 3 ? 'jobs' : 'clusters' })) }]);
    session = await QuerySession.open({ workerPath });
  });
  after(async () => {
    await session.dispose();
    tree.remove();
  });

  it('loads only the matching lines and answers as a whole load does', async () => {
    const sql = `SELECT count(*) FROM audit_logs WHERE serviceName = 'clusters'`;
    const whole = await session.load({ sources: [tree.root] });
    const expected = (await session.query(sql)).rows;
    const pruned = await session.load({ sources: [tree.root], prefilter: { serviceNames: ['clusters'] } });
    assert.deepEqual([whole.recordsLoaded, whole.linesSkippedByFilter], [30, 0]);
    assert.deepEqual([pruned.recordsLoaded, pruned.linesSkippedByFilter], [10, 20]);
    assert.deepEqual((await session.query(sql)).rows, expected);
    assert.deepEqual(expected, [[10]]);
  });
});
