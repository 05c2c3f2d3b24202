import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AuditLensError } from '../../../src/core/errors';
import { openSource } from '../../../src/core/sources';
import { startGcsServer, type GcsTestServer } from '../../gcs-server';
import { aDeliveryTree, collect, dateRange, putTree } from '../../support/sources';

describe('GcsSource on a server that refuses generation-pinned reads', () => {
  let server: GcsTestServer;
  const tree = aDeliveryTree(['42'], dateRange('2024-02-27', 2));

  before(async () => {
    server = await startGcsServer({ refusePinnedMedia: true });
    putTree(server, 'logs', '', tree);
  });
  after(() => server.stop());

  it('reads the listed generation once more without the pin and gets its bytes', async () => {
    const source = await openSource('gs://logs', { gcsEndpoint: server.endpoint });
    const files = await source.listFiles();
    assert.equal(files.length, tree.length);
    for (const file of files) {
      const expected = tree.find((f) => f.workspaceId === file.workspaceId && f.date === file.date)!;
      assert.equal((await collect(source.openRead(file))).toString('utf8'), expected.text);
    }
  });

  it('still reports a rewritten object as changed, and a deleted one as vanished', async () => {
    const source = await openSource('gs://logs', { gcsEndpoint: server.endpoint });
    const [first, second] = await source.listFiles();
    server.put('logs', first!.uri.slice('gs://logs/'.length), '{"rewritten":true}\n');
    await assert.rejects(collect(source.openRead(first!)), (e: unknown) => e instanceof AuditLensError && e.code === 'not-found' && /changed while reading/.test(e.userMessage));
    server.delete('logs', second!.uri.slice('gs://logs/'.length));
    await assert.rejects(collect(source.openRead(second!)), (e: unknown) => e instanceof AuditLensError && e.code === 'not-found' && /vanished/.test(e.userMessage));
  });
});
