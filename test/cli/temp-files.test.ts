/**
 * Temporary data of a query (the snapshot holds every loaded record) lives in a private folder
 * and is gone however the process ends: a signal while a query runs, or SIGKILL followed by the
 * next run.
 */
import assert from 'node:assert/strict';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { aRecord, writeDeliveryTree, type DeliveryTree } from '../support/deliveryTree';
import { assertBuilt, runCli } from '../support/cli';

/** Runs long enough to be killed in the middle (the test never waits for it to finish). */
const RUNAWAY = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c';

function entries(folder: string): string[] {
  return readdirSync(folder, { recursive: true }).map(String).sort();
}

async function until<T>(probe: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const found = probe();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe('temporary files of the CLI', () => {
  let tree: DeliveryTree;
  let temp: string;

  before(() => {
    assertBuilt();
    tree = writeDeliveryTree([{ workspaceId: '1', date: '2024-01-15', lines: Array.from({ length: 2000 }, () => aRecord()) }]);
  });
  after(() => tree.remove());

  /** Starts a runaway query with its own temp folder; resolves once its session folder is on disk (a load takes no snapshot). */
  async function startQuery(): Promise<{ child: ChildProcess; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>; snapshot: string }> {
    temp = mkdtempSync(path.join(tmpdir(), 'audit-lens-tempfiles-test-'));
    let child: ChildProcess | undefined;
    const exited = runCli(['query', RUNAWAY, '--source', tree.root], { env: { TMPDIR: temp }, onSpawn: (c) => (child = c) });
    const snapshot = await until(() => entries(temp).find((e) => /audit-lens-session-/.test(e)), 'the session folder');
    return { child: child!, exited, snapshot: path.join(temp, snapshot) };
  }

  it('keeps the session (and any snapshot) in a folder only its user may enter', async () => {
    const { child, exited, snapshot } = await startQuery();
    try {
      const processFolder = path.join(temp, path.relative(temp, snapshot).split(path.sep)[0]!);
      assert.match(path.basename(processFolder), /^audit-lens-\d+-/);
      assert.equal(statSync(processFolder).mode & 0o777, 0o700);
    } finally {
      child.kill('SIGTERM');
      await exited;
      rmSync(temp, { recursive: true, force: true });
    }
  });

  for (const signal of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) {
    it(`${signal} during a query leaves no temporary data behind`, async () => {
      const { child, exited } = await startQuery();
      child.kill(signal);
      if (signal === 'SIGINT') setTimeout(() => child.kill(signal), 500).unref(); // a second Ctrl+C exits at once
      const run = await exited;
      assert.ok(run.code !== 0, `exit ${run.code} ${run.signal}`);
      assert.deepEqual(entries(temp), []);
      rmSync(temp, { recursive: true, force: true });
    });
  }

  it('the folder of a killed process is removed by the next run', async () => {
    const { child, exited } = await startQuery();
    child.kill('SIGKILL');
    await exited;
    assert.notDeepEqual(entries(temp), [], 'SIGKILL leaves the folder (nothing can run)');
    const next = await runCli(['query', 'SELECT count(*) FROM audit_logs', '--source', tree.root, '--format', 'json'], { env: { TMPDIR: temp } });
    assert.equal(next.code, 0, next.stderr);
    assert.deepEqual(entries(temp), []);
    rmSync(temp, { recursive: true, force: true });
  });
});

describe('stale temporary data of a killed run', () => {
  for (const command of [['ls'], ['validate'], ['catalog'], ['query', 'SELECT 1']]) {
    it(`is removed when ${command[0]} starts, whatever it does`, async () => {
      const temp = mkdtempSync(path.join(tmpdir(), 'audit-lens-stale-cli-'));
      try {
        const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
        const stale = path.join(temp, `audit-lens-${dead}-Ab12Cd`);
        mkdirSync(path.join(stale, 'audit-lens-session-x'), { recursive: true });
        writeFileSync(path.join(stale, 'audit-lens-session-x', 'snapshot.sqlite.partial'), 'log records');
        const args = command[0] === 'catalog' ? ['catalog'] : command[0] === 'validate' ? ['validate', path.join(temp, 'nothing-here')] : [...command, '--source', path.join(temp, 'nothing-here')];
        await runCli(args, { env: { TMPDIR: temp } });
        assert.equal(existsSync(stale), false, `${command[0]} left ${stale}`);
      } finally {
        rmSync(temp, { recursive: true, force: true });
      }
    });
  }
});
