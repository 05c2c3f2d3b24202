import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DATABRICKS_HEADER, DATABRICKS_SEPARATOR, sqliteOnlySyntax, toDatabricksNotebook } from '../../../src/core/notebook/databricks';
import { detections } from '../../../src/core/analyses';
import { aCell, aNotebook } from '../../support/notebook';

function cellsOf(text: string): string[] {
  return text.replace(/\n$/, '').split(`\n\n${DATABRICKS_SEPARATOR}\n\n`);
}

describe('Databricks SQL notebook export', () => {
  it('starts with the source header and creates the audit_logs view over the bucket in the first cell', () => {
    const text = toDatabricksNotebook(aNotebook({ title: 'Weekly review', cells: [aCell({ title: 'Logins', sql: 'SELECT 1' })] }));
    assert.ok(text.startsWith(`${DATABRICKS_HEADER}\n-- MAGIC %md\n-- MAGIC # Weekly review`));
    const cells = cellsOf(text);
    assert.equal(cells[1], "CREATE OR REPLACE TEMPORARY VIEW audit_logs USING json OPTIONS (path 'gs://audit-bucket/logs')");
    assert.equal(cells[2], '-- MAGIC %md\n-- MAGIC ### Logins');
    assert.equal(cells[3], 'SELECT 1');
    assert.ok(text.endsWith('\n'));
  });

  it('narrows the view to the scope\u2019s workspaces and dates', () => {
    const text = toDatabricksNotebook(aNotebook({ cells: [] }, { workspaces: ['1', '22'], from: '2024-01-01', to: "2024-01-31" }));
    const cells = cellsOf(text);
    assert.equal(cells[1], "CREATE OR REPLACE TEMPORARY VIEW audit_logs_all USING json OPTIONS (path 'gs://audit-bucket/logs')");
    assert.equal(cells[2], "CREATE OR REPLACE TEMPORARY VIEW audit_logs AS SELECT * FROM audit_logs_all WHERE workspaceId IN (1, 22) AND date >= '2024-01-01' AND date <= '2024-01-31'");
  });

  it('uses a placeholder bucket, with a note, when the scope is local folders', () => {
    const cells = cellsOf(toDatabricksNotebook(aNotebook({ cells: [] }, { sources: ['/data/audit'] })));
    assert.match(cells[1], /^-- This notebook was written over local folders/);
    assert.match(cells[1], /USING json OPTIONS \(path 'gs:\/\/<bucket-name>\/<delivery-path-prefix>'\)$/);
  });

  it('flags cells that use SQLite-only syntax, and only those', () => {
    assert.deepEqual(sqliteOnlySyntax("SELECT json_extract(requestParams, '$.user'), requestParams->>'$.x', strftime('%Y', date) FROM audit_logs"), ['json_extract()', 'the ->> operator', 'strftime()']);
    assert.deepEqual(sqliteOnlySyntax("SELECT 'json_extract(' AS s -- strftime(\nFROM audit_logs WHERE x GLOB 'a*'"), ['GLOB']);
    assert.deepEqual(sqliteOnlySyntax('SELECT requestParams.user, COUNT(*) FROM audit_logs GROUP BY 1'), []);
    const text = toDatabricksNotebook(aNotebook({ cells: [aCell({ sql: "SELECT strftime('%H', timestamp / 1000, 'unixepoch') FROM audit_logs" }), aCell({ sql: 'SELECT 2' })] }));
    const cells = cellsOf(text);
    assert.match(cells.at(-3) ?? '', /^-- Audit Lens: uses SQLite-only syntax \(strftime\(\)\); rewrite it before running on Databricks\.\nSELECT strftime/);
    assert.equal(cells.at(-1), 'SELECT 2');
  });

  it('flags the provenance columns, which exist only locally', () => {
    assert.deepEqual(sqliteOnlySyntax('SELECT _file, _line FROM audit_logs'), ['the local provenance column _file', 'the local provenance column _line']);
  });

  it('keeps a multi-line title from breaking out of its markdown cell', () => {
    const text = toDatabricksNotebook(aNotebook({ title: 'a\n-- COMMAND ----------\nDROP TABLE x', cells: [] }));
    assert.equal(cellsOf(text).length, 2);
  });

  it('exports every detection, and none of them needs SQLite-only functions', () => {
    for (const d of detections) {
      const reasons = sqliteOnlySyntax(d.sql).filter((r) => !r.includes('provenance'));
      assert.deepEqual(reasons, [], d.id);
    }
  });
});
