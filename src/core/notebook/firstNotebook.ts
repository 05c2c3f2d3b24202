/**
 * What a new notebook holds: Databricks' three example analyses, then the events-by-service
 * overview, so "Run all" answers the seed's questions at once.
 */
import { exampleAnalyses } from '../analyses/examples';
import { eventsByService } from '../analyses/overview';
import type { NotebookCell } from '../../shared/notebook/format';

export function firstNotebookCells(newId: () => string): NotebookCell[] {
  return [...exampleAnalyses, eventsByService].map((a) => ({ id: newId(), title: a.title, sql: a.sql, analysisId: a.id }));
}
