/**
 * Network faults through the real storage client: every wait ends, with an error naming the
 * object or prefix. Timeouts are set to fractions of a second, so each test ends in bounded time.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { AuditLensError } from '../../../src/core/errors';
import type { AuditFile } from '../../../src/core/sources';
import { openGcsSource, toGcsError, type GcsSource, type GcsSourceOptions } from '../../../src/core/sources/gcs';
import { startGcsServer, type GcsTestServer } from '../../gcs-server';
import { aDeliveryTree, collect, objectNameOf, putTree } from '../../support/sources';

// Quick retries: after a cut connection the client may hand out its dead socket once more.
const BOUNDS: GcsSourceOptions = { idleTimeoutMs: 1000, listTimeoutMs: 3000, retry: { maxRetries: 2, maxRetryDelaySeconds: 0.01, totalTimeoutSeconds: 5 } };

function failsWith(code: string, message: RegExp) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof AuditLensError, `not an AuditLensError: ${String(error)}`);
    assert.equal(error.code, code, error.userMessage);
    assert.match(error.userMessage, message);
    return true;
  };
}

describe('GCS faults end every wait with an error naming what was read or listed', () => {
  let server: GcsTestServer;
  let source: GcsSource;
  let file: AuditFile;
  const tree = aDeliveryTree(['42'], ['2024-03-01', '2024-03-02'], 400);
  const objectName = objectNameOf('logs', tree[0]!);

  // A server per test: a request the client left hanging (and may retry later) cannot meet the
  // next test's fault.
  beforeEach(async () => {
    server = await startGcsServer({ maxPageSize: 2 });
    putTree(server, 'faulty', 'logs', tree);
    source = await openGcsSource('gs://faulty/logs', { endpoint: server.endpoint, ...BOUNDS });
    file = (await source.listFiles()).find((f) => f.uri.endsWith(objectName))!;
  });
  afterEach(() => server.stop());

  for (const misbehave of ['stall-body', 'cut-body', 'slow-body'] as const) {
    it(`a download that ${misbehave.replace('-body', 's')} mid-body fails, naming the object`, async () => {
      // Every attempt misbehaves: the client retries a connection it sees cut.
      server.failNext({ kind: 'media', object: objectName, misbehave, intervalMs: 20, times: Infinity });
      await assert.rejects(collect(source.openRead(file)), failsWith('network', new RegExp(`gs://faulty/${objectName.replace(/[.]/g, '\\.')}\\b`)));
    });
  }

  it('a healthy download under the same bounds reads every byte', async () => {
    assert.equal((await collect(source.openRead(file))).toString('utf8'), tree[0]!.text);
  });

  it('after a stalled download gives up, the next file reads whole', async () => {
    server.failNext({ kind: 'media', object: objectName, misbehave: 'stall-body', times: Infinity });
    await assert.rejects(collect(source.openRead(file)), failsWith('network', /stalled/));
    const next = (await source.listFiles()).find((f) => f !== file && !f.uri.endsWith(objectName))!;
    assert.equal((await collect(source.openRead(next))).toString('utf8'), tree[1]!.text);
  });

  it('a listing request that never answers fails after the idle timeout, naming the prefix', async () => {
    server.failNext({ kind: 'list', misbehave: 'hang' });
    await assert.rejects(source.listFiles(), failsWith('network', /Listing gs:\/\/faulty\/logs\/ got no answer within 1 s/));
  });

  it('a listing that repeats its page token stops at the repeat', async () => {
    server.failNext({ kind: 'list', misbehave: 'repeat-page-token', times: Infinity });
    server.resetLog();
    await assert.rejects(source.listFiles(), failsWith('data', /Listing gs:\/\/faulty\/logs\/ stopped: the server sent a page token it had already sent/));
    assert.equal(server.count({ kind: 'list' }), 2);
  });

  it('a listing whose pages never end fails at the total bound', async () => {
    server.failNext({ kind: 'list', misbehave: 'endless-pages', times: Infinity });
    await assert.rejects(source.listFiles(), failsWith('network', /Listing gs:\/\/faulty\/logs\/ did not finish within 3 s/));
  });

  it('a malformed listing (a null item, a numeric name) is a clear error, not a crash', async () => {
    server.failNext({ kind: 'list', misbehave: 'malformed-listing' });
    await assert.rejects(source.listFiles(), failsWith('data', /malformed listing: item 1 is null/));
    server.failNext({ kind: 'list', misbehave: 'malformed-listing' });
    await assert.rejects(source.listPartitionFiles('42', '2024-03-01'), failsWith('data', /listing of gs:\/\/faulty\/logs\/workspaceId=42\/date=2024-03-01\/ with a malformed listing/));
  });

  it('never shows the password of an endpoint URL', () => {
    const endpoint = 'http://auditor:s3cret-pass@127.0.0.1:1';
    const error = toGcsError(Object.assign(new Error(`request to ${endpoint}/storage/v1/b/x/o failed, reason: connect ECONNREFUSED`), { code: 'ECONNREFUSED' }), {
      operation: 'list',
      bucket: 'x',
      customEndpoint: true,
      endpoint,
    });
    assert.equal(error.code, 'network');
    assert.match(error.userMessage, /http:\/\/auditor:\*\*\*@127\.0\.0\.1:1/);
    assert.doesNotMatch(`${error.userMessage}\n${error.detail ?? ''}`, /s3cret/);
  });
});
