/**
 * The seed's three example queries, verbatim, over a generated tree — each checked against the
 * answer computed here from the generated records in plain JavaScript, with Spark's semantics:
 * case-sensitive LIKE, DISTINCT keeps a NULL email, GROUP BY keeps the NULL group.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { analyses, exampleAnalyses, findAnalysis } from '../../../src/core/analyses';
import { generateRecords, generateTree, type AuditRecord, type GenerateOptions } from '../../support/generate';
import { QuerySession } from '../../../src/worker/query/client';
import { QUERY_WORKER_BUNDLE } from '../../support/workers';

const workerPath = QUERY_WORKER_BUNDLE;
const options: GenerateOptions = { seed: 'analyses-test', workspaces: ['1234567890123456789', '2234567890123456'], days: 3, recordsPerDay: 700 };

let folder: string;
let session: QuerySession;
let records: { workspaceId: string; date: string; record: AuditRecord }[];

before(async () => {
  assert.ok(existsSync(workerPath), `${workerPath} is missing: run npm run build`);
  folder = await mkdtemp(path.join(tmpdir(), 'audit-lens-analyses-'));
  await generateTree(folder, options);
  records = [...generateRecords(options)];
  session = await QuerySession.open({ workerPath });
  const summary = await session.load({ sources: [folder] });
  assert.equal(summary.recordsLoaded, records.length);
  assert.equal(summary.problemCount, 0);
});

after(async () => {
  await session?.dispose();
  if (folder) await rm(folder, { recursive: true, force: true });
});

function sqlOf(id: string): string {
  const analysis = findAnalysis(id);
  assert.ok(analysis, id);
  return analysis.sql;
}

test('the library holds exactly the seed\'s three example analyses, as Databricks wrote them', () => {
  assert.deepEqual(exampleAnalyses.map((a) => a.id), ['example.logins', 'example.spark-versions', 'example.table-access']);
  assert.ok(exampleAnalyses.every((a) => a.category === 'example' && a.title && a.question));
  assert.ok(analyses.length >= 3);
  assert.equal(
    sqlOf('example.logins'),
    'SELECT DISTINCT userIdentity.email, sourceIPAddress\nFROM audit_logs\nWHERE serviceName = "accounts" AND actionName LIKE "%login%"',
  );
  assert.equal(
    sqlOf('example.spark-versions'),
    'SELECT requestParams.spark_version, COUNT(*)\nFROM audit_logs\nWHERE serviceName = "clusters" AND actionName = "create"\nGROUP BY requestParams.spark_version',
  );
  assert.equal(sqlOf('example.table-access'), 'SELECT *\nFROM audit_logs\nWHERE serviceName = "sqlPermissions" AND actionName = "requestPermissions"');
});

test('logins: distinct (email, IP) pairs of accounts actions whose name contains lower-case "login"', async () => {
  const expected = new Set<string>();
  let excludedByCase = 0;
  for (const { record } of records) {
    if (record.serviceName !== 'accounts') continue;
    if (record.actionName.includes('login')) expected.add(JSON.stringify([record.userIdentity.email, record.sourceIPAddress]));
    else if (record.actionName.toLowerCase().includes('login')) excludedByCase++;
  }
  assert.ok(excludedByCase > 0, 'the data must hold tokenLogin/samlLogin/jwtLogin for case-sensitive LIKE to matter');
  assert.ok([...expected].some((k) => k.startsWith('[null,')), 'failed logins give a NULL email');

  const result = await session.query(sqlOf('example.logins'), { maxRows: 100_000 });
  assert.deepEqual(result.columns, ['email', 'sourceIPAddress']);
  const actual = result.rows.map((row) => JSON.stringify([row[0], row[1]]));
  assert.equal(actual.length, new Set(actual).size, 'rows are distinct');
  assert.deepEqual(new Set(actual), expected);
  assert.equal(result.rowCount, expected.size);
});

test('Spark versions: cluster creations counted per spark_version, including the NULL group', async () => {
  const expected = new Map<string | null, number>();
  for (const { record } of records) {
    if (record.serviceName !== 'clusters' || record.actionName !== 'create') continue;
    const version = record.requestParams.spark_version ?? null;
    expected.set(version, (expected.get(version) ?? 0) + 1);
  }
  assert.ok(expected.has(null), 'some creations carry no spark_version');

  const result = await session.query(sqlOf('example.spark-versions'));
  assert.equal(result.columns.length, 2);
  assert.equal(result.columns[0], 'spark_version');
  const actual = new Map(result.rows.map((row) => [row[0] as string | null, Number(row[1])]));
  assert.deepEqual(actual, expected);
});

test('table access: every sqlPermissions requestPermissions record, with its delivered fields', async () => {
  const expected = records.filter(({ record }) => record.serviceName === 'sqlPermissions' && record.actionName === 'requestPermissions');
  assert.ok(expected.length > 10);

  const result = await session.query(sqlOf('example.table-access'), { maxRows: 100_000 });
  assert.equal(result.rowCount, expected.length);
  const col = (name: string): number => {
    const i = result.columns.indexOf(name);
    assert.ok(i >= 0, `column ${name}`);
    return i;
  };
  const [rid, ts, ws, day, params, user] = ['requestId', 'timestamp', 'workspaceId', 'date', 'requestParams', 'userIdentity'].map(col) as number[];
  const key = (requestId: unknown, timestamp: unknown): string => `${requestId}@${timestamp}`;
  const byKey = new Map(result.rows.map((row) => [key(row[rid!], row[ts!]), row]));
  assert.equal(byKey.size, expected.length);
  for (const { workspaceId, date, record } of expected) {
    const row = byKey.get(key(record.requestId, record.timestamp));
    assert.ok(row, `row for ${record.requestId}`);
    assert.equal(row[ws!], workspaceId, 'workspaceId comes from the folder and stays an exact string');
    assert.equal(row[day!], date);
    assert.deepEqual(JSON.parse(String(row[params!])), record.requestParams);
    assert.deepEqual(JSON.parse(String(row[user!])), record.userIdentity);
  }
});
