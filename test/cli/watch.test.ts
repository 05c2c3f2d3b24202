/**
 * `audit-lens watch` as cron or a terminal runs it: each finding written once, new files alone
 * bring new findings, a restart (even after SIGKILL) writes nothing twice, and a failing GCS
 * listing backs off and recovers.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseInterval } from '../../src/cli/commands/watch';
import { startGcsServer } from '../gcs-server';
import { assertBuilt, runCli, type CliRun } from '../support/cli';
import { generateTree } from '../support/generate';
import type { ChildProcess } from 'node:child_process';

interface Alert {
  detection: string;
  severity: string;
  asOf: string;
  row: Record<string, unknown>;
}

const alerts = (run: CliRun): Alert[] =>
  run.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Alert);

const base = { seed: 'watch', workspaces: 1, days: 1, background: false } as const;

describe('audit-lens watch', () => {
  let root = '';
  let logs = '';
  let cache = '';
  before(async () => {
    assertBuilt();
    root = mkdtempSync(path.join(tmpdir(), 'audit-lens-watch-'));
    logs = path.join(root, 'logs');
    cache = path.join(root, 'cache');
    await generateTree(logs, { ...base, startDate: '2024-03-01', plant: [{ detection: 'failed-logins', fires: true }] });
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  const watch = (args: string[], options: { onSpawn?: (c: ChildProcess) => void } = {}) =>
    runCli(['watch', '--source', logs, '--only', 'failed-logins,admin-removals', ...args], { env: { AUDIT_LENS_SCAN_CACHE: cache }, ...options });

  it('writes each finding once, as a JSON line, and nothing on the next poll', async () => {
    const out = path.join(root, 'alerts.jsonl');
    const first = await watch(['--once', '--out', out]);
    assert.equal(first.code, 0, first.stderr);
    const written = alerts(first);
    assert.deepEqual(written.map((a) => [a.detection, a.severity]), [['failed-logins', 'high']]);
    assert.equal(written[0]!.asOf, '2024-03-02T00:00:00.000Z', 'the end of the newest date polled');
    assert.equal(readFileSync(out, 'utf8'), first.stdout);
    assert.equal(statSync(out).mode & 0o777, 0o600);
    const second = await watch(['--once']);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(second.stdout, '');
    assert.match(second.stderr, /0 new or rewritten files, 0 new findings/);
  });

  it('runs over a new day and writes only its findings', async () => {
    const next = path.join(root, 'next');
    await generateTree(next, { ...base, startDate: '2024-03-02', plant: [{ detection: 'admin-removals', fires: true }] });
    cpSync(next, logs, { recursive: true });
    const run = await watch(['--once']);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(alerts(run).map((a) => a.detection), ['admin-removals']);
  });

  it('a watch killed mid-run and started again writes nothing twice', async () => {
    const fresh = path.join(root, 'fresh-cache');
    let child: ChildProcess | undefined;
    const running = runCli(['watch', '--source', logs, '--only', 'failed-logins,admin-removals', '--interval', '1s'], { env: { AUDIT_LENS_SCAN_CACHE: fresh }, onSpawn: (c) => (child = c) });
    // Killed without a word once its first poll is done.
    for (let i = 0; i < 200 && !(child?.stderr && true); i++) await new Promise((r) => setTimeout(r, 50));
    let seen = '';
    child!.stderr!.on('data', (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      if (/new findings/.test(seen)) child!.kill('SIGKILL');
    });
    const killed = await running;
    assert.equal(killed.signal, 'SIGKILL');
    assert.deepEqual(alerts(killed).map((a) => a.detection).sort(), ['admin-removals', 'failed-logins']);
    const again = await runCli(['watch', '--source', logs, '--only', 'failed-logins,admin-removals', '--once'], { env: { AUDIT_LENS_SCAN_CACHE: fresh } });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout, '', 'nothing it already wrote');
  });

  it('refuses an interval it cannot use', async () => {
    assert.equal(parseInterval('90s', ''), 90_000);
    assert.equal(parseInterval(undefined, ''), 300_000);
    assert.throws(() => parseInterval('0s', ''), /at least 1s/);
    const run = await watch(['--interval', 'often']);
    assert.equal(run.code, 2);
  });
});

describe('audit-lens watch over a faulty GCS server', () => {
  it('backs off when listing fails, then writes the finding once it recovers', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'audit-lens-watch-gcs-'));
    const server = await startGcsServer();
    try {
      const tree = path.join(root, 'tree');
      await generateTree(tree, { ...base, startDate: '2024-03-01', plant: [{ detection: 'failed-logins', fires: true }] });
      server.createBucket('watched');
      const { readdirSync } = await import('node:fs');
      for (const entry of readdirSync(tree, { recursive: true, withFileTypes: true })) {
        if (!entry.isFile()) continue;
        const full = path.join(entry.parentPath, entry.name);
        server.put('watched', `logs/${path.relative(tree, full)}`, readFileSync(full));
      }
      server.failNext({ kind: 'list', status: 503, times: 4 });
      let child: ChildProcess | undefined;
      const running = runCli(['watch', '--source', 'gs://watched/logs', '--gcs-endpoint', server.endpoint, '--only', 'failed-logins', '--interval', '1s'], {
        env: { AUDIT_LENS_SCAN_CACHE: path.join(root, 'cache') },
        onSpawn: (c) => {
          child = c;
          c.stdout!.on('data', () => c.kill('SIGTERM'));
        },
      });
      const timer = setTimeout(() => child?.kill('SIGKILL'), 60_000);
      const run = await running;
      clearTimeout(timer);
      assert.match(run.stderr, /watch: the poll failed: .*trying again in \d+s/);
      assert.deepEqual(alerts(run).map((a) => a.detection), ['failed-logins']);
    } finally {
      await server.stop();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
