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

function sqlError(sql: string): SqlError {
  try {
    database.query(sql);
  } catch (error) {
    assert.ok(error instanceof SqlError, String(error));
    return error;
  }
  assert.fail(`expected an error from ${sql}`);
}

describe('system.access.audit as published', () => {
  it('reads the session view under its Databricks name, plain, aliased, upper-cased or in backticks', () => {
    assert.deepEqual(rows('SELECT count(*) FROM system.access.audit'), [[3]]);
    assert.deepEqual(rows("SELECT a.request_id FROM system.access.audit AS a WHERE a.action_name = 'edit'"), [['r2']]);
    assert.deepEqual(rows("SELECT a.request_id FROM SYSTEM.ACCESS.AUDIT a WHERE a.request_params.cluster_name = 'etl'"), [['r1']]);
    assert.deepEqual(rows("SELECT request_id FROM `system`.`access`.`audit` WHERE service_name = 'unityCatalog'"), [['r3']]);
    assert.deepEqual(rows("SELECT count(*) FROM system.access.audit s JOIN audit_logs l ON s.request_id = l.requestId WHERE l.actionName = 'create'"), [[1]]);
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
