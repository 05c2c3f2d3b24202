import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ScanCache, scanFiles, SCAN_FORMAT_VERSION } from '../../../src/core/scan';
import type { WorkOptions } from '../../../src/core/progress';
import { LocalFolderSource, type AuditFile, type AuditSource } from '../../../src/core/sources';
import { openGcsSource } from '../../../src/core/sources/gcs';
import { startGcsServer, type GcsTestServer } from '../../gcs-server';
import { aDeliveryTree, aRecord, jsonLines, objectNameOf, putTree, writeTreeToFolder } from '../../support/sources';

async function aCache(): Promise<ScanCache> {
  return new ScanCache(await mkdtemp(path.join(tmpdir(), 'audit-lens-scan-cache-')));
}

describe('ScanCache over GCS', () => {
  let server: GcsTestServer;
  let source: AuditSource;
  const tree = aDeliveryTree(['11', '22'], ['2024-03-01', '2024-03-02'], 3);

  before(async () => {
    server = await startGcsServer();
    putTree(server, 'cache', 'logs', tree);
    source = await openGcsSource('gs://cache/logs', { endpoint: server.endpoint, retry: { autoRetry: false } });
  });
  after(() => server.stop());

  it('reads each file once, never again while unchanged, and again after an overwrite', async () => {
    const cache = await aCache();
    server.resetLog();
    const first = await scanFiles(source, await source.listFiles(), { cache });
    assert.equal(first.scanned.length, 4);
    assert.ok(first.scanned.every((s) => !s.cached && s.scan.records === 3));
    assert.equal(server.count({ kind: 'media' }), 4);

    const second = await scanFiles(source, await source.listFiles(), { cache });
    assert.ok(second.scanned.every((s) => s.cached));
    assert.deepEqual(second.scanned.map((s) => s.scan), first.scanned.map((s) => s.scan));
    assert.equal(server.count({ kind: 'media' }), 4);

    const changed = tree[1]!;
    const name = objectNameOf('logs', changed);
    server.put('cache', name, changed.text + jsonLines([aRecord({ serviceName: 'accounts', actionName: 'login' })]));
    const third = await scanFiles(source, await source.listFiles(), { cache });
    const reread = third.scanned.filter((s) => !s.cached);
    assert.deepEqual(reread.map((s) => s.file.uri), [`gs://cache/${name}`]);
    assert.equal(reread[0]!.scan.records, 4);
    assert.equal(reread[0]!.scan.services['accounts']?.['login']?.events, 1);
    assert.equal(server.count({ kind: 'media' }), 5);
    assert.equal(server.count({ kind: 'media', object: name }), 2);

    // A new cache object on the same folder (a new session) still knows every file.
    const fourth = await scanFiles(source, await source.listFiles(), { cache: new ScanCache(cache.directory) });
    assert.ok(fourth.scanned.every((s) => s.cached));
    assert.equal(server.count({ kind: 'media' }), 5);
  });

  it('skips a file that vanished after listing, reports it, and scans the rest', async () => {
    const cache = await aCache();
    const files = await source.listFiles();
    const gone = files[2]!;
    server.delete('cache', gone.uri.replace('gs://cache/', ''));
    const result = await scanFiles(source, files, { cache, concurrency: 2 });
    assert.equal(result.scanned.length, 3);
    assert.deepEqual(result.skipped.map((s) => [s.file.uri, s.error.code]), [[gone.uri, 'not-found']]);
    assert.equal(await cache.get(gone), undefined);
    putTree(server, 'cache', 'logs', tree);
  });

  it('writes nothing for a scan that was cancelled part-way', async () => {
    const cache = await aCache();
    const [file] = await source.listFiles();
    const controller = new AbortController();
    // Cancel once the first bytes have arrived.
    const abortingSource: AuditSource = Object.assign(Object.create(source) as AuditSource, {
      async *openRead(this: void, f: AuditFile, options?: WorkOptions) {
        for await (const chunk of source.openRead(f, options)) {
          yield chunk;
          controller.abort();
        }
      },
    });
    await assert.rejects(scanFiles(abortingSource, [file!], { cache, signal: controller.signal }), (e: { code?: string }) => e.code === 'cancelled');
    assert.equal(await cache.get(file!), undefined);
    assert.deepEqual(await readdir(cache.directory), []);
  });
});

describe('ScanCache over a folder', () => {
  it('reads a local file again when its mtime or size changes', async () => {
    const tree = aDeliveryTree(['3'], ['2024-04-04'], 2);
    const source = new LocalFolderSource(await writeTreeToFolder(tree));
    const cache = await aCache();
    const [file] = await source.listFiles();
    assert.equal((await scanFiles(source, [file!], { cache })).scanned[0]!.cached, false);
    assert.equal((await scanFiles(source, await source.listFiles(), { cache })).scanned[0]!.cached, true);
    await writeFile(file!.uri, tree[0]!.text + jsonLines([aRecord()]));
    await utimes(file!.uri, new Date(), new Date(Date.now() + 5000));
    const [changed] = await source.listFiles();
    const result = await scanFiles(source, [changed!], { cache });
    assert.equal(result.scanned[0]!.cached, false);
    assert.equal(result.scanned[0]!.scan.records, 3);
  });

  it('treats a damaged or other-format entry as a miss', async () => {
    const cache = await aCache();
    const file = { uri: 'gs://b/workspaceId=1/date=2024-01-01/auditlogs_x.json', version: '7' };
    const scan = { records: 1, rejected: 0, services: { s: { a: { events: 1, errors: 0 } } }, firstTimestamp: 1, lastTimestamp: 1, findings: { error: 0, warning: 1, information: 2 } };
    await cache.set(file, scan);
    assert.deepEqual(JSON.parse(JSON.stringify(await cache.get(file))), scan);
    assert.equal(await cache.get({ ...file, version: '8' }), undefined);
    const entry = JSON.parse(await readFile(cache.entryPath(file), 'utf8')) as { format: number };
    await writeFile(cache.entryPath(file), JSON.stringify({ ...entry, format: SCAN_FORMAT_VERSION + 1 }));
    assert.equal(await cache.get(file), undefined);
    await writeFile(cache.entryPath(file), '{"format":');
    assert.equal(await cache.get(file), undefined);
  });
});
