/** Reserving room for a big load: only when a reopen can lose nothing, and the session works as before after it. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { AuditDatabase } from '../../../src/core/sql/database';
import { loadIntoDatabase } from '../../../src/core/sql/loader';
import { aRecord, writeDeliveryTree } from '../../support/deliveryTree';

it('reopens a pristine database with room, keeping its tables, settings and functions', async () => {
  const database = await AuditDatabase.open();
  try {
    assert.equal(database.reserve(8 * 1024 * 1024), true);
    // Spark-style LIKE stays case-sensitive and Spark functions stay registered after the reopen.
    assert.deepEqual(database.query(`SELECT 'Login' LIKE '%login%', 'login' LIKE '%login%', date_format(DATE'2024-01-02', 'yyyy/MM/dd')`).rows, [[0, 1, '2024/01/02']]);
    const tree = writeDeliveryTree([{ workspaceId: '1', date: '2024-01-01', lines: [aRecord({ serviceName: 'clusters' }), 'broken {'] }]);
    try {
      const summary = await loadIntoDatabase(database, { sources: [tree.root] }, { maxRows: 100 });
      assert.deepEqual([summary.recordsLoaded, summary.linesRejected], [1, 1]);
      assert.equal(database.snapshot().length, Number(database.query('SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()').rows[0]![0]), 'a snapshot holds the pages, not the room');
    } finally {
      tree.remove();
    }
  } finally {
    database.close();
  }
});

it('does not reopen a database that holds records or anything of the user', async () => {
  const database = await AuditDatabase.open();
  try {
    database.query('CREATE TABLE mine AS SELECT 42 AS answer');
    assert.equal(database.reserve(8 * 1024 * 1024), false);
    database.query('DROP TABLE mine');
    database.handle.run(`INSERT INTO audit_errors VALUES ('f', 1, 0, 'bad', 'x')`);
    assert.equal(database.reserve(8 * 1024 * 1024), false);
    assert.deepEqual(database.query('SELECT reason FROM audit_errors').rows, [['bad']]);
  } finally {
    database.close();
  }
});
