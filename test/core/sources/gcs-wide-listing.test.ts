/**
 * A listing page as wide as a server may send — 200,000 workspace folders in one answer — is read
 * through the GCS client without running out of call stack, and every folder is kept.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openSource } from '../../../src/core/sources';
import { startGcsServer, type GcsTestServer } from '../../gcs-server';

const WORKSPACES = 200_000;

describe('a listing page of 200,000 prefixes', { timeout: 120_000 }, () => {
  let server: GcsTestServer;

  before(async () => {
    server = await startGcsServer({ maxPageSize: WORKSPACES + 1 });
    for (let n = 1; n <= WORKSPACES; n++) server.put('wide', `logs/workspaceId=${n}/date=2024-03-05/auditlogs_a.json`, '');
    server.put('wide', 'logs/workspaceId=x/date=2024-03-05/auditlogs_a.json', '');
  });
  after(() => server.stop());

  it('lists every workspace from the one page, and still notes what it passes over', async () => {
    const source = await openSource('gs://wide/logs', { gcsEndpoint: server.endpoint });
    const skipped: string[] = [];
    const ids = await source.listWorkspaces(undefined, { onSkipped: (s) => skipped.push(s.path) });
    assert.equal(ids.length, WORKSPACES);
    assert.equal(ids[0], '1');
    assert.equal(ids[WORKSPACES - 1], String(WORKSPACES));
    assert.deepEqual(skipped, ['gs://wide/logs/workspaceId=x/']);
    assert.equal(server.count({ kind: 'list', bucket: 'wide' }), 1, 'the workspaces came in one page');
  });
});
