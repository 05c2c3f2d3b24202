import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AuditDatabase } from '../../../src/core/sql/database';
import { sortedQuery } from '../../../src/core/sql/sortedQuery';

describe('sorting a cut result in the engine', () => {
  it('orders the whole result by the column position, past trailing semicolons and comments', async () => {
    const sql = 'SELECT value AS n, "x" AS `count(1)` FROM (SELECT 3 AS value UNION ALL SELECT 1 UNION ALL SELECT 2); -- three rows';
    const wrapped = sortedQuery(sql, 0, 'desc');
    assert.equal(wrapped, 'SELECT * FROM (\nSELECT value AS n, "x" AS `count(1)` FROM (SELECT 3 AS value UNION ALL SELECT 1 UNION ALL SELECT 2)\n) AS sorted_result\nORDER BY 1 DESC');
    const database = await AuditDatabase.open();
    try {
      assert.deepEqual(database.query(wrapped, 2).rows, [[3, 'x'], [2, 'x']]);
      assert.deepEqual(database.query(sortedQuery(sql, 0, 'asc'), 1).rows, [[1, 'x']]);
    } finally {
      database.close();
    }
  });
});
