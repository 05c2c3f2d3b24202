/**
 * Hot columns: the table keeps `userIdentity.email` and `response.statusCode` as columns, which a
 * statement over `audit_logs` alone reads instead of the JSON. They must hold exactly what the
 * JSON read gives, for every shape a line can have, however the row got there.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LineItem } from '../../../src/core/jsonl';
import { LocalFolderSource } from '../../../src/core/sources';
import { AuditDatabase } from '../../../src/core/sql/database';
import { HOT_COLUMNS } from '../../../src/core/sql/dialect/hot-columns';
import { AUDIT_COLUMNS } from '../../../src/shared/auditRecord';
import { jsonRead } from '../../../src/core/sql/dialect/json-access';
import { translateSparkSql } from '../../../src/core/sql/dialect';
import type { FileLines, LineReader } from '../../../src/core/sql/line-feed';
import { insertLoad, type LoadListing } from '../../../src/core/sql/loader';
import { exportQuery } from '../../../src/core/sql/export';
import { derivePushdown } from '../../../src/core/sql/pushdown';

const BIG = '123456789012345678901234567890';

/** Every shape the three hot paths can take in a line, and lines around them. */
const RECORDS: string[] = [
  { userIdentity: { email: 'a@example.com' }, response: { statusCode: 200 }, requestParams: { user: 'a@example.com' } },
  { userIdentity: { email: { nested: true } }, response: { statusCode: '403' }, requestParams: { user: 13 } },
  { userIdentity: { email: ['x', 1] }, response: { statusCode: 2.5 }, requestParams: { user: { id: 1 } } },
  { userIdentity: { email: null }, response: { statusCode: null }, requestParams: { user: null } },
  { userIdentity: null, response: null, requestParams: null },
  { userIdentity: 'a string', response: [1, 2], requestParams: 'text' },
  { serviceName: 'nothing else' },
  { userIdentity: { email: true }, response: { statusCode: false }, requestParams: { user: true } },
  { userIdentity: { Email: 'case differs' }, response: { statuscode: 500 }, requestParams: { User: 'x' } },
  { userIdentity: { email: '{not an object}' }, response: { statusCode: -7 }, requestParams: { user: '[not an array]' } },
  { userIdentity: { email: '[x]' }, response: { statusCode: 1e300 }, requestParams: { user: '' } },
  { userIdentity: { email: 2.5 }, response: { statusCode: '200' } },
  { userIdentity: { email: -7 } },
  { userIdentity: { email: 'quo"te\\back\nline\u0001 ünï' } },
  { userIdentity: { email: '' } },
].map((record) => JSON.stringify({ serviceName: 'accounts', actionName: 'login', ...record }));
// Numbers past 64 bits and a repeated key are kept in the text as written.
RECORDS.push(`{"serviceName":"accounts","userIdentity":{"email":${BIG}},"response":{"statusCode":${BIG}},"requestParams":{"user":${BIG}}}`);
RECORDS.push('{"serviceName":"accounts","userIdentity":{"email":"first","email":"second"},"requestParams":{"user":"one","user":"two"}}');
// Nested deeper than SQLite's JSON parser goes: JavaScript reads this line (the other INSERT).
RECORDS.push(`{"serviceName":"accounts","userIdentity":{"email":"deep@example.com"},"response":{"statusCode":401},"requestParams":{"user":"deep","tree":${'['.repeat(1100)}${']'.repeat(1100)}}}`);

const source = new LocalFolderSource('/logs');
const file = { sourceUri: '/logs', uri: '/logs/workspaceId=1/date=2024-01-01/a.json', relativePath: 'a.json', workspaceId: '1', date: '2024-01-01', size: 1000, version: '1' };
const listing: LoadListing = { files: [{ source, file }], overlapping: 0, listingNotes: [], totalBytes: 1000, cached: { indexes: new Map() } };

function feedOf(lines: readonly string[]): LineReader {
  return async function* () {
    const items: LineItem[] = lines.map((text, i) => ({ kind: 'line', line: i + 1, offset: i * 100, text }));
    async function* batches(): AsyncGenerator<LineItem[]> {
      yield items;
    }
    const fileLines: FileLines = { position: 0, byIndex: false, batches: batches(), passedOver: () => 0 };
    yield fileLines;
  };
}

async function loaded(columns?: string[], hotColumns?: string[]): Promise<AuditDatabase> {
  const database = await AuditDatabase.open();
  await insertLoad(database, { sources: ['/logs'], ...(columns ? { columns } : {}), ...(hotColumns ? { hotColumns } : {}) }, { maxRows: 100 }, listing, { readLines: feedOf(RECORDS) });
  return database;
}

/** Rows whose hot column differs from its JSON read (NULL and NULL agree; the type counts). */
function disagreements(database: AuditDatabase): unknown[][] {
  const checks = HOT_COLUMNS.map((hot) => `SELECT '${hot.name}', rowid, ${hot.name}, typeof(${hot.name}) FROM audit_logs WHERE ${hot.name} IS NOT ${jsonRead('value', hot.column, hot.path)} OR typeof(${hot.name}) IS NOT typeof(${jsonRead('value', hot.column, hot.path)})`);
  return database.handle.exec(checks.join(' UNION ALL ')).flatMap((result) => result.values);
}

const SPARK_QUERIES = [
  'SELECT userIdentity.email, response.statusCode, requestParams.user FROM audit_logs',
  'SELECT count(*) FROM audit_logs WHERE response.statusCode = 200 OR userIdentity.email = "first" OR requestParams.user = "13"',
  'SELECT COALESCE(userIdentity.email, requestParams.user) AS who, count(*) AS n FROM audit_logs GROUP BY 1 ORDER BY 1',
  'SELECT a.userIdentity.email FROM audit_logs a WHERE a.response.statusCode IS NULL ORDER BY 1',
];

describe('hot columns', () => {
  it('hold what the JSON read gives for every shape of line, by either insert', async (t) => {
    const database = await loaded();
    t.after(() => database.close());
    assert.equal(database.rowCount, RECORDS.length);
    assert.deepEqual(disagreements(database), []);
    // Its requestParams is nested too deep to keep (NULL); the hot columns come from the rest.
    const deep = database.handle.exec("SELECT _hot_user_email, _hot_status_code, requestParams FROM audit_logs WHERE _hot_user_email = 'deep@example.com'");
    assert.deepEqual(deep[0]?.values, [['deep@example.com', 401, null]]);
  });

  it('answer as the JSON does: the same Spark query over audit_logs and over a copy that has only the JSON', async (t) => {
    const database = await loaded();
    t.after(() => database.close());
    database.query('CREATE TABLE mine AS SELECT version, timestamp, userIdentity, serviceName, actionName, requestParams, response FROM audit_logs');
    for (const sql of SPARK_QUERIES) {
      assert.match(translateSparkSql(sql).sql, /_hot_/, sql);
      const overCopy = sql.replace(/FROM audit_logs/, 'FROM mine');
      assert.doesNotMatch(translateSparkSql(overCopy).sql, /_hot_/, overCopy);
      assert.deepEqual(database.query(sql).rows, database.query(overCopy).rows, sql);
    }
  });

  it('stay right when a statement inserts rows or changes the JSON they read', async (t) => {
    const database = await loaded();
    t.after(() => database.close());
    database.query(`UPDATE audit_logs SET userIdentity = '{"email":"changed@example.com"}', response = '{"statusCode":418}' WHERE rowid = 1`);
    database.query(`UPDATE audit_logs SET requestParams = '{"user":7}' WHERE rowid = 2`);
    database.query(`INSERT INTO audit_logs (serviceName, userIdentity, requestParams) VALUES ('mine', '{"email":"new@example.com"}', '{"user":"new"}')`);
    database.query('INSERT INTO audit_logs SELECT * FROM audit_logs WHERE rowid <= 3');
    assert.deepEqual(disagreements(database), []);
    assert.deepEqual(database.query('SELECT userIdentity.email, response.statusCode FROM audit_logs WHERE rowid = 1').rows, [['changed@example.com', 418]]);
    assert.deepEqual(database.query("SELECT requestParams.user FROM audit_logs WHERE serviceName = 'mine'").rows, [['new']]);
  });

  it('are NULL when the load leaves their JSON column out', async (t) => {
    const database = await loaded(['serviceName', 'response']);
    t.after(() => database.close());
    assert.deepEqual(disagreements(database), []);
    assert.equal(database.query('SELECT count(*) FROM audit_logs WHERE userIdentity.email IS NOT NULL').rows[0]![0], 0);
    assert.equal(database.query('SELECT count(*) FROM audit_logs WHERE response.statusCode = 200').rows[0]![0], 1);
  });

  it('are filled, for a load for known queries, only where those queries read them', async (t) => {
    assert.deepEqual(derivePushdown(['SELECT * FROM audit_logs WHERE serviceName = "accounts"']).hotColumns, []);
    assert.deepEqual(derivePushdown(SPARK_QUERIES).hotColumns, ['_hot_user_email', '_hot_status_code']);
    const pushdown = derivePushdown(['SELECT count(*) FROM audit_logs WHERE response.statusCode = 200']);
    assert.deepEqual(pushdown.hotColumns, ['_hot_status_code']);
    const database = await loaded(undefined, pushdown.hotColumns);
    t.after(() => database.close());
    assert.deepEqual(database.query('SELECT count(*) FROM audit_logs WHERE response.statusCode = 200').rows, [[1]]);
    assert.deepEqual(database.handle.exec('SELECT count(_hot_user_email) FROM audit_logs')[0]?.values, [[0]]);
  });

  it('are not shown by SELECT *, in results or exports', async (t) => {
    const database = await loaded();
    t.after(() => database.close());
    const all = database.query('SELECT * FROM audit_logs LIMIT 1');
    assert.ok(!all.columns.some((name) => name.startsWith('_hot_')), all.columns.join(', '));
    assert.equal(all.rows[0]!.length, all.columns.length);
    assert.deepEqual(all.columns, [...AUDIT_COLUMNS]);
    // Over audit_logs alone the star lists the columns (SQLite never reads the hot ones); through a subquery the result leaves them out.
    assert.doesNotMatch(translateSparkSql('SELECT * FROM audit_logs').sql, /\*/);
    assert.match(translateSparkSql('SELECT a.*, 1 FROM audit_logs a').sql, /^SELECT a\.version, a\.timestamp, .*, a\._offset, 1 FROM/);
    assert.match(translateSparkSql('INSERT INTO audit_logs SELECT * FROM audit_logs').sql, /SELECT \* FROM/, 'a statement that stores rows keeps every column');
    const copied = database.query('SELECT t.*, 1 AS one FROM (SELECT * FROM audit_logs) t LIMIT 1');
    assert.deepEqual(copied.columns, [...all.columns, 'one']);
    const through = database.query('SELECT * FROM (SELECT * FROM audit_logs) LIMIT 1');
    assert.deepEqual(through.columns, all.columns);
    let csv = '';
    await exportQuery(database, 'SELECT * FROM audit_logs', 'csv', async (chunk) => {
      csv += chunk;
    });
    assert.equal(csv.split(/\r?\n/)[0], all.columns.join(','));
  });

  it('read the JSON wherever the statement reads more than audit_logs', () => {
    const jsonRead = [
      'SELECT userIdentity.email FROM audit_logs JOIN mine USING (requestId)',
      'SELECT userIdentity.email FROM audit_logs, mine',
      'SELECT a.userIdentity.email FROM audit_logs a, audit_logs b',
      'WITH x AS (SELECT * FROM audit_logs) SELECT userIdentity.email FROM x',
      'SELECT userIdentity.email FROM (SELECT userIdentity FROM audit_logs)',
      'SELECT userIdentity.email FROM audit_logs WHERE requestId IN (SELECT requestId FROM mine)',
      'SELECT response AS userIdentity FROM audit_logs ORDER BY userIdentity.email',
      'SELECT userIdentity.email FROM main.audit_logs',
      'UPDATE mine SET x = userIdentity.email',
    ];
    for (const sql of jsonRead) assert.doesNotMatch(translateSparkSql(sql).sql, /_hot_/, sql);
    const hot = ['SELECT userIdentity.email FROM audit_logs a JOIN audit_logs b USING (requestId)', 'UPDATE audit_logs SET sessionId = userIdentity.email', 'SELECT 1; SELECT userIdentity.email FROM `audit_logs`'];
    for (const sql of hot) assert.match(translateSparkSql(sql).sql, /_hot_user_email/, sql);
    // Statement by statement: the first reads a table of the user's, the second audit_logs alone.
    const both = translateSparkSql('SELECT userIdentity.email FROM mine; SELECT userIdentity.email FROM audit_logs').sql;
    assert.match(both, /^SELECT CASE json_type\(userIdentity.*; SELECT CASE WHEN _hot_user_email IS NULL /s);
  });

  it('cannot be hidden by a temporary table or view named audit_logs, nor lose their triggers', async (t) => {
    const database = await AuditDatabase.open();
    t.after(() => database.close());
    for (const sql of ['CREATE TEMP VIEW audit_logs AS SELECT 1', 'CREATE TEMPORARY TABLE IF NOT EXISTS audit_logs (x)', 'DROP TRIGGER audit_logs_hot_update']) {
      assert.throws(() => database.query(sql), /belongs to the session/, sql);
    }
  });
});
