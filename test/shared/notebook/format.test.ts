import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseNotebook, parseNotebookText, serializeNotebook } from '../../../src/shared/notebook/format';
import { aCell, aNotebook } from '../../support/notebook';

describe('notebook file format', () => {
  it('round-trips a notebook through its file text', () => {
    const doc = aNotebook({}, { workspaces: ['1234567890123456789'], from: '2024-01-01', to: '2024-01-31' });
    const text = serializeNotebook(doc);
    assert.ok(text.endsWith('\n'));
    const back = parseNotebookText(text);
    assert.ok(back.ok);
    assert.deepEqual(back.value, doc);
  });

  it('keeps SQL, titles and ids exactly, including quotes, newlines and non-ASCII', () => {
    const cell = aCell({ title: 'Ünïcode “title” \u202e', sql: 'SELECT "a\'b"\n-- comment\nFROM audit_logs' });
    const back = parseNotebookText(serializeNotebook(aNotebook({ cells: [cell] })));
    assert.ok(back.ok);
    assert.deepEqual(back.value.cells, [cell]);
  });

  it('saves the as-of choice beside the scope, and leaves the default (now) out', () => {
    for (const asOf of [{ kind: 'scope-end' as const }, { kind: 'instant' as const, at: '2026-11-30T14:00:00Z' }]) {
      const doc = { ...aNotebook(), asOf };
      const text = serializeNotebook(doc);
      assert.deepEqual(JSON.parse(text).asOf, asOf);
      const back = parseNotebookText(text);
      assert.ok(back.ok);
      assert.deepEqual(back.value, doc);
    }
    const now = serializeNotebook({ ...aNotebook(), asOf: { kind: 'now' } });
    assert.equal('asOf' in JSON.parse(now), false);
    const read = parseNotebookText(now);
    assert.ok(read.ok && read.value.asOf === undefined);
  });

  it('accepts a BOM and fills a missing title', () => {
    const back = parseNotebookText('\uFEFF' + JSON.stringify({ version: 1, scope: { sources: [] }, cells: [] }));
    assert.ok(back.ok);
    assert.equal(back.value.title, 'Untitled');
  });

  it('rejects what is not a notebook, saying why', () => {
    const cases: [unknown, RegExp][] = [
      [[], /JSON object/],
      [{ version: 2, scope: { sources: [] }, cells: [] }, /unsupported notebook version 2/],
      [{ version: 1, scope: { sources: 'gs://x' }, cells: [] }, /scope.sources/],
      [{ version: 1, scope: { sources: [], workspaces: [12] }, cells: [] }, /workspaces/],
      [{ version: 1, scope: { sources: [], from: '2024-1-1' }, cells: [] }, /scope.from/],
      [{ version: 1, scope: { sources: [] }, asOf: { kind: 'instant', at: 'yesterday' }, cells: [] }, /asOf must be/],
      [{ version: 1, scope: { sources: [] }, asOf: 'scope-end', cells: [] }, /asOf must be/],
      [{ version: 1, scope: { sources: [] }, cells: [{ id: 'a', title: 't' }] }, /cell 1 needs a string sql/],
      [{ version: 1, scope: { sources: [] }, cells: [{ id: 'a', title: '', sql: '' }, { id: 'a', title: '', sql: '' }] }, /appears twice/],
    ];
    for (const [value, reason] of cases) {
      const result = parseNotebook(value);
      assert.equal(result.ok, false);
      assert.match((result as { reason: string }).reason, reason);
    }
    const bad = parseNotebookText('{not json');
    assert.ok(!bad.ok && /not valid JSON/.test(bad.reason));
  });
});
