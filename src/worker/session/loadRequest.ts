/** The load request for a scope: its sources, dates and workspaces, with the machine's settings for reading them. */
import type { Pushdown } from '../../core/sql/pushdown';
import type { GcsTimeouts } from '../../core/sources';
import type { PartitionFilter } from '../../core/layout';
import type { LoadRequest, RecordCacheSettings } from '../../core/sql/loader';
import type { NotebookScope } from '../../shared/notebook/format';

/** What is read: the sources and their partitions, and whether each event is kept once. */
export interface ScopeSelection {
  sources: readonly string[];
  filter?: PartitionFilter;
  dedupe?: boolean;
}

/** How this machine reads sources (settings or CLI flags), the same for every load of a session. */
export interface ReadSettings {
  gcsEndpoint?: string;
  /** Network bounds for gs:// sources. */
  gcs?: GcsTimeouts;
  /** The tree's scan cache: its line indexes let a load read only the lines it needs. */
  scanCacheDirectory?: string;
  /** The record cache: a load of the same kind reads only the files new or changed since. */
  recordCache?: RecordCacheSettings;
}

export function loadRequest(selection: ScopeSelection, settings: ReadSettings = {}, narrowing: Pushdown = {}): LoadRequest {
  return {
    sources: [...selection.sources],
    ...(selection.filter ? { filter: selection.filter } : {}),
    ...(settings.gcsEndpoint ? { gcsEndpoint: settings.gcsEndpoint } : {}),
    ...(settings.gcs ? { gcs: settings.gcs } : {}),
    ...(settings.scanCacheDirectory ? { scanCacheDirectory: settings.scanCacheDirectory } : {}),
    ...(settings.recordCache ? { recordCache: settings.recordCache } : {}),
    ...(narrowing.prefilter ? { prefilter: narrowing.prefilter } : {}),
    ...(narrowing.columns ? { columns: narrowing.columns } : {}),
    ...(narrowing.hotColumns ? { hotColumns: narrowing.hotColumns } : {}),
    ...(narrowing.indexes ? { indexes: narrowing.indexes } : {}),
    ...(selection.dedupe ? { dedupe: true } : {}),
  };
}

/** A notebook scope's partitions as the loader filters them. */
export function scopeFilter(scope: Pick<NotebookScope, 'from' | 'to' | 'workspaces'>): PartitionFilter {
  return { from: scope.from, to: scope.to, workspaces: scope.workspaces };
}

/** A notebook scope (sources, dates, workspaces, dedupe) as a selection. */
export function scopeSelection(scope: NotebookScope): ScopeSelection {
  return { sources: scope.sources, filter: scopeFilter(scope), ...(scope.dedupe ? { dedupe: true } : {}) };
}
