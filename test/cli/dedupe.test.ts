/** `--dedupe`: an event delivered twice (two delivery configurations) is loaded once, and the run says how many were dropped. */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { assertBuilt, runCli } from '../support/cli';
import { generateTree } from '../support/generate';

describe('--dedupe', () => {
  let root = '';
  let tree = '';
  before(async () => {
    assertBuilt();
    root = mkdtempSync(path.join(tmpdir(), 'audit-lens-dedupe-'));
    tree = path.join(root, 'logs');
    await generateTree(tree, { seed: 'dedupe', workspaces: 1, days: 1, startDate: '2024-03-01', background: true, plant: [{ detection: 'failed-logins', fires: true }] });
    // A second delivery configuration writes the same events under its own file names.
    for (const workspace of readdirSync(tree).filter((n) => n.startsWith('workspaceId='))) {
      const partition = path.join(tree, workspace, 'date=2024-03-01');
      for (const name of readdirSync(partition)) cpSync(path.join(partition, name), path.join(partition, name.replace('auditlogs_', 'auditlogs_copy-')));
    }
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  const count = async (extra: string[]) => {
    const run = await runCli(['query', 'SELECT count(*) AS n, count(DISTINCT requestId) AS ids FROM audit_logs', '--source', tree, '--format', 'json', ...extra]);
    assert.equal(run.code, 0, run.stderr);
    return { row: (JSON.parse(run.stdout) as { rows: number[][] }).rows[0]!, stderr: run.stderr };
  };

  it('loads each event once and says how many copies it dropped', async () => {
    const doubled = await count([]);
    const once = await count(['--dedupe']);
    const [n, ids] = once.row as [number, number];
    assert.deepEqual(doubled.row, [2 * n, ids], 'without --dedupe every event is there twice');
    assert.match(once.stderr, new RegExp(`^note: --dedupe dropped ${n} duplicate events \\(same requestId, timestamp, serviceName and actionName\\)$`, 'm'));
  });

  it('keeps a doubled delivery from doubling a finding', async () => {
    const failures = async (extra: string[]) => {
      const run = await runCli(['detect', '--only', 'failed-logins', '--format', 'json', '--fail-on', 'none', '--source', tree, ...extra]);
      assert.equal(run.code, 0, run.stderr);
      const d = (JSON.parse(run.stdout) as { detections: { columns: string[]; rows: unknown[][] }[] }).detections[0]!;
      return d.rows.map((r) => r[d.columns.indexOf('failures')]);
    };
    const doubled = await failures([]);
    const once = await failures(['--dedupe']);
    assert.equal(once.length, 1);
    assert.equal(Number(doubled[0]), 2 * Number(once[0]));
  });
});
