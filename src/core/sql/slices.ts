/**
 * Which slices of its scope a session's table holds, and what a query needs loaded first. A slice
 * is every record of one serviceName: a query whose statements only read rows of services the
 * table holds (see pushdown) answers over it exactly as over the whole scope.
 */
import { derivePrefilter } from './pushdown';

/** What the table holds of the scope: no records, every record of these services, or every record. */
export type LoadedSlices = { kind: 'services'; services: readonly string[] } | { kind: 'all' };

/** What must be loaded before SQL runs: nothing, these services' records added, or the whole scope. */
export type SliceNeed = { kind: 'covered' } | { kind: 'services'; services: string[] } | { kind: 'all' };

export const NOTHING_LOADED: LoadedSlices = { kind: 'services', services: [] };

export function sliceNeed(loaded: LoadedSlices, sql: string): SliceNeed {
  if (loaded.kind === 'all') return { kind: 'covered' };
  const prefilter = derivePrefilter([sql]);
  if (!prefilter) return { kind: 'all' };
  const missing = prefilter.serviceNames.filter((service) => !loaded.services.includes(service));
  return missing.length === 0 ? { kind: 'covered' } : { kind: 'services', services: missing };
}

/** What the table holds once `need` is loaded on top of `loaded`. */
export function afterLoading(loaded: LoadedSlices, need: SliceNeed): LoadedSlices {
  if (need.kind === 'covered' || loaded.kind === 'all') return loaded;
  if (need.kind === 'all') return { kind: 'all' };
  return { kind: 'services', services: [...new Set([...loaded.services, ...need.services])].sort() };
}
