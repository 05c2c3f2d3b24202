/**
 * Bodies that do not match their object, through the real storage client: a body that never ends
 * stops at the object's listed size, and a connection closed before its Content-Length is seen at
 * once as a cut (the rest is asked for again, then the read fails naming the object). The idle
 * timeout is left at its default (60 s): each failure must come long before it.
 */
import assert from 'node:assert/strict';
import { channel } from 'node:diagnostics_channel';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { AuditLensError } from '../../../src/core/errors';
import type { AuditFile } from '../../../src/core/sources';
import type { ByteRange } from '../../../src/core/sources/types';
import { openGcsSource, type GcsSource } from '../../../src/core/sources/gcs';
import { startGcsServer, type GcsTestServer } from '../../gcs-server';
import { aDeliveryTree, collect, objectNameOf, putTree } from '../../support/sources';

/** Far below the idle timeout: the failure is not the idle timer's. */
const QUICK_MS = 10_000;

function failsNaming(object: string, message: RegExp) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof AuditLensError, `not an AuditLensError: ${String(error)}`);
    assert.equal(error.code, 'network', error.userMessage);
    assert.ok(error.userMessage.includes(`gs://bodies/${object} `), error.userMessage);
    assert.match(error.userMessage, message);
    return true;
  };
}

/** Reads like a consumer would, counting what it was given before the read failed. */
async function readCounting(chunks: AsyncIterable<Uint8Array>): Promise<{ given: number; error: unknown; ms: number }> {
  const started = Date.now();
  let given = 0;
  try {
    for await (const chunk of chunks) given += chunk.length;
  } catch (error) {
    return { given, error, ms: Date.now() - started };
  }
  return { given, error: undefined, ms: Date.now() - started };
}

describe('GCS bodies longer than their object or cut short', () => {
  let server: GcsTestServer;
  let source: GcsSource;
  let file: AuditFile;
  // About 20 KB each, as in the report.
  const tree = aDeliveryTree(['42'], ['2024-03-01', '2024-03-02'], 45);
  const objectName = objectNameOf('logs', tree[0]!);
  const text = tree[0]!.text;
  const ranges: Array<[string, ByteRange | undefined]> = [
    ['a whole-object read', undefined],
    ['a ranged read', { start: 100, end: 15_000 }],
  ];

  beforeEach(async () => {
    server = await startGcsServer();
    putTree(server, 'bodies', 'logs', tree);
    source = await openGcsSource('gs://bodies/logs', { endpoint: server.endpoint, retry: { maxRetries: 2, maxRetryDelaySeconds: 0.01 } });
    file = (await source.listFiles()).find((f) => f.uri.endsWith(objectName))!;
    assert.ok(file.size > 18_000 && file.size < 22_000, `object of ${file.size} bytes`);
    server.resetLog();
  });
  afterEach(() => server.stop());

  for (const [what, range] of ranges) {
    const wanted = range ? range.end - range.start : text.length;

    it(`${what} whose body never ends stops at the bytes asked for and fails naming the object`, async () => {
      server.failNext({ kind: 'media', object: objectName, misbehave: 'endless-body', times: Infinity });
      const run = await readCounting(source.openRead(file, range ? { range } : {}));
      assert.ok(run.error, `read ${run.given} bytes without failing`);
      assert.ok(failsNaming(objectName, /was stopped: the storage server sent more than the \d+ bytes .*Its answer is corrupt/)(run.error));
      assert.ok(run.given <= wanted, `given ${run.given} bytes of ${wanted}`);
      assert.ok(run.ms < QUICK_MS, `took ${run.ms} ms`);
      assert.equal(server.count({ kind: 'media' }), 1, 'an overlong body is not asked for again');
      // The connection is closed: the server stops sending.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const sent = server.downloads[0]!.bytesSent;
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(server.downloads[0]!.bytesSent, sent, 'the server still sends');
    });

    it(`${what} cut once is read whole by asking for the rest`, async () => {
      server.failNext({ kind: 'media', object: objectName, misbehave: 'cut-body' });
      const started = Date.now();
      const bytes = await collect(source.openRead(file, range ? { range } : {}));
      assert.equal(bytes.toString('utf8'), range ? text.slice(range.start, range.end) : text);
      assert.ok(Date.now() - started < QUICK_MS);
      assert.equal(server.count({ kind: 'media' }), 2);
    });

    it(`${what} cut every time fails at once as a cut, after two more tries, naming the object`, async () => {
      server.failNext({ kind: 'media', object: objectName, misbehave: 'cut-body', times: Infinity });
      const run = await readCounting(source.openRead(file, range ? { range } : {}));
      assert.ok(run.error, 'the read did not fail');
      assert.ok(failsNaming(objectName, /was cut: the connection closed before the whole body came \(3 attempts/)(run.error));
      assert.doesNotMatch((run.error as AuditLensError).userMessage, /stalled/);
      assert.ok(run.ms < QUICK_MS, `took ${run.ms} ms`);
      assert.equal(server.count({ kind: 'media' }), 3);
      assert.ok(run.given < wanted);
      assert.equal(channel('http.client.response.finish').hasSubscribers, false, 'a failed download is still watched');
    });
  }

  it('a download failing beside another leaves the other one alone', async () => {
    // A small object sent slowly (about 1 s), so that it is still arriving when the other fails.
    const small = { ...tree[1]!, internalId: 'small', text: tree[1]!.text.slice(0, 200) };
    const smallName = objectNameOf('logs', small);
    server.put('bodies', smallName, small.text);
    const smallFile = (await source.listPartitionFiles(small.workspaceId, small.date)).find((f) => f.uri.endsWith(smallName))!;
    server.failNext({ kind: 'media', object: smallName, misbehave: 'slow-body', intervalMs: 5 });
    server.failNext({ kind: 'media', object: objectName, misbehave: 'endless-body', times: Infinity });
    const [whole, failed] = await Promise.allSettled([collect(source.openRead(smallFile)), collect(source.openRead(file))]);
    assert.equal(failed.status, 'rejected');
    assert.equal(whole.status === 'fulfilled' ? whole.value.toString('utf8') : String(whole.reason), small.text);
    assert.equal(server.count({ kind: 'media', object: smallName }), 1, 'the slow download was cut and asked for again');
  });
});
