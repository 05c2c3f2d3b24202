/** Builders for notebook documents. */
import type { NotebookCell, NotebookDocument, NotebookScope } from '../../src/shared/notebook/format';

let n = 0;
export function aCell(overrides: Partial<NotebookCell> = {}): NotebookCell {
  n++;
  return { id: `cell-${n}`, title: `Cell ${n}`, sql: 'SELECT COUNT(*) FROM audit_logs', ...overrides };
}

export function aNotebook(overrides: Partial<NotebookDocument> = {}, scope: Partial<NotebookScope> = {}): NotebookDocument {
  return { version: 1, title: 'Investigation', scope: { sources: ['gs://audit-bucket/logs'], ...scope }, cells: [aCell(), aCell({ analysisId: 'detection.mounts' })], ...overrides };
}
