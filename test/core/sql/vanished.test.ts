import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { test } from 'node:test';
import { AuditDatabase } from '../../../src/core/sql/database';
import { loadIntoDatabase } from '../../../src/core/sql/loader';
import { aRecord, writeDeliveryTree } from '../../support/deliveryTree';

test('a file that vanishes between listing and reading is skipped and reported; the rest loads', async (t) => {
  const tree = writeDeliveryTree([
    { workspaceId: '1', date: '2024-01-01', lines: [aRecord(), aRecord()] },
    { workspaceId: '1', date: '2024-01-02', lines: [aRecord(), aRecord(), aRecord()] },
    { workspaceId: '1', date: '2024-01-03', lines: [aRecord()] },
  ]);
  t.after(() => tree.remove());
  const database = await AuditDatabase.open();
  const summary = await loadIntoDatabase(database, { sources: [tree.root] }, { maxRows: 100 }, {
    onProgress: (update) => {
      if (update.message.includes('(1/3)')) rmSync(tree.files[1]!);
    },
  });
  assert.equal(summary.files, 3);
  assert.equal(summary.filesSkipped, 1);
  assert.equal(summary.recordsLoaded, 3);
  assert.equal(summary.linesRead, 3);
  assert.equal(summary.problems.length, 1);
  assert.equal(summary.problems[0]!.file, tree.files[1]);
  assert.match(summary.problems[0]!.reason, /file skipped: .*vanished/);
  const result = database.query('SELECT date, count(*) FROM audit_logs GROUP BY date ORDER BY date');
  assert.deepEqual(result.rows, [['2024-01-01', 2], ['2024-01-03', 1]]);
});

test('when no selected file can be read, the load fails with the reason and keeps the previous data', async (t) => {
  const kept = writeDeliveryTree([{ workspaceId: '1', date: '2024-01-01', lines: [aRecord()] }]);
  const gone = writeDeliveryTree([{ workspaceId: '2', date: '2024-01-01', lines: [aRecord()] }]);
  t.after(() => {
    kept.remove();
    gone.remove();
  });
  const database = await AuditDatabase.open();
  await loadIntoDatabase(database, { sources: [kept.root] }, { maxRows: 100 });
  await assert.rejects(
    loadIntoDatabase(database, { sources: [gone.root] }, { maxRows: 100 }, { onProgress: (u) => u.message.includes('(1/1)') && rmSync(gone.files[0]!) }),
    /vanished/,
  );
  assert.deepEqual(database.query('SELECT workspaceId FROM audit_logs').rows, [['1']]);
});
