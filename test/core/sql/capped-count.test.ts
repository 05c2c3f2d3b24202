import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { countFromIndex } from '../../../src/core/sql/capped-count';
import { AuditDatabase } from '../../../src/core/sql/database';
import { createIndexesSql, CREATE_TRIGGERS, DROP_TRIGGERS } from '../../../src/core/sql/schema';

/**
 * 30 rows of service `a` (every fifth with a userIdentity that is not JSON: a statement cannot
 * store one, since the hot columns read it, so those go in with the triggers off), 10 of `b`.
 */
function fill(db: AuditDatabase): void {
  for (let i = 0; i < 40; i++) {
    const service = i < 30 ? 'a' : 'b';
    const malformed = i % 5 === 4;
    const identity = malformed ? 'not json' : `{"email":"u${i}@example.com"}`;
    if (malformed) db.handle.exec(DROP_TRIGGERS);
    db.handle.exec(`INSERT INTO audit_logs (serviceName, actionName, userIdentity, _line, userAgent) VALUES ('${service}', 'act${i % 3}', '${identity}', ${i}, 'agent ${i}')`);
    if (malformed) db.handle.exec(CREATE_TRIGGERS);
  }
  db.handle.exec(createIndexesSql());
}

describe('the row count of a capped result', () => {
  let db: AuditDatabase;
  before(async () => {
    db = await AuditDatabase.open();
    fill(db);
  });
  after(() => db.close());

  it('counts every row of a capped SELECT * and keeps the first rows as they are', () => {
    const sql = 'SELECT * FROM audit_logs WHERE serviceName = "a"';
    const whole = db.query(sql, 1000);
    const capped = db.query(sql, 7);
    assert.equal(whole.rowCount, 30);
    assert.equal(capped.rowCount, 30);
    assert.equal(capped.truncated, true);
    assert.deepEqual(capped.rows, whole.rows.slice(0, 7));
    assert.deepEqual(capped.columns, whole.columns);
  });

  it('counts a statement of stored columns that SQLite can count from an index', () => {
    assert.equal(countFromIndex(db.handle, "SELECT * FROM audit_logs WHERE serviceName = 'a';"), 30);
    assert.equal(countFromIndex(db.handle, "SELECT t.*, _line AS line, t.actionName a FROM audit_logs t WHERE serviceName = 'a' AND actionName = 'act1'"), 10);
    assert.equal(countFromIndex(db.handle, 'SELECT * FROM audit_logs'), 40);
  });

  it('leaves to stepping what is not plain columns of one table, or would read table rows to count', () => {
    const notCounted = [
      "SELECT DISTINCT serviceName FROM audit_logs WHERE serviceName = 'a'",
      "SELECT serviceName, actionName FROM audit_logs WHERE serviceName = 'a' GROUP BY serviceName, actionName",
      "SELECT upper(serviceName) FROM audit_logs WHERE serviceName = 'a'",
      "SELECT CASE WHEN _line > 3 THEN 1 END FROM audit_logs WHERE serviceName = 'a'",
      "SELECT * FROM audit_logs WHERE userAgent LIKE 'agent%'",
      "SELECT * FROM audit_logs WHERE serviceName = 'a' UNION ALL SELECT * FROM audit_logs",
      "SELECT a.* FROM audit_logs a JOIN audit_logs b ON a._line = b._line WHERE a.serviceName = 'a'",
      "SELECT * FROM system_access_audit WHERE service_name = 'a'",
      "WITH x AS (SELECT * FROM audit_logs) SELECT * FROM x WHERE serviceName = 'a'",
      "SELECT * FROM audit_logs WHERE serviceName = 'a'; SELECT 1",
    ];
    for (const sql of notCounted) assert.equal(countFromIndex(db.handle, sql), undefined, sql);
  });

  it('still fails a capped query whose computed column fails on a row past the cap', () => {
    // Row 4 of service `a` holds a userIdentity that is not JSON: json_extract fails on it, as Spark's query would.
    assert.throws(() => db.query('SELECT json_extract(userIdentity, "$.email") FROM audit_logs WHERE serviceName = "a"', 2), /malformed JSON/);
  });

  it('reads a temporary view that hides the table as the view, and so does not count it', () => {
    db.handle.exec("CREATE TEMP VIEW audit_logs AS SELECT * FROM main.audit_logs WHERE serviceName = 'b'");
    try {
      assert.equal(countFromIndex(db.handle, "SELECT * FROM audit_logs WHERE serviceName = 'a'"), undefined);
    } finally {
      db.handle.exec('DROP VIEW temp.audit_logs');
    }
  });
});
