import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AuditDatabase } from '../../../src/core/sql/database';
import { sortedQuery } from '../../../src/core/sql/sortedQuery';
import { resultSort } from '../../../src/shared/sql/resultSort';

describe('sorting a cut result in the engine', () => {
  it('orders the whole result by the column position, past trailing semicolons and comments', async () => {
    const sql = 'SELECT value AS n, "x" AS `count(1)` FROM (SELECT 3 AS value UNION ALL SELECT 1 UNION ALL SELECT 2); -- three rows';
    const wrapped = sortedQuery(sql, { column: 0, direction: 'desc' });
    assert.equal(wrapped, 'SELECT * FROM (\nSELECT value AS n, "x" AS `count(1)` FROM (SELECT 3 AS value UNION ALL SELECT 1 UNION ALL SELECT 2)\n) AS sorted_result\nORDER BY 1 DESC');
    const database = await AuditDatabase.open();
    try {
      assert.deepEqual(database.query(wrapped, 2).rows, [[3, 'x'], [2, 'x']]);
      assert.deepEqual(database.query(sortedQuery(sql, { column: 0, direction: 'asc' }), 1).rows, [[1, 'x']]);
    } finally {
      database.close();
    }
  });

  it('orders by the column of that name when the result has no other: past a star, SQLite holds more columns than the result shows', async () => {
    const database = await AuditDatabase.open();
    try {
      database.handle.exec("INSERT INTO audit_logs (serviceName, userIdentity, requestId) VALUES ('a', '{\"email\":\"b@x\"}', 'r1'), ('a', '{\"email\":\"a@x\"}', 'r3'), ('a', '{\"email\":\"c@x\"}', 'r2')");
      const sql = 'SELECT *, requestId AS id FROM audit_logs';
      const shown = database.query(sql);
      const id = shown.columns.indexOf('id');
      assert.equal(id, shown.columns.length - 1);
      const sort = resultSort(shown.columns, id, 'desc');
      assert.equal(sort.name, 'id');
      const ids = database.query(sortedQuery(sql, sort)).rows.map((row) => row[id]);
      assert.deepEqual(ids, ['r3', 'r2', 'r1']);
      // A name two columns share goes by position.
      assert.deepEqual(resultSort(['a', 'A', 'b'], 0, 'asc'), { column: 0, direction: 'asc' });
    } finally {
      database.close();
    }
  });
});
