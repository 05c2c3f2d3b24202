/**
 * The Spark compatibility corpus: detections written as published Databricks audit-log queries,
 * half over `audit_logs` and half over `system_access_audit`, each run unchanged by this engine
 * and compared with DuckDB's answer to a hand translation over the same delivered files.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AuditDatabase } from '../../../../src/core/sql/database';
import { writeDeliveryTree, type DeliveryTree } from '../../../support/deliveryTree';
import { comparableRows, type CorpusQuery } from './corpus';
import { duckRows, openBothEngines, type TwoEngines } from './duckdb';
import { AUDIT_LOGS_QUERIES } from './queries-audit-logs';
import { SYSTEM_TABLE_QUERIES } from './queries-system-table';
import { corpusTree } from './tree';

let tree: DeliveryTree;
let engines: TwoEngines;
let database: AuditDatabase;

before(async () => {
  tree = writeDeliveryTree(corpusTree());
  engines = await openBothEngines(tree.root);
  database = engines.database;
});

after(() => {
  engines.close();
  tree.remove();
});

function corpus(title: string, queries: readonly CorpusQuery[], table: string): void {
  describe(title, () => {
    it('is half of the corpus, and each query reads its table', () => {
      assert.ok(queries.length >= 30, `${queries.length} queries`);
      for (const q of queries) assert.match(q.spark, new RegExp(`\\bFROM ${table}\\b`), q.name);
    });
    for (const query of queries) {
      it(query.name, async () => {
        const expected = comparableRows(await duckRows(engines.duck, query.duck), query.ordered === true);
        if (!query.allowEmpty) assert.ok(expected.length > 0, 'the generated tree gives this detection something to find');
        const actual = comparableRows(database.query(query.spark).rows, query.ordered === true);
        assert.deepEqual(actual, expected);
      });
    }
  });
}

corpus('Spark corpus over audit_logs', AUDIT_LOGS_QUERIES, 'audit_logs');
corpus('Spark corpus over system_access_audit', SYSTEM_TABLE_QUERIES, 'system_access_audit');
