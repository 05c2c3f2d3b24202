import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Storage } from '@google-cloud/storage';
import { startGcsServer, type GcsTestServer } from '.';

describe('GCS test server, driven through @google-cloud/storage', () => {
  let server: GcsTestServer;
  let storage: Storage;

  before(async () => {
    server = await startGcsServer({ maxPageSize: 2 });
    server.createBucket('b');
    storage = new Storage({ apiEndpoint: server.endpoint, projectId: 'test', retryOptions: { autoRetry: false } });
  });
  after(() => server.stop());

  it('accepts simple and resumable uploads and serves them back with a new generation per write', async () => {
    const file = storage.bucket('b').file('x/one.json');
    await file.save('first\n', { resumable: false });
    const [first] = await file.getMetadata();
    await file.save('second\n', { resumable: true });
    const [second] = await file.getMetadata();
    assert.notEqual(first.generation, second.generation);
    const [bytes] = await file.download();
    assert.equal(bytes.toString(), 'second\n');
    assert.ok(server.count({ kind: 'upload' }) >= 2);
  });

  it('lists with prefix and delimiter across pages', async () => {
    for (const name of ['p/a/1', 'p/a/2', 'p/b/1', 'p/c', 'p/d', 'q/z']) server.put('b', name, name);
    server.resetLog();
    const [files, , body] = await storage.bucket('b').getFiles({ prefix: 'p/', delimiter: '/', autoPaginate: false });
    assert.equal(files.length + ((body as { prefixes?: string[] }).prefixes?.length ?? 0), 2);
    const [all] = await storage.bucket('b').getFiles({ prefix: 'p/' });
    assert.deepEqual(all.map((f) => f.name), ['p/a/1', 'p/a/2', 'p/b/1', 'p/c', 'p/d']);
    assert.equal(server.count({ kind: 'list' }), 1 + 3);
  });

  it('honours startOffset and endOffset', async () => {
    const [files] = await storage.bucket('b').getFiles({ prefix: 'p/', startOffset: 'p/a/2', endOffset: 'p/c' });
    assert.deepEqual(files.map((f) => f.name), ['p/a/2', 'p/b/1']);
  });

  it('serves byte ranges', async () => {
    server.put('b', 'r', '0123456789');
    const [part] = await storage.bucket('b').file('r').download({ start: 2, end: 5 });
    assert.equal(part.toString(), '2345');
  });

  it('answers a stale generation with 404 and a failed precondition with 412', async () => {
    const old = server.put('b', 'g', 'v1');
    server.put('b', 'g', 'v2');
    await assert.rejects(storage.bucket('b').file('g', { generation: old.generation }).download(), (e: { code?: number }) => e.code === 404);
    await assert.rejects(
      storage.bucket('b').file('g').getMetadata({ ifGenerationMatch: old.generation }),
      (e: { code?: number }) => e.code === 412,
    );
  });

  it('sends JSON error bodies that the client understands, then recovers', async () => {
    server.failNext({ kind: 'list', status: 403, message: 'caller does not have storage.objects.list access' });
    await assert.rejects(storage.bucket('b').getFiles(), (e: { code?: number; message?: string }) => e.code === 403 && /storage\.objects\.list/.test(e.message ?? ''));
    const [files] = await storage.bucket('b').getFiles({ prefix: 'q/' });
    assert.equal(files.length, 1);
  });

  it('reports a missing bucket as 404', async () => {
    await assert.rejects(storage.bucket('nope').getFiles(), (e: { code?: number }) => e.code === 404);
    const [exists] = await storage.bucket('b').exists();
    assert.equal(exists, true);
  });

  it('sends an endless body without a length, repeating the object over and over', async () => {
    server.put('b', 'e/endless', 'abc\n');
    server.resetLog();
    server.failNext({ kind: 'media', object: 'e/endless', misbehave: 'endless-body' });
    const stream = storage.bucket('b').file('e/endless').createReadStream({ validation: false });
    let text = '';
    for await (const chunk of stream) {
      text += (chunk as Buffer).toString('utf8');
      if (text.length >= 4000) break;
    }
    assert.equal(text.slice(0, 12), 'abc\nabc\nabc\n');
    assert.ok(text.length >= 4000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const sent = server.downloads[0]!.bytesSent;
    assert.equal(server.downloads[0]!.finished, false);
    const [bytes] = await storage.bucket('b').file('e/endless').download();
    assert.equal(bytes.toString('utf8'), 'abc\n', 'the fault is used up');
    assert.ok(sent >= 4000);
  });
});
