/**
 * Which slices of its scope a session's table holds, and what a query needs loaded first. A slice
 * is the records of one serviceName — all of them, or only those whose actionName a query named
 * exactly (`actionName = '…'` or `IN (…)`). A query whose statements only read rows of slices the
 * table holds (see pushdown) answers over it exactly as over the whole scope.
 */
import { derivePrefilter, type LinePrefilter } from './pushdown';

/** Records of one service the table holds: every one, or only those with one of `actions`. */
export interface Slice {
  service: string;
  actions?: readonly string[];
}

/** What the table holds of the scope: these slices (none at first), or every record. */
export type LoadedSlices = { kind: 'slices'; slices: readonly Slice[] } | { kind: 'all' };

/** Records to add for one service: those with one of `actions` (every one when absent), except those with an action in `held` (loaded before). */
export interface SliceLoad {
  service: string;
  actions?: string[];
  held?: string[];
}

/** What must be loaded before SQL runs: nothing, these slices added, or the whole scope. */
export type SliceNeed = { kind: 'covered' } | { kind: 'slices'; slices: SliceLoad[] } | { kind: 'all' };

export const NOTHING_LOADED: LoadedSlices = { kind: 'slices', slices: [] };

/** What each service a prefilter names needs: the actions its statements name exactly, or all its records. */
function wantedActions(prefilter: LinePrefilter): Map<string, Set<string> | 'all'> {
  const wanted = new Map<string, Set<string> | 'all'>();
  const statements = prefilter.statements ?? [{ serviceNames: prefilter.serviceNames }];
  for (const statement of statements) {
    for (const service of statement.serviceNames) {
      const known = wanted.get(service);
      if (known === 'all') continue;
      if (!statement.actionNames) wanted.set(service, 'all');
      else wanted.set(service, new Set([...(known ?? []), ...statement.actionNames]));
    }
  }
  return wanted;
}

export function sliceNeed(loaded: LoadedSlices, sql: string): SliceNeed {
  if (loaded.kind === 'all') return { kind: 'covered' };
  const prefilter = derivePrefilter([sql]);
  if (!prefilter) return { kind: 'all' };
  const loads: SliceLoad[] = [];
  for (const [service, actions] of [...wantedActions(prefilter)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const held = loaded.slices.find((slice) => slice.service === service);
    if (held && held.actions === undefined) continue;
    const heldActions = held?.actions ?? [];
    if (actions === 'all') {
      loads.push({ service, ...(heldActions.length > 0 ? { held: [...heldActions] } : {}) });
      continue;
    }
    const missing = [...actions].filter((action) => !heldActions.includes(action)).sort();
    if (missing.length > 0) loads.push({ service, actions: missing });
  }
  return loads.length === 0 ? { kind: 'covered' } : { kind: 'slices', slices: loads };
}

/** What the table holds once `need` is loaded on top of `loaded`. */
export function afterLoading(loaded: LoadedSlices, need: SliceNeed): LoadedSlices {
  if (need.kind === 'covered' || loaded.kind === 'all') return loaded;
  if (need.kind === 'all') return { kind: 'all' };
  const byService = new Map(loaded.slices.map((slice) => [slice.service, slice]));
  for (const load of need.slices) {
    const held = byService.get(load.service);
    const actions = load.actions === undefined ? undefined : [...new Set([...(held?.actions ?? []), ...load.actions])].sort();
    byService.set(load.service, actions === undefined ? { service: load.service } : { service: load.service, actions });
  }
  return { kind: 'slices', slices: [...byService.values()].sort((a, b) => (a.service < b.service ? -1 : a.service > b.service ? 1 : 0)) };
}

/** The line prefilter of a slice load: each slice's service and actions (the index also skips held actions). */
export function slicePrefilter(loads: readonly SliceLoad[]): LinePrefilter {
  return {
    serviceNames: [...new Set(loads.map((load) => load.service))].sort(),
    statements: loads.map((load) => ({
      serviceNames: [load.service],
      ...(load.actions ? { actionNames: [...load.actions] } : {}),
      ...(load.held ? { exceptActions: [...load.held] } : {}),
    })),
  };
}

/** How the table's slices read in the scope bar: `accounts, clusters (create, edit)`. */
export function sliceLabels(loaded: LoadedSlices): string[] | undefined {
  if (loaded.kind === 'all') return undefined;
  return loaded.slices.map((slice) => (slice.actions ? `${slice.service} (${slice.actions.join(', ')})` : slice.service));
}
