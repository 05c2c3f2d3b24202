import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { openSource, LocalFolderSource, type AuditSource, type AuditFile } from '../../../src/core/sources';
import { openGcsSource, type GcsSourceOptions } from '../../../src/core/sources/gcs';
import { startGcsServer, type GcsTestServer } from '../../gcs-server';
import { aDeliveryTree, collect, dateRange, objectNameOf, putTree, writeTreeToFolder } from '../../support/sources';

const FAST_RETRY: GcsSourceOptions['retry'] = { maxRetries: 3, maxRetryDelaySeconds: 0.01, totalTimeoutSeconds: 10 };

function summary(files: readonly AuditFile[]) {
  return files.map((f) => ({ relativePath: f.relativePath, workspaceId: f.workspaceId, date: f.date, size: f.size }));
}

describe('GcsSource layout', () => {
  let server: GcsTestServer;
  const tree = aDeliveryTree(['42', '1234567890123456789', '7'], dateRange('2024-02-27', 4));

  before(async () => {
    server = await startGcsServer();
    putTree(server, 'logs', '', tree);
    putTree(server, 'logs', 'path/to/audit-logs', tree);
    server.put('logs', 'path/to/audit-logs/README.txt', 'not a log');
    server.put('logs', 'path/to/audit-logs/workspaceId=42/date=2024-02-27/notes.txt', 'not a log either');
  });
  after(() => server.stop());

  for (const prefix of ['', 'path/to/audit-logs']) {
    it(`lists workspaces, dates and files ${prefix ? 'below a prefix' : 'at the bucket root'}`, async () => {
      const uri = prefix ? `gs://logs/${prefix}/` : 'gs://logs';
      const source = await openSource(uri, { gcsEndpoint: server.endpoint });
      assert.equal(source.kind, 'gcs');
      assert.equal(source.uri, prefix ? `gs://logs/${prefix}` : 'gs://logs');
      // The bucket root also holds the prefix's first folder; only workspaceId= folders count.
      assert.deepEqual(await source.listWorkspaces(), ['7', '42', '1234567890123456789']);
      assert.deepEqual(await source.listDates('42'), ['2024-02-27', '2024-02-28', '2024-02-29', '2024-03-01']);
      const files = await source.listPartitionFiles('42', '2024-02-29');
      assert.equal(files.length, 1);
      const [file] = files as [AuditFile];
      const expected = tree.find((f) => f.workspaceId === '42' && f.date === '2024-02-29')!;
      assert.equal(file.uri, `gs://logs/${objectNameOf(prefix, expected)}`);
      assert.equal(file.relativePath, objectNameOf('', expected));
      assert.equal(file.sourceUri, source.uri);
      assert.match(file.version, /^\d+$/);
      assert.equal((await collect(source.openRead(file))).toString('utf8'), expected.text);
      assert.equal((await source.listFiles()).length, tree.length);
    });
  }

  it('gives the same listing and bytes as the same files in a folder', async () => {
    const folder = new LocalFolderSource(await writeTreeToFolder(tree));
    const gcs = await openSource('gs://logs/path/to/audit-logs', { gcsEndpoint: server.endpoint });
    const filter = { from: '2024-02-28', to: '2024-02-29' };
    for (const [a, b] of [[folder, gcs], [gcs, folder]] as Array<[AuditSource, AuditSource]>) {
      assert.deepEqual(await a.listWorkspaces(), await b.listWorkspaces());
      assert.deepEqual(await a.listDates('7', filter), await b.listDates('7', filter));
    }
    const localFiles = await folder.listFiles(filter);
    const gcsFiles = await gcs.listFiles(filter);
    assert.deepEqual(summary(gcsFiles), summary(localFiles));
    for (let i = 0; i < localFiles.length; i++) {
      assert.deepEqual(await collect(gcs.openRead(gcsFiles[i]!)), await collect(folder.openRead(localFiles[i]!)));
    }
  });

  async function arrayOf(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
    const all: Uint8Array[] = [];
    for await (const chunk of chunks) all.push(chunk);
    return all;
  }

  it('reads the same byte ranges as a folder, pinned to the listed generation', async () => {
    const folder = new LocalFolderSource(await writeTreeToFolder(tree));
    const gcs = await openSource('gs://logs/path/to/audit-logs', { gcsEndpoint: server.endpoint });
    const [local] = await folder.listPartitionFiles('42', '2024-02-28');
    const [remote] = await gcs.listPartitionFiles('42', '2024-02-28');
    const whole = await collect(folder.openRead(local!));
    for (const range of [{ start: 0, end: 1 }, { start: 5, end: 40 }, { start: whole.length - 3, end: whole.length }, { start: 7, end: 7 }]) {
      const expected = whole.subarray(range.start, range.end);
      assert.deepEqual(await collect(folder.openRead(local!, { range })), expected, `local ${JSON.stringify(range)}`);
      assert.deepEqual(await collect(gcs.openRead(remote!, { range })), expected, `gcs ${JSON.stringify(range)}`);
      // With memory to read into, a big enough buffer is used instead of a new one (GCS ignores it).
      const scratch = Buffer.alloc(64, 0x21);
      const [chunk] = await arrayOf(folder.openRead(local!, { range, scratch }));
      assert.deepEqual(Buffer.from(chunk ?? []), expected, `local into scratch ${JSON.stringify(range)}`);
      if (chunk && chunk.length > 0) assert.equal(chunk.buffer, scratch.buffer, 'read into the scratch buffer');
      assert.deepEqual(await collect(gcs.openRead(remote!, { range, scratch })), expected, `gcs with scratch ${JSON.stringify(range)}`);
    }
    const small = Buffer.alloc(2);
    const [big] = await arrayOf(folder.openRead(local!, { range: { start: 0, end: 10 }, scratch: small }));
    assert.notEqual(big!.buffer, small.buffer, 'a scratch buffer too small is not used');
    assert.deepEqual(Buffer.from(big!), whole.subarray(0, 10));
  });

  it('takes STORAGE_EMULATOR_HOST as the endpoint, with or without the API path', async () => {
    for (const value of [server.endpoint, `${server.endpoint}/storage/v1`, server.endpoint.replace('http://', '')]) {
      const saved = process.env.STORAGE_EMULATOR_HOST;
      process.env.STORAGE_EMULATOR_HOST = value;
      try {
        const source = await openSource('gs://logs/path/to/audit-logs');
        assert.deepEqual(await source.listWorkspaces(), ['7', '42', '1234567890123456789']);
        const [file] = await source.listPartitionFiles('7', '2024-03-01');
        assert.ok((await collect(source.openRead(file!))).length > 0);
      } finally {
        if (saved === undefined) delete process.env.STORAGE_EMULATOR_HOST;
        else process.env.STORAGE_EMULATOR_HOST = saved;
      }
    }
  });
});

describe('GcsSource listing at scale', () => {
  let server: GcsTestServer;
  const workspaces = Array.from({ length: 12 }, (_, i) => String(1000 + i));
  const dates = dateRange('2023-12-20', 25);

  before(async () => {
    server = await startGcsServer({ maxPageSize: 4 });
    putTree(server, 'big', 'audit', aDeliveryTree(workspaces, dates, 1));
  });
  after(() => server.stop());

  it('follows page tokens until every workspace, date and file is listed', async () => {
    const source = await openGcsSource('gs://big/audit', { endpoint: server.endpoint });
    server.resetLog();
    assert.deepEqual(await source.listWorkspaces(), workspaces);
    assert.equal(server.count({ kind: 'list' }), 3);
    assert.deepEqual(await source.listDates('1005'), dates);
    const files = await source.listFiles();
    assert.equal(files.length, workspaces.length * dates.length);
    assert.equal(new Set(files.map((f) => f.uri)).size, files.length);
    assert.ok(server.requests.filter((r) => r.query.has('pageToken')).length > 12 * 6);
  });

  it('lists only the prefixes a date range and workspace filter need', async () => {
    const source = await openGcsSource('gs://big/audit', { endpoint: server.endpoint });
    server.resetLog();
    const files = await source.listFiles({ from: '2023-12-30', to: '2024-01-02', workspaces: ['1003', '1007'] });
    assert.deepEqual(
      files.map((f) => `${f.workspaceId}/${f.date}`),
      ['1003/2023-12-30', '1003/2023-12-31', '1003/2024-01-01', '1003/2024-01-02', '1007/2023-12-30', '1007/2023-12-31', '1007/2024-01-01', '1007/2024-01-02'],
    );
    const lists = server.requests.filter((r) => r.kind === 'list');
    // No root listing (the workspaces are named), one date listing of one page per workspace,
    // one file listing per selected partition — nothing about other workspaces or dates.
    assert.equal(lists.filter((r) => r.query.get('prefix') === 'audit/').length, 0);
    assert.equal(lists.filter((r) => /workspaceId=\d+\/$/.test(r.query.get('prefix') ?? '')).length, 2);
    const partitionLists = lists.filter((r) => /date=/.test(r.query.get('prefix') ?? ''));
    assert.equal(partitionLists.length, 8);
    for (const request of lists) {
      assert.match(request.query.get('prefix') ?? '', /^audit\/workspaceId=(1003|1007)\//);
    }
    assert.equal(server.count({ kind: 'media' }), 0);
  });

  it('prunes by date when listing every workspace', async () => {
    const source = await openGcsSource('gs://big/audit', { endpoint: server.endpoint });
    server.resetLog();
    const files = await source.listFiles({ from: '2024-01-12', to: '2024-01-20' });
    assert.equal(files.length, workspaces.length * 2);
    const partitionPrefixes = server.requests.map((r) => r.query.get('prefix') ?? '').filter((p) => p.includes('date='));
    assert.equal(partitionPrefixes.length, workspaces.length * 2);
    for (const p of partitionPrefixes) assert.match(p, /date=2024-01-1[23]\/$/);
  });
});

describe('GcsSource reads pinned to the listed generation', () => {
  let server: GcsTestServer;
  let source: AuditSource;
  const [file] = aDeliveryTree(['5'], ['2024-05-01'], 4);

  before(async () => {
    server = await startGcsServer();
    source = await openGcsSource('gs://gen', { endpoint: server.endpoint, retry: { autoRetry: false } });
  });
  beforeEach(() => putTree(server, 'gen', '', [file!]));
  after(() => server.stop());

  it('sees an overwrite as a new version, and refuses to read the old one as if nothing happened', async () => {
    const [listed] = await source.listFiles();
    server.put('gen', objectNameOf('', file!), `${file!.text}{"serviceName":"accounts"}\n`);
    const [relisted] = await source.listFiles();
    assert.notEqual(relisted!.version, listed!.version);
    await assert.rejects(collect(source.openRead(listed!)), (e: { code?: string; userMessage?: string }) => {
      assert.equal(e.code, 'not-found');
      assert.match(e.userMessage ?? '', /changed while reading.*re-list/);
      return true;
    });
    assert.match((await collect(source.openRead(relisted!))).toString(), /accounts/);
  });

  it('reports an object that vanished between list and read as not-found', async () => {
    const [listed] = await source.listFiles();
    server.delete('gen', objectNameOf('', file!));
    await assert.rejects(collect(source.openRead(listed!)), (e: { code?: string; userMessage?: string }) => {
      assert.equal(e.code, 'not-found');
      assert.match(e.userMessage ?? '', /vanished between listing and reading/);
      return true;
    });
  });
});

describe('GcsSource errors', () => {
  let server: GcsTestServer;
  const tree = aDeliveryTree(['9'], ['2024-06-01', '2024-06-02'], 2);

  before(async () => {
    server = await startGcsServer();
    putTree(server, 'err', '', tree);
  });
  after(() => server.stop());

  const noRetry = (): Promise<AuditSource> => openGcsSource('gs://err', { endpoint: server.endpoint, retry: { autoRetry: false } });
  const withRetry = (): Promise<AuditSource> => openGcsSource('gs://err', { endpoint: server.endpoint, retry: FAST_RETRY });

  function expectError(code: string, message: RegExp) {
    return (e: { code?: string; userMessage?: string; detail?: string }) => {
      assert.equal(e.code, code, e.userMessage);
      assert.match(e.userMessage ?? '', message);
      return true;
    };
  }

  it('names the missing permission when listing is forbidden', async () => {
    server.failNext({ kind: 'list', status: 403, message: 'someone@example.com does not have storage.objects.list access' });
    await assert.rejects((await noRetry()).listWorkspaces(), expectError('permission-denied', /storage\.objects\.list.*roles\/storage\.objectViewer/));
  });

  it('names the missing permission when reading is forbidden', async () => {
    const source = await noRetry();
    const [file] = await source.listFiles();
    server.failNext({ kind: 'media', status: 403 });
    await assert.rejects(collect(source.openRead(file!)), expectError('permission-denied', /storage\.objects\.get/));
  });

  it('says the bucket is not there', async () => {
    const source = await openGcsSource('gs://no-such-bucket', { endpoint: server.endpoint, retry: { autoRetry: false } });
    await assert.rejects(source.listFiles(), expectError('not-found', /Bucket not found: gs:\/\/no-such-bucket/));
  });

  it('retries 500, 503 and 429 with backoff, then succeeds', async () => {
    const source = await withRetry();
    server.resetLog();
    server.failNext({ kind: 'list', status: 500, times: 1 });
    server.failNext({ kind: 'list', status: 503, times: 1 });
    assert.deepEqual(await source.listWorkspaces(), ['9']);
    assert.equal(server.count({ kind: 'list' }), 3);
    const [file] = await source.listFiles();
    server.resetLog();
    server.failNext({ kind: 'media', status: 429, times: 2 });
    assert.equal((await collect(source.openRead(file!))).toString(), tree[0]!.text);
    assert.equal(server.count({ kind: 'media' }), 3);
  });

  it('gives up after the configured retries with a clear message, and works again afterwards', async () => {
    const source = await withRetry();
    server.failNext({ kind: 'list', status: 500, times: 10 });
    await assert.rejects(source.listWorkspaces(), expectError('network', /HTTP 500.*retried/));
    server.faults.clear();
    assert.deepEqual(await source.listWorkspaces(), ['9']);
  });

  it('reports the error without retrying when retries are off', async () => {
    const source = await noRetry();
    server.resetLog();
    server.failNext({ kind: 'list', status: 503 });
    await assert.rejects(source.listWorkspaces(), expectError('network', /HTTP 503/));
    assert.equal(server.count({ kind: 'list' }), 1);
  });

  it('reports a dropped connection and an unreachable endpoint as network problems', async () => {
    server.failNext({ kind: 'list', status: 'drop' });
    await assert.rejects((await noRetry()).listWorkspaces(), expectError('network', /Network problem/));
    const down = await startGcsServer();
    const endpoint = down.endpoint;
    await down.stop();
    const source = await openGcsSource('gs://err', { endpoint, retry: { autoRetry: false } });
    await assert.rejects(source.listWorkspaces(), expectError('network', /unreachable \(ECONNREFUSED\)/));
  });

  it('says how to log in when there are no credentials', async () => {
    const saved = { ...process.env };
    delete process.env.STORAGE_EMULATOR_HOST;
    process.env.GOOGLE_APPLICATION_CREDENTIALS = `${process.cwd()}/no-such-key-file.json`;
    try {
      const source = await openGcsSource('gs://err', { retry: { autoRetry: false } });
      await assert.rejects(source.listWorkspaces(), expectError('no-credentials', /GOOGLE_APPLICATION_CREDENTIALS.*gcloud auth application-default login/));
    } finally {
      process.env = saved;
    }
  });

  it('stops listing and reading when cancelled', async () => {
    const source = await noRetry();
    const aborted = new AbortController();
    aborted.abort();
    await assert.rejects(source.listFiles(undefined, { signal: aborted.signal }), expectError('cancelled', /Cancelled/));
    const [file] = await source.listFiles();
    const controller = new AbortController();
    const reading = collect(
      (async function* () {
        for await (const chunk of source.openRead(file!, { signal: controller.signal })) {
          controller.abort();
          yield chunk;
        }
      })(),
    );
    await assert.rejects(reading, expectError('cancelled', /Cancelled/));
  });
});
