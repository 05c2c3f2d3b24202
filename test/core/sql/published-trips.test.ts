/**
 * SQL as published for Databricks that used to trip the local engine. The expected answers are
 * written by hand from Spark's documented semantics: `system.access.audit` names the audit system
 * table, `expr.field` reads a struct's field (any name, keywords included), comparing a BIGINT with
 * a DATE or TIMESTAMP is refused, and `SELECT *` shows the documented columns only.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AuditDatabase } from '../../../src/core/sql/database';
import { SqlError } from '../../../src/core/sql/dialect';
import { sqlErrorOf } from '../../support/sqlErrors';
import { exportQuery } from '../../../src/core/sql/export';
import { warehouseStatement } from '../../../src/core/databricks';

let database: AuditDatabase;
const HOUR = 3_600_000;
const now = Date.now();

before(async () => {
  database = await AuditDatabase.open();
  const insert = database.handle.prepare(
    'INSERT INTO audit_logs (timestamp, date, serviceName, actionName, userIdentity, requestParams, response, requestId) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const rows = [
    [now - HOUR, 'clusters', 'create', 'alice@example.com', { cluster_name: 'etl', autoscale: '{"min_workers":2,"max_workers":8}' }, 'r1'],
    [now - 3 * 24 * HOUR, 'clusters', 'edit', 'bob@example.com', { cluster_name: 'bi', autoscale: '{"min_workers":1,"max_workers":3}' }, 'r2'],
    [
      now - 2 * HOUR,
      'unityCatalog',
      'updatePermissions',
      'carol@example.com',
      {
        securable: '{"table":"main.sales.orders","type":"table"}',
        changes: '[{"principal":"analysts","add":["SELECT"]},{"principal":"admins","add":["ALL PRIVILEGES"]}]',
      },
      'r3',
    ],
  ] as const;
  for (const [ts, service, action, email, params, id] of rows) {
    insert.run([ts, new Date(ts).toISOString().slice(0, 10), service, action, JSON.stringify({ email }), JSON.stringify(params), JSON.stringify({ statusCode: 200 }), id]);
  }
  insert.free();
});
after(() => database.close());

const rows = (sql: string): unknown[][] => database.query(sql).rows;

const sqlError = (sql: string) => sqlErrorOf(database, sql);

describe('system.access.audit as published', () => {
  it('reads the session view under its Databricks name, plain, aliased, upper-cased or in backticks', () => {
    assert.deepEqual(rows('SELECT count(*) FROM system.access.audit'), [[3]]);
    assert.deepEqual(rows("SELECT a.request_id FROM system.access.audit AS a WHERE a.action_name = 'edit'"), [['r2']]);
    assert.deepEqual(rows("SELECT a.request_id FROM SYSTEM.ACCESS.AUDIT a WHERE a.request_params.cluster_name = 'etl'"), [['r1']]);
    assert.deepEqual(rows("SELECT request_id FROM `system`.`access`.`audit` WHERE service_name = 'unityCatalog'"), [['r3']]);
    assert.deepEqual(rows("SELECT count(*) FROM system.access.audit s JOIN audit_logs l ON s.request_id = l.requestId WHERE l.actionName = 'create'"), [[1]]);
  });

  it('goes to the warehouse as written', () => {
    for (const sql of ['SELECT count(*) FROM system.access.audit AS a', 'SELECT a.event_time FROM `system`.`access`.`audit` a WHERE a.event_date >= current_date() - 1']) {
      assert.deepEqual(warehouseStatement(sql, { sources: ['gs://bucket/logs'] }), { statement: sql, parameters: [] });
    }
  });

  it('shows the documented columns (and the provenance of each row) under SELECT *, not event_time_ms', () => {
    const { columns } = database.query('SELECT * FROM system.access.audit LIMIT 0');
    assert.deepEqual(columns, [
      'account_id', 'workspace_id', 'version', 'event_time', 'event_date', 'source_ip_address', 'user_agent', 'session_id', 'user_identity',
      'service_name', 'action_name', 'request_id', 'request_params', 'response', 'audit_level', 'event_id', 'identity_metadata', '_file', '_line',
    ]);
  });

  it('still reads event_time as the instant of the epoch-ms timestamp', () => {
    assert.deepEqual(rows("SELECT unix_millis(event_time) FROM system.access.audit WHERE request_id = 'r1'"), [[now - HOUR]]);
    assert.deepEqual(rows('SELECT count(*) FROM system.access.audit WHERE event_time >= current_timestamp() - INTERVAL 90 MINUTES'), [[1]]);
  });
});

describe('a field of a value that is not a column', () => {
  it("reads a field of a function's result: from_json(…).field, from_json(…)[i].field", () => {
    assert.deepEqual(rows("SELECT from_json(request_params.autoscale, 'min_workers INT, max_workers INT').max_workers FROM system.access.audit WHERE request_id = 'r1'"), [[8]]);
    assert.deepEqual(rows("SELECT request_id FROM system.access.audit WHERE from_json(request_params.autoscale, 'min_workers INT, max_workers INT').max_workers > 4"), [['r1']]);
    const acl = `'[{"user_name":"a","permission_level":"CAN_MANAGE"},{"user_name":"b","permission_level":"CAN_USE"}]'`;
    assert.deepEqual(rows(`SELECT from_json(${acl}, 'array<struct<user_name:string,permission_level:string>>')[1].permission_level AS level`), [['CAN_USE']]);
    assert.deepEqual(rows(`SELECT from_json(${acl}, 'array<struct<user_name:string,permission_level:string>>')[5].permission_level AS level`), [[null]], 'past the end is NULL');
    assert.deepEqual(rows(`SELECT (from_json('{"a":{"b":[10,20]}}', 'a STRUCT<b: ARRAY<INT>>')).a.b[1] AS x`), [[20]]);
  });

  it('reads a struct field named like a keyword (table, end, from) at any depth', () => {
    const sql = `WITH r AS (SELECT request_id, from_json(request_params.securable, 'table STRING, type STRING') AS securable FROM system.access.audit WHERE service_name = 'unityCatalog')
      SELECT securable.table, r.securable.type FROM r`;
    assert.deepEqual(database.query(sql).columns, ['table', 'type']);
    assert.deepEqual(rows(sql), [['main.sales.orders', 'table']]);
    assert.deepEqual(
      rows(`WITH x AS (SELECT from_json('{"securable":{"table":"t1","end":2}}', 'securable STRUCT<table: STRING, end: INT>') AS req) SELECT req.securable.table, req.securable.end FROM x WHERE req.securable.table = 't1'`),
      [['t1', 2]],
    );
  });

  it('reads fields of an exploded array of structs', () => {
    const sql = `SELECT c.principal FROM system.access.audit
      LATERAL VIEW explode(from_json(request_params.changes, 'array<struct<principal:string,add:array<string>>>')) t AS c
      WHERE array_contains(c.add, 'ALL PRIVILEGES')`;
    assert.deepEqual(rows(sql), [['admins']]);
  });

  it('leaves table aliases and CTE names that look like fields alone', () => {
    assert.deepEqual(rows("WITH req AS (SELECT request_id AS `table` FROM system.access.audit WHERE request_id = 'r2') SELECT req.table FROM req"), [['r2']]);
    assert.deepEqual(rows("SELECT req.request_id FROM (SELECT request_id, collect_set(action_name) AS a FROM system.access.audit GROUP BY request_id) AS req WHERE req.request_id = 'r3'"), [['r3']]);
  });
});

describe('arrays, maps and structs that pass through a subquery or a CTE', () => {
  const exported = async (sql: string): Promise<Record<string, unknown>[]> => {
    let text = '';
    await exportQuery(database, sql, 'json', async (chunk) => {
      text += chunk;
    });
    return JSON.parse(text) as Record<string, unknown>[];
  };
  const cte = `WITH c AS (SELECT service_name, sort_array(collect_set(action_name)) AS actions, from_json('{"a":1}', 'a INT') AS st, count(*) AS n
    FROM system.access.audit GROUP BY service_name)`;

  it('print as JSON values in --format json, as the same values do at the top level', async () => {
    const top = await exported("SELECT sort_array(collect_set(action_name)) AS actions FROM system.access.audit WHERE service_name = 'clusters'");
    assert.deepEqual(top, [{ actions: ['create', 'edit'] }]);
    assert.deepEqual(await exported(`${cte} SELECT actions, c.st, n FROM c WHERE service_name = 'clusters'`), [{ actions: ['create', 'edit'], st: { a: 1 }, n: 2 }]);
    assert.deepEqual(await exported(`${cte} SELECT actions AS a2 FROM c WHERE service_name = 'clusters'`), [{ a2: ['create', 'edit'] }]);
    assert.deepEqual(await exported(`SELECT acts FROM (SELECT collect_list(action_name) acts FROM system.access.audit WHERE service_name = 'unityCatalog')`), [{ acts: ['updatePermissions'] }]);
  });

  it('print as JSON values under SELECT * too', async () => {
    assert.deepEqual(await exported(`${cte} SELECT * FROM c WHERE service_name = 'clusters'`), [{ service_name: 'clusters', actions: ['create', 'edit'], st: { a: 1 }, n: 2 }]);
    assert.deepEqual(database.query(`${cte} SELECT * FROM c`).columnKinds, ['value', 'json', 'json', 'value']);
  });

  it('mark the result columns as JSON, and leave strings that only look like JSON names alone', async () => {
    const result = database.query(`${cte} SELECT actions, service_name FROM c WHERE service_name = 'clusters'`);
    assert.deepEqual(result.columnKinds, ['json', 'value']);
    assert.deepEqual(result.rows, [['["create","edit"]', 'clusters']]);
    const mixed = "WITH c AS (SELECT collect_list(1) AS s FROM system.access.audit UNION ALL SELECT '[not json') SELECT s FROM c";
    assert.deepEqual(await exported(mixed), [{ s: [1, 1, 1] }, { s: '[not json' }]);
  });
});

describe('the epoch-ms timestamp column next to a date or time', () => {
  const count = (where: string): unknown => rows(`SELECT count(*) FROM audit_logs a WHERE ${where}`)[0]![0];

  it('compares as the instant it names, whatever the date/time is written as', () => {
    // r1 is an hour old, r3 two hours, r2 three days: a day back from today's midnight keeps r1 and r3
    // unless today is less than two hours old, so the expectations count from the clock.
    const midnight = Date.parse(new Date(now).toISOString().slice(0, 10));
    const since = (ms: number): number => [now - HOUR, now - 3 * 24 * HOUR, now - 2 * HOUR].filter((t) => t >= ms).length;
    const yesterday = midnight - 24 * HOUR;
    for (const form of [
      'current_date() - 1',
      '(current_date() - 1)',
      'date_sub(current_date(), 1)',
      '(date_sub(current_date(), 1))',
      'current_date() - INTERVAL 1 DAY',
      `CAST('${new Date(yesterday).toISOString().slice(0, 10)}' AS DATE)`,
      `'${new Date(yesterday).toISOString().slice(0, 10)}'::date`,
      `DATE'${new Date(yesterday).toISOString().slice(0, 10)}'`,
    ]) {
      assert.equal(count(`timestamp >= ${form}`), since(yesterday), form);
      assert.equal(count(`${form} <= a.timestamp`), since(yesterday), `${form}, reversed`);
      assert.equal(count(`NOT (timestamp < ${form})`), since(yesterday), `${form}, negated`);
    }
    assert.equal(count('timestamp BETWEEN (current_date() - 7) AND current_timestamp()'), 3);
    assert.equal(count('timestamp NOT BETWEEN current_date() - 7 AND (current_timestamp() - INTERVAL 150 MINUTES)'), 2);
    assert.equal(rows('SELECT sum(CASE WHEN timestamp >= (current_timestamp() - INTERVAL 90 MINUTES) THEN 1 ELSE 0 END) FROM audit_logs')[0]![0], 1);
  });

  it('leaves numbers compared with numbers alone', () => {
    assert.equal(count(`timestamp >= ${now - 90 * 60_000}`), 1);
    assert.equal(count('timestamp >= unix_millis(current_timestamp() - INTERVAL 90 MINUTES)'), 1);
    assert.equal(count("timestamp_millis(timestamp) >= current_timestamp() - INTERVAL 90 MINUTES"), 1);
  });

  it('refuses a date written as a string, at the column, with a hint, where it would match nothing', () => {
    const sql = "SELECT count(*) FROM audit_logs WHERE serviceName = 'clusters' AND timestamp >= '2024-05-01'";
    const error = sqlError(sql);
    assert.match(error.userMessage, /timestamp holds epoch milliseconds \(a BIGINT\)/);
    assert.match(error.userMessage, /event_time/);
    assert.match(error.userMessage, /timestamp_millis\(timestamp\)/);
    assert.equal(error.position?.column, sql.indexOf('timestamp >=') + 1);
    assert.throws(() => database.query("SELECT 1 FROM audit_logs WHERE timestamp BETWEEN '2024-05-01' AND '2024-05-02 10:00:00'"), SqlError);
  });

  it('keeps a column the query itself names timestamp comparable with a date string', () => {
    const sql = `WITH t AS (SELECT timestamp_millis(timestamp) AS timestamp FROM audit_logs) SELECT count(*) FROM t WHERE timestamp >= '2000-01-01'`;
    assert.deepEqual(rows(sql), [[3]]);
  });
});

describe('an invalid regular expression', () => {
  const at = (sql: string, fragment: string): void => {
    const error = sqlError(sql);
    assert.match(error.userMessage, /invalid regular expression '.*' \(.+\)/s, sql);
    const offset = sql.indexOf(fragment);
    const line = sql.slice(0, offset).split('\n').length;
    const column = offset - sql.lastIndexOf('\n', offset - 1);
    assert.deepEqual([error.position?.line, error.position?.column], [line, column], sql);
  };

  it("points at the pattern's string in the user's SQL", () => {
    at("SELECT regexp_extract(serviceName, 'a(b', 1) FROM audit_logs", "'a(b'");
    at("SELECT count(*)\nFROM audit_logs\nWHERE actionName RLIKE '[a-z'", "'[a-z'");
    at("SELECT regexp_replace(actionName, 'x', 'y'), regexp_replace(actionName, '\\\\d+(', '') FROM audit_logs", "'\\\\d+('");
    at("SELECT regexp_extract_all(actionName, 'it''s (') FROM audit_logs", "'it''s ('");
    at("SELECT 1 FROM audit_logs WHERE regexp_like(actionName, '*x')", "'*x'");
    at("SELECT split(actionName, '(') FROM audit_logs", "'('");
  });

  it('points at the call when the pattern is computed', () => {
    at("SELECT actionName, regexp_extract(actionName, actionName || '(', 0) FROM audit_logs", 'regexp_extract');
    at("SELECT 1 FROM audit_logs WHERE actionName RLIKE concat(actionName, '[')", 'RLIKE');
  });
});

describe('exploded structs named in a CTE', () => {
  it('reads their fields in the outer query and prints them whole as JSON', () => {
    const sql = `WITH changes AS (
        SELECT request_id, explode(from_json(request_params.changes, 'array<struct<principal:string,add:array<string>>>')) AS change
        FROM system.access.audit WHERE action_name = 'updatePermissions')
      SELECT change.principal, change FROM changes ORDER BY change.principal`;
    const result = database.query(sql);
    assert.deepEqual(result.columns, ['principal', 'change']);
    assert.deepEqual(result.columnKinds, ['value', 'json']);
    assert.deepEqual(result.rows.map((r) => [r[0], JSON.parse(String(r[1]))]), [
      ['admins', { principal: 'admins', add: ['ALL PRIVILEGES'] }],
      ['analysts', { principal: 'analysts', add: ['SELECT'] }],
    ]);
  });
});
