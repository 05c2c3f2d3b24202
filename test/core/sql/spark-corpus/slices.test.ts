/**
 * The Spark corpus answered over a table loaded slice by slice, as a notebook loads it for its
 * cells (each query's services added before it runs, the rest of the scope for a query that
 * names none), exactly as over the whole tree; and over a load of only the lines and fields each
 * query reads, as the CLI loads for it.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { AuditDatabase } from '../../../../src/core/sql/database';
import { loadIntoDatabase } from '../../../../src/core/sql/loader';
import { derivePushdown } from '../../../../src/core/sql/pushdown';
import { afterLoading, NOTHING_LOADED, sliceNeed, type LoadedSlices } from '../../../../src/core/sql/slices';
import { writeDeliveryTree, type DeliveryTree } from '../../../support/deliveryTree';
import { comparableRows } from './corpus';
import { AUDIT_LOGS_QUERIES } from './queries-audit-logs';
import { SYSTEM_TABLE_QUERIES } from './queries-system-table';
import { corpusTree } from './tree';

let tree: DeliveryTree;
let full: AuditDatabase;

before(async () => {
  tree = writeDeliveryTree(corpusTree());
  full = await AuditDatabase.open();
  await loadIntoDatabase(full, { sources: [tree.root] }, { maxRows: 100_000 });
});

after(() => {
  full?.close();
  tree?.remove();
});

it('every corpus query answers over slices loaded as it asks as over the whole tree', async () => {
  const sliced = await AuditDatabase.open();
  try {
    let loaded: LoadedSlices = NOTHING_LOADED;
    let slicesLoaded = 0;
    for (const query of [...AUDIT_LOGS_QUERIES, ...SYSTEM_TABLE_QUERIES]) {
      const need = sliceNeed(loaded, query.spark);
      if (need.kind !== 'covered') {
        await loadIntoDatabase(sliced, { sources: [tree.root], ...(need.kind === 'slices' ? { slices: need.slices, append: true } : {}) }, { maxRows: 100_000 });
        if (need.kind === 'slices') slicesLoaded++;
        loaded = afterLoading(loaded, need);
      }
      const ordered = query.ordered ?? false;
      assert.deepEqual(comparableRows(sliced.query(query.spark, 100_000).rows, ordered), comparableRows(full.query(query.spark, 100_000).rows, ordered), query.name);
    }
    assert.ok(slicesLoaded > 0, 'some corpus query named its services');
  } finally {
    sliced.close();
  }
});

it('every corpus query answers over a load of only its lines and fields, as the CLI loads for it, as over the whole tree', async () => {
  let pruned = 0;
  for (const query of [...AUDIT_LOGS_QUERIES, ...SYSTEM_TABLE_QUERIES]) {
    const pushdown = derivePushdown([query.spark]);
    if (!pushdown.columns && !pushdown.prefilter) continue;
    if (pushdown.columns) pruned++;
    const narrow = await AuditDatabase.open();
    try {
      await loadIntoDatabase(narrow, { sources: [tree.root], ...pushdown }, { maxRows: 100_000 });
      const ordered = query.ordered ?? false;
      assert.deepEqual(comparableRows(narrow.query(query.spark, 100_000).rows, ordered), comparableRows(full.query(query.spark, 100_000).rows, ordered), `${query.name} (${JSON.stringify(pushdown)})`);
    } finally {
      narrow.close();
    }
  }
  assert.ok(pruned >= 10, `only ${pruned} corpus queries leave fields out`);
});
