/**
 * The seed's three example queries through the CLI (`--format json`), checked against a plain
 * JavaScript oracle that answers them the way Spark does, over the real-shaped fixture tree and a
 * generated one. Rows are compared as multisets; column names exactly as Spark names them.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { exampleAnalyses } from '../../src/core/analyses/examples';
import { AUDIT_FIELDS, isProvenance } from '../../src/shared/auditRecord';
import { generateTree } from '../support/generate';
import { assertBuilt, queryJson } from '../support/cli';
import { logins, multiset, readTree, RECORD_COLUMNS, sparkVersions, tableAccess, type Row } from './spark';

const REAL_SHAPED = path.resolve(__dirname, '../fixtures/real-shaped/bucket');
const PROVENANCE: readonly string[] = AUDIT_FIELDS.filter(isProvenance).map((field) => field.name);

function seedSql(id: string): string {
  const analysis = exampleAnalyses.find((a) => a.id === id);
  assert.ok(analysis, `no example analysis ${id}`);
  return analysis.sql;
}

function checkAgainstOracle(name: string, root: () => string, expectations: { loginRows?: number; versionGroups?: number; tableRows?: number } = {}): void {
  describe(name, () => {
    let rows: Row[];
    before(() => {
      rows = readTree(root());
    });

    test('logins: DISTINCT email and address, case-sensitive LIKE, one row per NULL email and address', async () => {
      const result = await queryJson(seedSql('example.logins'), [root()]);
      assert.deepEqual(result.columns, ['email', 'sourceIPAddress']);
      const expected = logins(rows);
      if (expectations.loginRows !== undefined) assert.equal(expected.length, expectations.loginRows);
      assert.deepEqual(multiset(result.rows), multiset(expected));
      assert.equal(result.rowCount, expected.length);
    });

    test('Spark versions: one group per string value, NULL as its own group, count(1) named as Spark names it', async () => {
      const result = await queryJson(seedSql('example.spark-versions'), [root()]);
      assert.deepEqual(result.columns, ['spark_version', 'count(1)']);
      const expected = sparkVersions(rows);
      if (expectations.versionGroups !== undefined) assert.equal(expected.length, expectations.versionGroups);
      assert.deepEqual(multiset(result.rows), multiset(expected));
    });

    test('table access: SELECT * gives every matching record, its documented columns intact', async () => {
      const result = await queryJson(seedSql('example.table-access'), [root()]);
      assert.deepEqual(result.columns.filter((c) => !PROVENANCE.includes(c)), [...RECORD_COLUMNS]);
      const indexes = RECORD_COLUMNS.map((c) => result.columns.indexOf(c));
      const expected = tableAccess(rows);
      if (expectations.tableRows !== undefined) assert.equal(expected.length, expectations.tableRows);
      assert.deepEqual(multiset(result.rows.map((row) => indexes.map((i) => row[i]))), multiset(expected));
    });
  });
}

before(assertBuilt);

// The counts pin the fixture: they were worked out by hand from its records (see make.ts).
checkAgainstOracle('real-shaped fixture', () => REAL_SHAPED, { loginRows: 10, versionGroups: 7, tableRows: 3 });

let generated = '';
before(async () => {
  generated = await mkdtemp(path.join(tmpdir(), 'audit-lens-oracle-'));
  await generateTree(generated, { seed: 'oracle', workspaces: ['1234567890123456789', '31'], days: 3, startDate: '2024-02-28', recordsPerDay: 400 });
});
after(async () => {
  if (generated) await rm(generated, { recursive: true, force: true });
});
checkAgainstOracle('generated tree', () => generated);

test('the real-shaped fixture loads every object line and reports the one broken line', async () => {
  const result = await queryJson('SELECT count(*) AS n, count(DISTINCT workspaceId) AS w, count(DISTINCT date) AS d FROM audit_logs', [REAL_SHAPED]);
  assert.deepEqual(result.rows, [[readTree(REAL_SHAPED).length, 3, 2]]);
  assert.match(result.stderr, /warning: 1 problem while loading:\n {2}\S+auditlogs_5e6f7081\.json:18: invalid JSON/);
});

test('requestParams values that are not strings read as their JSON text, as the string column Spark gives them', async () => {
  const sql = `SELECT requestParams.cluster_name AS name, requestParams.spark_version AS v, requestParams.num_workers AS n
    FROM audit_logs WHERE requestParams.cluster_name LIKE "odd-%" ORDER BY 1`;
  const result = await queryJson(sql, [REAL_SHAPED]);
  assert.deepEqual(result.rows, [
    ['odd-boolean', 'true', null],
    ['odd-null', null, null],
    ['odd-number', '13', '2'],
    ['odd-object', '{"major":13,"minor":3}', null],
    ['odd-string', '13', null],
  ]);
  const compared = await queryJson('SELECT count(*) FROM audit_logs WHERE requestParams.spark_version = "13"', [REAL_SHAPED]);
  assert.deepEqual(compared.rows, [[2]]);
});
