import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { exampleAnalyses } from '../../src/core/analyses';
import { DATES, startWarehouse, WAREHOUSE_BUCKET, WAREHOUSE_ID, WAREHOUSE_TOKEN, type WarehouseFixture } from '../databricks-server';
import { assertBuilt, queryJson, runCli, STACK_FRAME } from '../support/cli';

describe('audit-lens query --engine databricks', () => {
  let fixture: WarehouseFixture;
  let home: string;
  let env: Record<string, string | undefined>;
  before(async () => {
    assertBuilt();
    fixture = await startWarehouse({ pendingPolls: 1, runningPolls: 1 });
    home = mkdtempSync(path.join(tmpdir(), 'audit-lens-home-'));
    writeFileSync(path.join(home, 'databrickscfg'), `[test]\nhost = ${fixture.server.endpoint}\ntoken = ${WAREHOUSE_TOKEN}\n`);
    env = { DATABRICKS_CONFIG_FILE: path.join(home, 'databrickscfg'), DATABRICKS_HOST: undefined, DATABRICKS_TOKEN: undefined, DATABRICKS_CONFIG_PROFILE: undefined };
  });
  after(async () => {
    await fixture.server.stop();
    rmSync(fixture.folder, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  });

  const warehouseArgs = (): string[] => ['--engine', 'databricks', '--source', WAREHOUSE_BUCKET, '--warehouse', WAREHOUSE_ID, '--format', 'json'];

  it("answers the seed's questions with the local engine's rows (profile auth)", async () => {
    for (const analysis of exampleAnalyses) {
      const run = await runCli(['query', analysis.sql, ...warehouseArgs(), '--profile', 'test'], { env });
      assert.equal(run.code, 0, run.stderr);
      const remote = JSON.parse(run.stdout) as { columns: string[]; rows: unknown[][]; rowCount: number };
      const local = await queryJson(analysis.sql, [fixture.folder], ['--no-pushdown']);
      assert.deepEqual(remote.columns.filter((c) => !c.startsWith('_')), local.columns.filter((c) => !c.startsWith('_')), analysis.id);
      const key = (rows: unknown[][], columns: string[]): string[] => rows.map((r) => JSON.stringify(r.filter((_, i) => !columns[i]!.startsWith('_')))).sort();
      assert.deepEqual(key(remote.rows, remote.columns), key(local.rows, local.columns), analysis.id);
      assert.ok(remote.rowCount >= 2);
    }
  });

  it('answers --as-of at the same instant as the local engine, and names it', async () => {
    const sql = 'SELECT requestId, current_date() AS today FROM audit_logs WHERE timestamp_millis(timestamp) >= current_timestamp() - INTERVAL 24 HOURS AND timestamp < unix_timestamp() * 1000';
    const at = `${DATES[1]}T12:00:00Z`;
    const run = await runCli(['query', sql, ...warehouseArgs(), '--profile', 'test', '--as-of', at], { env });
    assert.equal(run.code, 0, run.stderr);
    const remote = JSON.parse(run.stdout) as { rows: unknown[][]; asOf: string };
    const local = await queryJson(sql, [fixture.folder], ['--as-of', at]);
    assert.ok(local.rows.length > 0);
    assert.deepEqual(remote.rows.map((r) => JSON.stringify(r)).sort(), local.rows.map((r) => JSON.stringify(r)).sort());
    assert.equal(remote.asOf, new Date(at).toISOString());
    const end = await runCli(['query', sql, ...warehouseArgs(), '--profile', 'test', '--as-of', 'scope-end', '--to', DATES[1]], { env });
    assert.equal(end.code, 0, end.stderr);
    assert.equal((JSON.parse(end.stdout) as { asOf: string }).asOf, new Date(Date.parse(`${DATES[1]}T00:00:00Z`) + 86_400_000).toISOString());
    const unknownEnd = await runCli(['query', sql, ...warehouseArgs(), '--profile', 'test', '--as-of', 'scope-end'], { env });
    assert.equal(unknownEnd.code, 2, 'the warehouse reads no files here: the end of scope needs --to');
    assert.match(unknownEnd.stderr, /needs a last date: give --to/);
  });

  it('takes DATABRICKS_HOST and DATABRICKS_TOKEN, and --from/--to/--workspace as parameters', async () => {
    const run = await runCli(['query', 'SELECT date, COUNT(*) AS n FROM audit_logs GROUP BY date ORDER BY date', ...warehouseArgs(), '--from', DATES[1], '--to', DATES[2], '--workspace', '7777777777777777', '--format', 'csv'], {
      env: { ...env, DATABRICKS_HOST: fixture.server.endpoint, DATABRICKS_TOKEN: WAREHOUSE_TOKEN },
    });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, `date,n\n${DATES[1]},5\n${DATES[2]},5\n`);
  });

  it('exits 1 with the warehouse message for a FAILED statement', async () => {
    const run = await runCli(['query', 'SELECT FROM WHERE audit_logs', ...warehouseArgs(), '--host', fixture.server.endpoint], { env: { ...env, DATABRICKS_TOKEN: WAREHOUSE_TOKEN } });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^audit-lens: The statement failed on the warehouse: \[PARSE_SYNTAX_ERROR\]/);
    assert.doesNotMatch(run.stderr, STACK_FRAME);
  });

  it('explains auth errors and never prints the token', async () => {
    const wrong = await runCli(['query', 'SELECT 1 FROM audit_logs', ...warehouseArgs(), '--host', fixture.server.endpoint], { env: { ...env, DATABRICKS_TOKEN: 'dapi-wrong-secret' } });
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /did not accept the token \(HTTP 401\)/);
    assert.doesNotMatch(wrong.stderr + wrong.stdout, /dapi-wrong-secret/);
    const noToken = await runCli(['query', 'SELECT 1 FROM audit_logs', ...warehouseArgs(), '--host', fixture.server.endpoint], { env });
    assert.equal(noToken.code, 1);
    assert.match(noToken.stderr, /No Databricks token/);
    const badWarehouse = await runCli(['query', 'SELECT 1 FROM audit_logs', '--engine', 'databricks', '--source', WAREHOUSE_BUCKET, '--warehouse', 'missing', '--profile', 'test'], { env });
    assert.equal(badWarehouse.code, 1);
    assert.match(badWarehouse.stderr, /HTTP 404/);
  });

  it('refuses warehouse options without --engine databricks, and a missing --warehouse', async () => {
    const stray = await runCli(['query', 'SELECT 1', '--source', fixture.folder, '--warehouse', 'x']);
    assert.equal(stray.code, 2);
    assert.match(stray.stderr, /--warehouse needs --engine databricks/);
    const missing = await runCli(['query', 'SELECT 1', '--engine', 'databricks', '--source', WAREHOUSE_BUCKET], { env });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /needs --warehouse/);
  });

  it('cancels the statement on the warehouse when interrupted', async () => {
    const never = await startWarehouse({ executor: () => ({ never: true }) });
    try {
      const run = await runCli(['query', 'SELECT * FROM audit_logs', '--engine', 'databricks', '--source', WAREHOUSE_BUCKET, '--warehouse', WAREHOUSE_ID, '--host', never.server.endpoint], {
        env: { ...env, DATABRICKS_TOKEN: WAREHOUSE_TOKEN },
        onSpawn: (child) => {
          const poll = setInterval(() => {
            if (never.server.count((r) => r.method === 'GET') >= 2) {
              clearInterval(poll);
              child.kill('SIGINT');
            }
          }, 20);
        },
      });
      assert.equal(run.code, 130, run.stderr);
      assert.equal(never.server.count((r) => r.path.endsWith('/cancel')), 1);
    } finally {
      await never.server.stop();
    }
  });
});
