import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyses, eventsByService, exampleAnalyses } from '../../../src/core/analyses';
import { firstNotebookCells } from '../../../src/core/notebook/firstNotebook';
import { parseNotebookText, serializeNotebook } from '../../../src/shared/notebook/format';
import { aNotebook } from '../../support/notebook';

describe('a notebook engine and the first notebook', () => {
  it('keeps the Databricks engine in the file, and leaves local notebooks as they were', () => {
    const local = aNotebook();
    assert.doesNotMatch(serializeNotebook(local), /engine/);
    const remote = { ...local, engine: 'databricks' as const };
    const parsed = parseNotebookText(serializeNotebook(remote));
    assert.ok(parsed.ok);
    assert.equal(parsed.value.engine, 'databricks');
    const wrong = parseNotebookText(serializeNotebook(local).replace('"title"', '"engine": "spark",\n  "title"'));
    assert.deepEqual(wrong, { ok: false, reason: "engine must be 'local' or 'databricks'" });
  });

  it("starts with Databricks' three example analyses, then events by service, from the library", () => {
    let n = 0;
    const cells = firstNotebookCells(() => `c${++n}`);
    assert.deepEqual(cells.map((c) => c.analysisId), [...exampleAnalyses.map((a) => a.id), eventsByService.id]);
    assert.deepEqual(cells.map((c) => c.id), ['c1', 'c2', 'c3', 'c4']);
    for (const cell of cells) {
      const entry = analyses.find((a) => a.id === cell.analysisId);
      assert.ok(entry?.question, `${cell.title} has its question in the library`);
      assert.equal(cell.sql, entry.sql);
      assert.equal(cell.title, entry.title);
    }
  });
});
