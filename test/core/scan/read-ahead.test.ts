import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readAhead } from '../../../src/core/scan';
import type { WorkOptions } from '../../../src/core/progress';
import type { AuditFile, AuditSource } from '../../../src/core/sources';
import { openGcsSource } from '../../../src/core/sources/gcs';
import { repeatedLineContent, startGcsServer, type GcsTestServer } from '../../gcs-server';
import { aDeliveryTree, collect, dateRange, objectNameOf, putTree } from '../../support/sources';

/** Wraps a real source to count the reads open at once. */
function counting(source: AuditSource): { source: AuditSource; most: () => number; opened: () => number } {
  let open = 0;
  let most = 0;
  let opened = 0;
  const wrapped: AuditSource = Object.assign(Object.create(source) as AuditSource, {
    async *openRead(this: void, file: AuditFile, options?: WorkOptions) {
      open++;
      opened++;
      most = Math.max(most, open);
      try {
        yield* source.openRead(file, options);
      } finally {
        open--;
      }
    },
  });
  return { source: wrapped, most: () => most, opened: () => opened };
}

describe('readAhead', () => {
  let server: GcsTestServer;
  let source: AuditSource;
  const tree = aDeliveryTree(['1'], dateRange('2024-08-01', 8), 5);

  before(async () => {
    server = await startGcsServer();
    putTree(server, 'ahead', '', tree);
    source = await openGcsSource('gs://ahead', { endpoint: server.endpoint, retry: { autoRetry: false } });
  });
  after(() => server.stop());

  it('hands files over in order while reading a bounded number at once', async () => {
    const files = await source.listFiles();
    const probe = counting(source);
    const texts: string[] = [];
    for await (const item of readAhead(probe.source, files, { concurrency: 3 })) {
      texts.push((await collect(item.chunks)).toString('utf8'));
    }
    assert.deepEqual(texts, tree.map((f) => f.text));
    assert.equal(probe.opened(), files.length);
    assert.equal(probe.most(), 3);
  });

  it('surfaces a vanished file on that file alone', async () => {
    const files = await source.listFiles();
    server.delete('ahead', objectNameOf('', tree[2]!));
    const outcomes: string[] = [];
    for await (const item of readAhead(source, files, { concurrency: 4 })) {
      try {
        await collect(item.chunks);
        outcomes.push('ok');
      } catch (error) {
        outcomes.push((error as { code?: string }).code ?? 'unknown');
      }
    }
    assert.deepEqual(outcomes, ['ok', 'ok', 'not-found', 'ok', 'ok', 'ok', 'ok', 'ok']);
    putTree(server, 'ahead', '', tree);
  });

  it('buffers only a bounded amount of a file that is read ahead', async () => {
    server.put('ahead', 'workspaceId=2/date=2024-09-01/auditlogs_a.json', '{"serviceName":"jobs"}\n');
    const bigName = 'workspaceId=2/date=2024-09-02/auditlogs_b.json';
    server.put('ahead', bigName, repeatedLineContent('{"serviceName":"clusters","actionName":"create"}', 500_000));
    const files = await source.listFiles({ workspaces: ['2'] });
    const big = files[1]!;
    assert.ok(big.size > 20 * 1024 * 1024);
    server.resetLog();
    let sentBeforeConsumed = -1;
    for await (const item of readAhead(source, files, { concurrency: 2, maxBufferedBytes: 256 * 1024 })) {
      if (item.file === big) {
        // Let the read-ahead run as far as it will before taking any of its bytes.
        for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
        sentBeforeConsumed = server.downloads.find((d) => d.object === bigName)?.bytesSent ?? 0;
      }
      assert.equal((await collect(item.chunks)).length, item.file.size);
    }
    assert.ok(sentBeforeConsumed > 0 && sentBeforeConsumed < big.size / 2, `sent ${sentBeforeConsumed} of ${big.size}`);
  });

  it('stops every download when cancelled', async () => {
    const files = await source.listFiles({ workspaces: ['1'] });
    const probe = counting(source);
    const controller = new AbortController();
    await assert.rejects(
      (async () => {
        for await (const item of readAhead(probe.source, files, { concurrency: 3, signal: controller.signal })) {
          controller.abort();
          await collect(item.chunks);
        }
      })(),
      (e: { code?: string }) => e.code === 'cancelled',
    );
    assert.ok(probe.opened() <= 3);
  });
});
