import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AuditLensError } from '../../../src/core/errors';
import { generateTree } from '../../support/generate';
import type { ProgressUpdate } from '../../../src/core/progress';
import { ScanCache, scanFiles, type ScanFilesResult } from '../../../src/core/scan';
import { ScanClient } from '../../../src/worker/scan/client';
import { bundleTestWorker, type TestWorker } from '../../support/testWorker';
import { LocalFolderSource, openSource, type AuditFile } from '../../../src/core/sources';
import { validateFile, type Finding } from '../../../src/core/validate';
import { startGcsServer, type GcsTestServer } from '../../gcs-server';
import { aDeliveryTree, aRecord, putTree } from '../../support/sources';
import { SCAN_WORKER_BUNDLE } from '../../support/workers';

/** The bundled worker (`npm run build` makes it). */
const workerPath = SCAN_WORKER_BUNDLE;

/** Results without the parts that are compared separately (errors as plain data). */
function comparable(result: ScanFilesResult) {
  return {
    scanned: result.scanned,
    skipped: result.skipped.map(({ file, error }) => ({ file, error: error.toJSON() })),
  };
}

function isCode(code: string) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof AuditLensError, `expected an AuditLensError, got ${String(error)}`);
    assert.equal(error.code, code, error.userMessage);
    return true;
  };
}

/** A file whose lines give every kind of finding, many times over (more than one findings batch). */
function oddLines(count: number): string {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    lines.push(JSON.stringify(aRecord({ serviceName: '__proto__', actionName: 'constructor', workspaceId: '999' })));
    lines.push('{"serviceName": "clusters", ');
    lines.push(JSON.stringify({ ...aRecord(), requestParams: { num_workers: 3 } }));
  }
  return lines.join('\n') + '\n';
}

describe('ScanClient (worker thread)', { timeout: 120_000 }, () => {
  let root: string;
  let source: LocalFolderSource;
  let files: AuditFile[];
  let client: ScanClient;

  before(async () => {
    assert.ok(existsSync(workerPath), `${workerPath} is missing: run npm run build`);
    root = await mkdtemp(path.join(tmpdir(), 'audit-lens-scan-client-'));
    await generateTree(root, { seed: 'scan-client', workspaces: 2, days: 3, recordsPerDay: 120 });
    const odd = path.join(root, 'workspaceId=1234567890123456', 'date=2024-05-07', 'auditlogs_odd.json');
    await mkdir(path.dirname(odd), { recursive: true });
    await writeFile(odd, oddLines(600));
    source = new LocalFolderSource(root);
    files = await source.listFiles();
    client = new ScanClient({ workerPath });
  });
  after(async () => {
    await client.dispose();
    await rm(root, { recursive: true, force: true });
  });

  it('scans exactly as scanFiles does, handing back the caller\'s file objects', async () => {
    const expected = await scanFiles(source, files);
    const actual = await client.scanFiles({ uri: root }, files);
    assert.deepEqual(comparable(actual), comparable(expected));
    assert.equal(actual.scanned.length, files.length);
    for (const [i, scanned] of actual.scanned.entries()) assert.equal(scanned.file, files[i]);
    const odd = actual.scanned.find((s) => s.file.relativePath.endsWith('auditlogs_odd.json'))!;
    assert.equal(odd.scan.services['__proto__']?.['constructor']?.events, 600);
    assert.equal(odd.scan.services['toString'], undefined, 'the service map has no prototype');
  });

  it('relays progress for every file', async () => {
    const updates: ProgressUpdate[] = [];
    await client.scanFiles({ uri: root }, files, { onProgress: (u) => updates.push(u) });
    assert.equal(updates.length, files.length);
    assert.deepEqual(
      updates.map((u) => u.done),
      files.map((_, i) => i + 1),
    );
    assert.ok(updates.every((u) => u.total === files.length && u.unit === 'files'));
  });

  it('reads through and fills the scan cache in the given directory', async () => {
    const directory = await mkdtemp(path.join(tmpdir(), 'audit-lens-scan-client-cache-'));
    try {
      const first = await client.scanFiles({ uri: root }, files, { cacheDirectory: directory, concurrency: 2 });
      assert.ok(first.scanned.every((s) => !s.cached));
      const cache = new ScanCache(directory);
      for (const scanned of first.scanned) assert.deepEqual(await cache.get(scanned.file), scanned.scan);
      const second = await client.scanFiles({ uri: root }, files, { cacheDirectory: directory });
      assert.ok(second.scanned.every((s) => s.cached));
      assert.deepEqual(
        second.scanned.map((s) => s.scan),
        first.scanned.map((s) => s.scan),
      );
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('reports a vanished file as skipped and scans the rest, as scanFiles does', async () => {
    const gone: AuditFile = { ...files[0]!, uri: path.join(root, 'workspaceId=1', 'date=2024-05-06', 'auditlogs_gone.json'), relativePath: 'workspaceId=1/date=2024-05-06/auditlogs_gone.json' };
    const list = [gone, ...files.slice(0, 2)];
    const expected = await scanFiles(source, list);
    const actual = await client.scanFiles({ uri: root }, list);
    assert.equal(actual.skipped.length, 1);
    assert.equal(actual.skipped[0]!.file, gone);
    assert.ok(actual.skipped[0]!.error instanceof AuditLensError);
    assert.equal(actual.skipped[0]!.error.code, 'not-found');
    assert.deepEqual(comparable(actual), comparable(expected));
  });

  it('validates every file exactly as validateFile does', async () => {
    for (const file of files) {
      const expected = await validateFile(source, file);
      const actual = await client.validateFile({ uri: root }, file);
      assert.deepEqual(actual, expected, file.relativePath);
    }
  });

  it('sends many findings in ordered batches, and stops sending at maxFindings while counting all', async () => {
    const odd = files.find((f) => f.relativePath.endsWith('auditlogs_odd.json'))!;
    const expected: Finding[] = [];
    const inProcess = await validateFile(source, odd, { onFindings: (batch) => expected.push(...batch) });
    assert.ok(expected.length > 2000, `only ${expected.length} findings`);

    const batches: Finding[][] = [];
    const streamed = await client.validateFile({ uri: root }, odd, { onFindings: (batch) => batches.push(batch) });
    assert.ok(batches.length > 1, 'findings came in more than one message');
    assert.deepEqual(batches.flat(), expected);
    assert.deepEqual(streamed.findings, []);
    assert.deepEqual(streamed.summary, inProcess.summary);

    const limited = await client.validateFile({ uri: root }, odd, { maxFindings: 10 });
    assert.deepEqual(limited.findings, expected.slice(0, 10));
    assert.deepEqual(limited.summary, inProcess.summary);
  });

  it('opens gs:// sources inside the worker from the descriptor', async () => {
    let server: GcsTestServer | undefined;
    try {
      server = await startGcsServer();
      putTree(server, 'logs', 'audit', aDeliveryTree(['42', '7'], ['2024-02-27', '2024-02-28'], 5));
      const gcs = await openSource('gs://logs/audit', { gcsEndpoint: server.endpoint });
      const gcsFiles = await gcs.listFiles();
      const descriptor = { uri: 'gs://logs/audit', gcsEndpoint: server.endpoint };
      assert.deepEqual(comparable(await client.scanFiles(descriptor, gcsFiles)), comparable(await scanFiles(gcs, gcsFiles)));
      assert.deepEqual(await client.validateFile(descriptor, gcsFiles[0]!), await validateFile(gcs, gcsFiles[0]!));
    } finally {
      await server?.stop();
    }
  });

  it('fails a request with a clear error when the source cannot be read', async () => {
    await assert.rejects(client.scanFiles({ uri: 'gs://' }, files.slice(0, 1)), (error: unknown) => {
      assert.ok(error instanceof AuditLensError);
      assert.notEqual(error.code, 'internal');
      return true;
    });
  });
});

describe('ScanClient cancellation and recovery', { timeout: 120_000 }, () => {
  let root: string;
  let files: AuditFile[];
  /** The real scan handlers plus test-only faults, so recovery can be tested. */
  let faulty: TestWorker;

  before(async () => {
    assert.ok(existsSync(workerPath), `${workerPath} is missing: run npm run build`);
    root = await mkdtemp(path.join(tmpdir(), 'audit-lens-scan-client-long-'));
    await generateTree(root, { seed: 'scan-client-long', workspaces: 1, days: 30, recordsPerDay: 1500 });
    files = await new LocalFolderSource(root).listFiles();
    faulty = await bundleTestWorker(path.join(__dirname, 'faultyThread.ts'));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
    await faulty.remove();
  });

  it('stops a long scan when the signal aborts, and the same worker serves the next request', async () => {
    const client = new ScanClient({ workerPath });
    try {
      const controller = new AbortController();
      const updates: ProgressUpdate[] = [];
      const running = client.scanFiles({ uri: root }, files, {
        concurrency: 1,
        signal: controller.signal,
        onProgress: (update) => {
          updates.push(update);
          controller.abort();
        },
      });
      const thread = client.workerThreadId;
      await assert.rejects(running, isCode('cancelled'));
      assert.ok(updates.length < files.length, `the scan stopped early (${updates.length} of ${files.length} files)`);
      const next = await client.scanFiles({ uri: root }, files.slice(0, 2));
      assert.equal(next.scanned.length, 2);
      assert.equal(client.workerThreadId, thread, 'the cancel was cooperative: the worker was not replaced');
    } finally {
      await client.dispose();
    }
  });

  it('rejects at once when the signal has already aborted', async () => {
    const client = new ScanClient({ workerPath });
    try {
      await assert.rejects(client.scanFiles({ uri: root }, files, { signal: AbortSignal.abort() }), isCode('cancelled'));
      assert.equal(client.workerThreadId, undefined, 'no worker was started');
    } finally {
      await client.dispose();
    }
  });

  it('replaces a worker that does not answer a cancel within the grace period', async () => {
    const client = new ScanClient({ workerPath: faulty.path, cancelGraceMs: 200 });
    try {
      const warm = await client.scanFiles({ uri: root }, files.slice(0, 1));
      assert.equal(warm.scanned.length, 1);
      const blocked = client.workerThreadId;
      const controller = new AbortController();
      const hanging = client.scanFiles({ uri: 'fault:hang?ms=60000' }, [], { signal: controller.signal });
      const alongside = assert.rejects(client.scanFiles({ uri: root }, files), (error: unknown) => {
        assert.ok(error instanceof AuditLensError);
        assert.equal(error.code, 'internal');
        assert.match(error.userMessage, /restarted/);
        return true;
      });
      controller.abort();
      await assert.rejects(hanging, isCode('cancelled'));
      await alongside;
      const next = await client.scanFiles({ uri: root }, files.slice(0, 1));
      assert.deepEqual(next.scanned.map((s) => s.scan), warm.scanned.map((s) => s.scan));
      assert.notEqual(client.workerThreadId, blocked);
    } finally {
      await client.dispose();
    }
  });

  it('fails the requests of a crashed worker clearly, and starts a new one for the next request', async () => {
    const client = new ScanClient({ workerPath: faulty.path });
    try {
      const before = await client.scanFiles({ uri: root }, files.slice(0, 3));
      const crashed = client.workerThreadId;
      const inFlight = assert.rejects(client.scanFiles({ uri: root }, files, { concurrency: 1 }), isCode('internal'));
      await assert.rejects(client.scanFiles({ uri: 'fault:crash' }, []), (error: unknown) => {
        assert.ok(error instanceof AuditLensError);
        assert.equal(error.code, 'internal');
        assert.match(error.userMessage, /scan worker/);
        return true;
      });
      await inFlight;
      const afterCrash = await client.scanFiles({ uri: root }, files.slice(0, 3));
      assert.deepEqual(comparable(afterCrash), comparable(before));
      assert.notEqual(client.workerThreadId, crashed);
    } finally {
      await client.dispose();
    }
  });

  it('rejects pending and later requests once disposed', async () => {
    const client = new ScanClient({ workerPath });
    const pending = assert.rejects(client.scanFiles({ uri: root }, files, { concurrency: 1 }), isCode('cancelled'));
    await client.dispose();
    await pending;
    await assert.rejects(client.scanFiles({ uri: root }, files), isCode('cancelled'));
  });

  it('reports a missing worker bundle as an error of the request', async () => {
    const client = new ScanClient({ workerPath: path.join(root, 'no-such-worker.js') });
    try {
      await assert.rejects(client.scanFiles({ uri: root }, files.slice(0, 1)), (error: unknown) => {
        assert.ok(error instanceof AuditLensError);
        assert.equal(error.code, 'internal');
        assert.match(error.userMessage, /scan worker/);
        return true;
      });
    } finally {
      await client.dispose();
    }
  });
});
