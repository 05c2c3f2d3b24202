/**
 * Faults through the CLI, as a user meets them: a stalled download, an unanswered or looping
 * listing, an unreadable file. Each run ends in bounded time with a non-zero exit and a message
 * naming the object or prefix; `query` still answers from the files it could read.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { startGcsServer, type GcsTestServer } from '../gcs-server';
import { aDeliveryTree, objectNameOf, putTree } from '../support/sources';
import { aLine } from '../support/records';
import { assertBuilt, runCli, STACK_FRAME, type CliRun } from '../support/cli';

const TIMEOUT = ['--gcs-timeout', '1'];

function assertClean(run: CliRun): void {
  assert.doesNotMatch(run.stdout + run.stderr, STACK_FRAME, run.stderr);
}

describe('the CLI over a faulty GCS server', () => {
  let server: GcsTestServer;
  const tree = aDeliveryTree(['42'], ['2024-03-01', '2024-03-02'], 50);
  const stalled = objectNameOf('logs', tree[0]!);
  const bucket = 'gs://faulty/logs';

  before(assertBuilt);
  beforeEach(async () => {
    server = await startGcsServer();
    putTree(server, 'faulty', 'logs', tree);
  });
  afterEach(() => server.stop());

  it('validate reports a stalled download as an unreadable file, checks the rest, and exits 1', async () => {
    server.failNext({ kind: 'media', object: stalled, misbehave: 'stall-body', times: Infinity });
    const run = await runCli(['validate', bucket, '--gcs-endpoint', server.endpoint, ...TIMEOUT]);
    await server.stop();
    assertClean(run);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stdout, new RegExp(`^gs://faulty/${stalled}: error: the file could not be read: The download of gs://faulty/${stalled} stalled.* \\[unreadable\\]$`, 'm'));
    assert.match(run.stdout, /^2 files, 50 lines read: 50 records, 0 rejected; 1 error,/m);
  });

  it('query answers from the files it could read, names the one it lost, and exits 1', async () => {
    server.failNext({ kind: 'media', object: stalled, misbehave: 'cut-body', times: Infinity });
    const run = await runCli(['query', 'SELECT count(*) AS n FROM audit_logs', '--source', bucket, '--gcs-endpoint', server.endpoint, '--format', 'json', ...TIMEOUT]);
    await server.stop();
    assertClean(run);
    assert.equal(run.code, 1, run.stderr);
    assert.deepEqual((JSON.parse(run.stdout) as { rows: unknown[][] }).rows, [[50]]);
    assert.match(run.stderr, new RegExp(`gs://faulty/${stalled}: file skipped: `));
    assert.match(run.stderr, /misses 1 file that could not be read/);
  });

  for (const command of [['ls', '--source', bucket], ['validate', bucket], ['query', 'SELECT 1', '--source', bucket]]) {
    it(`${command[0]} exits 1 naming the prefix when a listing never answers`, async () => {
      server.failNext({ kind: 'list', misbehave: 'hang', times: Infinity });
      const run = await runCli([...command, '--gcs-endpoint', server.endpoint, ...TIMEOUT]);
      await server.stop();
      assertClean(run);
      assert.equal(run.code, 1, run.stderr);
      assert.match(run.stderr, /Listing gs:\/\/faulty\/logs\/ got no answer within 1 s/);
    });
  }

  it('ls exits 1 when the listing repeats its page token, after two requests', async () => {
    server.failNext({ kind: 'list', misbehave: 'repeat-page-token', times: Infinity });
    const run = await runCli(['ls', '--source', bucket, '--gcs-endpoint', server.endpoint, ...TIMEOUT]);
    assertClean(run);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /page token it had already sent/);
    assert.equal(server.count({ kind: 'list' }), 2);
  });

  it('a malformed listing is a one-line error, not a stack trace', async () => {
    server.failNext({ kind: 'list', misbehave: 'malformed-listing' });
    const run = await runCli(['ls', '--source', bucket, '--gcs-endpoint', server.endpoint, ...TIMEOUT]);
    assertClean(run);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /^audit-lens: The storage server answered the listing of gs:\/\/faulty\/logs\/ with a malformed listing: item 1 is null, not an object\.$/m);
  });
});

describe('validate over a folder', () => {
  let root = '';
  before(() => {
    assertBuilt();
    root = mkdtempSync(path.join(tmpdir(), 'audit-lens-faults-'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  function deliver(name: string, files: Record<string, string[]>): string {
    for (const [relative, lines] of Object.entries(files)) {
      const target = path.join(root, name, relative);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, lines.join('\n') + '\n');
    }
    return path.join(root, name);
  }

  it('goes on past a file it may not read, reports it as an error, and exits 1', { skip: process.platform === 'win32' }, async () => {
    const partition = 'workspaceId=1234567890123456/date=2024-03-05';
    const source = deliver('locked', { [`${partition}/auditlogs_1.json`]: [aLine()], [`${partition}/auditlogs_2.json`]: [aLine()], [`${partition}/auditlogs_3.json`]: [aLine()] });
    chmodSync(path.join(source, partition, 'auditlogs_2.json'), 0o000);
    chmodSync(root, 0o755);
    // root reads anything: run the CLI as an unprivileged user then.
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const run = await runCli(['validate', source], { ...asUser, cwd: tmpdir() });
    assertClean(run);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stdout, /auditlogs_2\.json: error: the file could not be read: .*\[unreadable\]$/m);
    assert.match(run.stdout, /^3 files, 2 lines read: 2 records, 0 rejected; 1 error,/m);
  });

  it('checks a record whose top-level keys are named like prototype members', async () => {
    const line = aLine().replace(/^\{/, '{"constructor":{"a":1},"__proto__":{"b":2},"toString":{},"hasOwnProperty":[],"valueOf":{"c":{}},');
    const source = deliver('proto', { 'workspaceId=1234567890123456/date=2024-03-05/auditlogs_1.json': [line] });
    const run = await runCli(['validate', source]);
    assertClean(run);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /^1 file, 1 line read: 1 record, 0 rejected; 0 errors/m);
  });
});
