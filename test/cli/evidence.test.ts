/**
 * What a cron job reads from the exit code: files that could not be read are not "clean", a
 * scope with no logs is not "no findings", and a file under two sources counts once.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { startGcsServer, type GcsTestServer } from '../gcs-server';
import { assertBuilt, runCli, STACK_FRAME, type CliRun } from '../support/cli';
import { generateTree } from '../support/generate';
import { aDeliveryTree, objectNameOf, putTree } from '../support/sources';
import { aLine } from '../support/records';

function assertClean(run: CliRun): void {
  assert.doesNotMatch(run.stdout + run.stderr, STACK_FRAME, run.stderr);
}

function count(run: CliRun): number {
  assert.equal(run.code, 0, run.stderr);
  return (JSON.parse(run.stdout) as { rows: number[][] }).rows[0]![0]!;
}

describe('files that exist but could not be read', () => {
  let server: GcsTestServer;
  const tree = aDeliveryTree(['42'], ['2024-03-01', '2024-03-02'], 50);
  const denied = objectNameOf('logs', tree[1]!);
  const bucket = 'gs://locked/logs';
  const gcs = (args: string[]) => runCli([...args, '--source', bucket, '--gcs-endpoint', server.endpoint, '--gcs-timeout', '2']);

  before(assertBuilt);
  beforeEach(async () => {
    server = await startGcsServer();
    putTree(server, 'locked', 'logs', tree);
    server.failNext({ kind: 'media', object: denied, status: 403, times: Infinity });
  });
  afterEach(() => server.stop());

  it('query prints the answer from the rest, names the file, and exits 1', async () => {
    const run = await gcs(['query', 'SELECT count(*) AS n FROM audit_logs', '--format', 'json']);
    assertClean(run);
    assert.equal(run.code, 1, run.stderr);
    assert.deepEqual((JSON.parse(run.stdout) as { rows: unknown[][] }).rows, [[50]]);
    assert.match(run.stderr, new RegExp(`gs://locked/${denied}: file skipped: Permission denied`));
    assert.match(run.stderr, /^audit-lens: The answer above is incomplete: it misses 1 file that could not be read .*--allow-partial/m);
  });

  it('with --allow-partial the same answer exits 0, with a warning', async () => {
    const run = await gcs(['query', 'SELECT count(*) AS n FROM audit_logs', '--format', 'json', '--allow-partial']);
    assert.equal(count(run), 50);
    assert.match(run.stderr, /^warning: the answer above is incomplete: it misses 1 file that could not be read/m);
  });

  it('detect with nothing found is not clean: exit 1, and 0 only with --allow-partial', async () => {
    const strict = await gcs(['detect', '--format', 'json']);
    assertClean(strict);
    assert.equal(strict.code, 1, strict.stderr);
    // The detections read clusters' create records (25 of the 50 read), not their deletes.
    assert.equal((JSON.parse(strict.stdout) as { records: number }).records, 25, 'the report of what could be read is still printed');
    const partial = await gcs(['detect', '--format', 'json', '--allow-partial']);
    assert.equal(partial.code, 0, partial.stderr);
  });

  it('analyze exits 1 too', async () => {
    const run = await gcs(['analyze']);
    assertClean(run);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stdout, /== /, 'the analyses of the rest are printed');
  });

  it('a local file the user may not read is a failure as well', { skip: process.platform === 'win32' }, async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'audit-lens-evidence-'));
    try {
      chmodSync(root, 0o755);
      const partition = path.join(root, 'workspaceId=7/date=2024-03-05');
      mkdirSync(partition, { recursive: true });
      writeFileSync(path.join(partition, 'auditlogs_1.json'), `${aLine()}\n`);
      writeFileSync(path.join(partition, 'auditlogs_2.json'), `${aLine()}\n`);
      chmodSync(path.join(partition, 'auditlogs_2.json'), 0o000);
      // root reads anything: run the CLI as an unprivileged user then.
      const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
      const run = await runCli(['query', 'SELECT count(*) AS n FROM audit_logs', '--source', root, '--format', 'json'], { ...asUser, cwd: tmpdir(), env: { AUDIT_LENS_SCAN_CACHE: path.join(root, 'no-cache') } });
      assertClean(run);
      assert.equal(run.code, 1, run.stderr);
      assert.deepEqual((JSON.parse(run.stdout) as { rows: unknown[][] }).rows, [[1]]);
      assert.match(run.stderr, /auditlogs_2\.json: file skipped: Permission denied/);
      assert.match(run.stderr, /misses 1 file that could not be read/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('a scope with no audit logs', () => {
  let root = '';
  before(async () => {
    assertBuilt();
    root = await mkdtemp(path.join(tmpdir(), 'audit-lens-empty-'));
    const partition = path.join(root, 'logs/workspaceId=7/date=2024-03-05');
    mkdirSync(partition, { recursive: true });
    writeFileSync(path.join(partition, 'auditlogs_1.json'), `${aLine()}\n`);
    const blank = path.join(root, 'blank/workspaceId=7/date=2024-03-05');
    mkdirSync(blank, { recursive: true });
    writeFileSync(path.join(blank, 'auditlogs_1.json'), '\n\n');
  });
  after(() => rm(root, { recursive: true, force: true }));

  for (const command of [['detect'], ['query', 'SELECT count(*) FROM audit_logs'], ['analyze']]) {
    it(`${command[0]} over a day not delivered yet exits 1 naming the scope, and 0 with --allow-empty`, async () => {
      const scope = ['--source', path.join(root, 'logs'), '--from', '2024-03-06', '--to', '2024-03-06'];
      const run = await runCli([...command, ...scope]);
      assertClean(run);
      assert.equal(run.code, 1, run.stderr);
      assert.match(run.stderr, /^audit-lens: no audit logs in the scope: .*logs on 2024-03-06 \(no audit-log file matched\)\. .*--allow-empty/m);
      assert.equal(run.stdout, '', 'nothing that looks like an answer');
      const allowed = await runCli([...command, ...scope, '--allow-empty']);
      assert.equal(allowed.code, 0, allowed.stderr);
      assert.match(allowed.stderr, /^warning: no audit logs in the scope: /m);
    });
  }

  it('a mistyped prefix fails the same way', async () => {
    mkdirSync(path.join(root, 'typo'), { recursive: true });
    const run = await runCli(['detect', '--source', path.join(root, 'typo')]);
    assertClean(run);
    assert.notEqual(run.code, 0, run.stderr);
    assert.notEqual(run.code, 3, run.stderr);
  });

  it('files that hold no record are no logs either', async () => {
    const run = await runCli(['detect', '--source', path.join(root, 'blank')]);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /no audit logs in the scope: .*\(its file holds no audit record\)/);
  });

  it('a scope whose records are all of services no detection reads is not empty', async () => {
    const run = await runCli(['detect', '--source', path.join(root, 'logs'), '--only', 'failed-logins']);
    assert.equal(run.code, 0, run.stderr);
  });
});

describe('sources that overlap', () => {
  let root = '';
  before(async () => {
    assertBuilt();
    root = await mkdtemp(path.join(tmpdir(), 'audit-lens-overlap-'));
    await generateTree(root, { seed: 'overlap', workspaces: 2, days: 2, startDate: '2024-03-01', background: true, plant: [{ detection: 'failed-logins', fires: true }] });
  });
  after(() => rm(root, { recursive: true, force: true }));

  const countOf = (sources: string[], extra: string[] = []) => runCli(['query', 'SELECT count(*) AS n FROM audit_logs', ...sources.flatMap((s) => ['--source', s]), '--format', 'json', ...extra]);

  it('the same source twice reads each file once, and says so', async () => {
    const once = count(await countOf([root]));
    const twice = await countOf([root, `${root}/`]);
    assert.equal(count(twice), once);
    assert.match(twice.stderr, /^note: \d+ files are listed more than once .*each is read once$/m);
  });

  it('a source inside another reads the inner files once', async () => {
    const once = count(await countOf([root]));
    const inner = (await import('node:fs')).readdirSync(root).find((name) => name.startsWith('workspaceId='))!;
    const nested = await countOf([root, path.join(root, inner)]);
    assert.equal(count(nested), once);
    assert.match(nested.stderr, /listed more than once/);
    const reversed = await countOf([path.join(root, inner), path.join(root, '.', inner, '..')]);
    assert.equal(count(reversed), once);
  });

  it('failed-logins counts each failure once, whatever the sources', async () => {
    const rowsOf = async (sources: string[]) => {
      const run = await runCli(['detect', '--only', 'failed-logins', '--format', 'json', '--fail-on', 'none', ...sources.flatMap((s) => ['--source', s])]);
      assert.equal(run.code, 0, run.stderr);
      return (JSON.parse(run.stdout) as { detections: { rows: unknown[][] }[] }).detections[0]!.rows;
    };
    const once = await rowsOf([root]);
    assert.equal(once.length, 1);
    assert.deepEqual(await rowsOf([root, root]), once);
  });
});

describe('a link beside its target', () => {
  it('is the same file: read once', { skip: process.platform === 'win32' }, async () => {
    const { symlinkSync } = await import('node:fs');
    const root = mkdtempSync(path.join(tmpdir(), 'audit-lens-link-'));
    try {
      const partition = path.join(root, 'workspaceId=7/date=2024-03-05');
      mkdirSync(partition, { recursive: true });
      writeFileSync(path.join(partition, 'auditlogs_1.json'), `${aLine()}\n${aLine()}\n`);
      symlinkSync(path.join(partition, 'auditlogs_1.json'), path.join(partition, 'auditlogs_2.json'));
      const run = await runCli(['query', 'SELECT count(*) AS n FROM audit_logs', '--source', root, '--format', 'json']);
      assert.equal(count(run), 2);
      assert.match(run.stderr, /^note: 1 file is listed more than once .*a link to a file already listed/m);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
