import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { warehouseStatement } from '../../../src/core/databricks';
import { AuditLensError } from '../../../src/core/errors';
import { splitAuditLogsCte } from '../../databricks-server';

const scope = { sources: ['gs://audit-delivery/logs/'] };

describe('warehouse statements', () => {
  it('puts audit_logs over read_files of the delivery path in a CTE and runs the cell as written', () => {
    const cell = 'SELECT DISTINCT userIdentity.email FROM audit_logs WHERE serviceName = "accounts";';
    const { statement, parameters } = warehouseStatement(cell, scope);
    assert.match(statement, /^WITH audit_logs AS \(\nSELECT \*, _metadata\.file_path AS _file/);
    assert.match(statement, /read_files\('gs:\/\/audit-delivery\/logs\/', format => 'json'\)/);
    assert.deepEqual(parameters, []);
    assert.equal(splitAuditLogsCte(statement)?.cell, cell.slice(0, -1));
  });

  it("joins the cell's own WITH clause", () => {
    const cell = '-- logins\nWITH l AS (SELECT * FROM audit_logs WHERE actionName = "login") SELECT COUNT(*) FROM l';
    const { statement } = warehouseStatement(cell, { ...scope, from: '2024-01-01' });
    assert.match(statement, /^-- logins\nWITH audit_logs AS \(/);
    assert.match(statement, /WHERE date >= :scope_from\n\),\nl AS \(SELECT/);
  });

  it('maps system_access_audit to the system table and leaves SQL without audit_logs alone', () => {
    assert.deepEqual(warehouseStatement('SELECT event_time FROM system_access_audit LIMIT 5', scope), { statement: 'SELECT event_time FROM system.access.audit LIMIT 5', parameters: [] });
    assert.equal(warehouseStatement('SELECT "audit_logs", t.audit_logs FROM t', scope).statement, 'SELECT "audit_logs", t.audit_logs FROM t');
  });

  it('writes every "now" call in as the as-of instant, and leaves names, columns and calls with arguments alone', () => {
    const asOf = Date.parse('2024-03-02T12:30:00Z');
    const cell = `SELECT current_timestamp(), CURRENT_DATE, now ( ), curdate(), unix_timestamp(), unix_timestamp(ts), localtimestamp, t.current_date, x AS current_timestamp
      FROM system_access_audit WHERE event_time >= current_timestamp - INTERVAL 7 DAYS AND event_date >= date_sub(current_date(), 90) AND note = 'current_date()'`;
    assert.equal(
      warehouseStatement(cell, scope, asOf).statement,
      `SELECT TIMESTAMP'2024-03-02T12:30:00.000Z', DATE'2024-03-02', TIMESTAMP'2024-03-02T12:30:00.000Z', DATE'2024-03-02', 1709382600, unix_timestamp(ts), TIMESTAMP'2024-03-02T12:30:00.000Z', t.current_date, x AS current_timestamp
      FROM system.access.audit WHERE event_time >= TIMESTAMP'2024-03-02T12:30:00.000Z' - INTERVAL 7 DAYS AND event_date >= date_sub(DATE'2024-03-02', 90) AND note = 'current_date()'`,
    );
    assert.equal(warehouseStatement('SELECT current_timestamp()', scope).statement, 'SELECT current_timestamp()', 'without an instant the warehouse reads its own clock');
  });

  it("reads the user's own table when one is set, narrowed the same way", () => {
    const { statement, parameters } = warehouseStatement('SELECT * FROM audit_logs', { sources: [], auditTable: 'main.security.audit_bronze', workspaces: ['1', '2'] });
    assert.match(statement, /SELECT \* FROM main\.security\.audit_bronze\nWHERE CAST\(workspaceId AS STRING\) IN \(:scope_workspace_0, :scope_workspace_1\)/);
    assert.equal(parameters.length, 2);
  });

  it('refuses what the warehouse cannot run, saying why', () => {
    const code = (sql: string, s: Parameters<typeof warehouseStatement>[1]): string => {
      try {
        warehouseStatement(sql, s);
      } catch (error) {
        return AuditLensError.from(error).userMessage;
      }
      return 'no error';
    };
    assert.match(code('SELECT 1 FROM audit_logs; SELECT 2', scope), /one statement at a time/);
    assert.match(code('SELECT * FROM audit_logs', { sources: ['/home/me/logs'] }), /reads the bucket itself/);
    assert.match(code('SELECT * FROM audit_logs', { sources: [], auditTable: "x'; DROP TABLE y" }), /is not a table name/);
    assert.match(code("SELECT * FROM audit_logs", { sources: ["gs://b'x/p"] }), /not a valid bucket name/);
  });
});
