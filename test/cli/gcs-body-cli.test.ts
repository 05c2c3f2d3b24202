/**
 * GCS bodies that never end or are cut, as a user meets them through the CLI. The GCS idle
 * timeout stays at its default (60 s): `query` and `validate` must end long before it, exit 1,
 * and name the object they lost.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { startGcsServer, type GcsTestServer } from '../gcs-server';
import type { Misbehaviour } from '../gcs-server/faults';
import { aDeliveryTree, objectNameOf, putTree } from '../support/sources';
import { assertBuilt, runCli, STACK_FRAME, type CliRun } from '../support/cli';

/** Well under the 60 s idle timeout. */
const QUICK_MS = 20_000;
/** A run still going after this is killed, so that a regression fails instead of hanging. */
const KILL_AFTER_MS = 40_000;

const FAULTS: Array<[Misbehaviour, RegExp]> = [
  ['endless-body', /was stopped: the storage server sent more than the \d+ bytes of its listed size\. Its answer is corrupt/],
  ['cut-body', /was cut: the connection closed before the whole body came \(3 attempts/],
];

describe('the CLI over GCS bodies that never end or are cut', () => {
  let server: GcsTestServer;
  const tree = aDeliveryTree(['42'], ['2024-03-01', '2024-03-02'], 45);
  const lost = objectNameOf('logs', tree[0]!);
  const lostUri = `gs://faulty/${lost}`;
  const bucket = 'gs://faulty/logs';
  const timers = new Set<NodeJS.Timeout>();

  async function run(args: readonly string[]): Promise<CliRun & { ms: number }> {
    const started = Date.now();
    const result = await runCli([...args, '--gcs-endpoint', server.endpoint], {
      onSpawn: (child) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
        timers.add(timer);
        child.once('close', () => {
          clearTimeout(timer);
          timers.delete(timer);
        });
      },
    });
    return { ...result, ms: Date.now() - started };
  }

  before(assertBuilt);
  beforeEach(async () => {
    server = await startGcsServer();
    putTree(server, 'faulty', 'logs', tree);
  });
  afterEach(() => server.stop());
  after(() => {
    for (const timer of timers) clearTimeout(timer);
  });

  for (const [misbehave, message] of FAULTS) {
    it(`query over a body that ${misbehave === 'cut-body' ? 'is cut' : 'never ends'} answers from the rest, names the object, and exits 1 within seconds`, async () => {
      server.failNext({ kind: 'media', object: lost, misbehave, times: Infinity });
      const result = await run(['query', 'SELECT count(*) AS n FROM audit_logs', '--source', bucket, '--format', 'json']);
      assert.equal(result.signal, null, `killed after ${result.ms} ms`);
      assert.ok(result.ms < QUICK_MS, `took ${result.ms} ms`);
      assert.equal(result.code, 1, result.stderr);
      assert.doesNotMatch(result.stdout + result.stderr, STACK_FRAME);
      assert.deepEqual((JSON.parse(result.stdout) as { rows: unknown[][] }).rows, [[45]]);
      const line = result.stderr.split('\n').find((l) => l.includes(`${lostUri}: file skipped: `));
      assert.ok(line, result.stderr);
      assert.match(line, message);
      assert.match(result.stderr, /misses 1 file/);
    });

    it(`validate over a body that ${misbehave === 'cut-body' ? 'is cut' : 'never ends'} reports the object unreadable and exits 1 within seconds`, async () => {
      server.failNext({ kind: 'media', object: lost, misbehave, times: Infinity });
      const result = await run(['validate', bucket]);
      assert.equal(result.signal, null, `killed after ${result.ms} ms`);
      assert.ok(result.ms < QUICK_MS, `took ${result.ms} ms`);
      assert.equal(result.code, 1, result.stderr);
      assert.doesNotMatch(result.stdout + result.stderr, STACK_FRAME);
      const line = result.stdout.split('\n').find((l) => l.startsWith(`${lostUri}: error: the file could not be read: `));
      assert.ok(line, result.stdout);
      assert.match(line, message);
      assert.match(line, /\[unreadable\]$/);
      assert.match(result.stdout, /^2 files, 45 lines read: 45 records, 0 rejected; 1 error,/m);
    });
  }

  it('query reads a body cut once whole (the rest is asked for again) and exits 0', async () => {
    server.failNext({ kind: 'media', object: lost, misbehave: 'cut-body' });
    const result = await run(['query', 'SELECT count(*) AS n FROM audit_logs', '--source', bucket, '--format', 'json']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual((JSON.parse(result.stdout) as { rows: unknown[][] }).rows, [[90]]);
    assert.ok(result.ms < QUICK_MS, `took ${result.ms} ms`);
  });
});
