/** What the scope bar shows of a load. */
import type { LoadSummary } from '../../core/sql/loader';
import type { LoadSummaryView } from '../../protocol/notebook';

/** The load's counts; for slices, what the table holds in all (`loadedRows`) and of which services. */
export function summaryView(summary: LoadSummary, slices?: { services: readonly string[]; loadedRows: number }): LoadSummaryView {
  const view: LoadSummaryView = {
    files: summary.files,
    bytes: summary.bytes,
    recordsLoaded: slices ? slices.loadedRows : summary.recordsLoaded,
    linesRejected: summary.linesRejected,
    problemCount: summary.problemCount,
    durationMs: summary.durationMs,
  };
  if (slices) view.services = [...slices.services];
  if (summary.recordsInScope !== undefined) view.recordsInScope = summary.recordsInScope;
  if (summary.duplicatesDropped !== undefined) view.duplicatesDropped = summary.duplicatesDropped;
  if (summary.filesFromCache) view.filesFromCache = summary.filesFromCache;
  return view;
}
