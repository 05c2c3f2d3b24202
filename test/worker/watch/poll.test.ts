/**
 * The watch's poll through a real query session: each finding said once, nothing on an unchanged
 * poll, a full reload shows every finding without saying any again, a restarted watcher says
 * nothing twice, and a finding said before a failure stays said.
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { detections } from '../../../src/core/analyses';
import { AuditLensError } from '../../../src/core/errors';
import { WatchState } from '../../../src/core/watch';
import { watchIdentity, Watcher, type NewFinding, type WatchTarget } from '../../../src/worker/watch';
import { generateTree } from '../../support/generate/tree';
import { QUERY_WORKER_BUNDLE } from '../../support/workers';

const base = { seed: 'watch-poll', workspaces: 1, days: 1, background: false } as const;

describe('Watcher.poll (worker session)', { timeout: 180_000 }, () => {
  let root = '';
  let logs = '';
  let target: WatchTarget;
  const stateAt = (name: string) => new WatchState(path.join(root, name), watchIdentity(target));

  before(async () => {
    assert.ok(existsSync(QUERY_WORKER_BUNDLE), `${QUERY_WORKER_BUNDLE} is missing: run npm run build`);
    root = mkdtempSync(path.join(tmpdir(), 'audit-lens-watch-poll-'));
    logs = path.join(root, 'logs');
    await generateTree(logs, { ...base, startDate: '2024-03-01', plant: [{ detection: 'failed-logins', fires: true }] });
    target = { sources: [logs], filter: {}, detections: detections.filter((d) => ['failed-logins', 'admin-removals'].includes(d.id)), session: { workerPath: QUERY_WORKER_BUNDLE } };
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('says each finding once, then nothing while no file changes', async () => {
    const watcher = await Watcher.open(target, stateAt('once'));
    const said: NewFinding[] = [];
    const first = await watcher.poll({ onFinding: (f) => void said.push(f) });
    assert.ok(first.files > 0);
    assert.deepEqual([...new Set(first.findings.map((f) => f.detection.id))], ['failed-logins']);
    assert.deepEqual(said, first.findings, 'every finding is handed on as it is said');
    assert.equal(first.asOf, Date.parse('2024-03-02T00:00:00Z'), 'the end of the newest date polled');
    assert.deepEqual(first.filter?.from, '2024-03-01');
    const second = await watcher.poll();
    assert.deepEqual({ files: second.files, findings: second.findings.length, runs: second.runs.length }, { files: 0, findings: 0, runs: 0 });
  });

  it('a full reload runs over every newest file and says nothing already said, even after a restart', async () => {
    const first = await (await Watcher.open(target, stateAt('restart'))).poll();
    assert.ok(first.findings.length > 0);
    const restarted = await Watcher.open(target, stateAt('restart'));
    const reload = await restarted.poll({ everything: true });
    assert.equal(reload.files, 0, 'no file changed');
    assert.equal(reload.findings.length, 0, 'nothing said twice');
    const failed = reload.runs.find((r) => r.detection.id === 'failed-logins');
    assert.equal(failed?.result.rows.length, first.findings.length, 'the findings are there to show');
  });

  it('runs over a new day and says only its findings', async () => {
    const state = stateAt('new-day');
    const own = path.join(root, 'own');
    cpSync(logs, own, { recursive: true });
    const ownTarget = { ...target, sources: [own] };
    const watcher = await Watcher.open(ownTarget, state);
    await watcher.poll();
    const next = path.join(root, 'next');
    await generateTree(next, { ...base, startDate: '2024-03-02', plant: [{ detection: 'admin-removals', fires: true }] });
    cpSync(next, own, { recursive: true });
    const poll = await watcher.poll();
    assert.equal(poll.filter?.from, '2024-03-02', 'only the new partition is loaded');
    assert.deepEqual([...new Set(poll.findings.map((f) => f.detection.id))], ['admin-removals']);
  });

  it('a finding said before the poll failed stays said', async () => {
    const both = path.join(root, 'both');
    await generateTree(both, { ...base, startDate: '2024-03-01', plant: [{ detection: 'failed-logins', fires: true }, { detection: 'admin-removals', fires: true }] });
    const bothTarget = { ...target, sources: [both] };
    const total = (await (await Watcher.open(bothTarget, stateAt('count'))).poll()).findings;
    assert.ok(total.length >= 2, 'two findings at least');
    let said = 0;
    await assert.rejects(
      (await Watcher.open(bothTarget, stateAt('fail'))).poll({
        onFinding: () => {
          if (said++ === 1) throw new AuditLensError('data', 'the output is gone');
        },
      }),
      /the output is gone/,
    );
    const again = await (await Watcher.open(bothTarget, stateAt('fail'))).poll();
    assert.deepEqual(again.findings.map((f) => f.key), total.slice(1).map((f) => f.key), 'the one said before the failure is not said again; the one that failed is');
  });

  it('the editor and the CLI keep separate state for the same watch', () => {
    assert.notEqual(watchIdentity(target, 'editor:'), watchIdentity(target));
    assert.ok(watchIdentity(target, 'editor:').startsWith('editor:'));
  });
});
