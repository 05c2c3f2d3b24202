/**
 * Which slices of its scope a session's table holds, and what a query needs loaded first. A slice
 * is the records of one serviceName — all of them, or only those whose actionName a query named
 * exactly (`actionName = '…'` or `IN (…)`) or by a LIKE pattern. A query whose statements only read rows of slices the
 * table holds (see pushdown) answers over it exactly as over the whole scope.
 */
import { derivePrefilter, type LinePrefilter } from './pushdown';
import type { ParsedSql } from './query';
import { likeRuns } from './pushdown/analyze';
import { isSearchableFragment, type StatementFilter } from './pushdown/prefilter';

/**
 * Records of one service the table holds: every one, or only those whose actionName is one of
 * `actions` or is LIKE one of `patterns` (as the session's LIKE reads them: case-sensitive).
 */
export interface Slice {
  service: string;
  actions?: readonly string[];
  patterns?: readonly string[];
}

/** What the table holds of the scope: these slices (none at first), or every record. */
export type LoadedSlices = { kind: 'slices'; slices: readonly Slice[] } | { kind: 'all' };

/**
 * Records to add for one service: those of the slice `actions`/`patterns` describe (every one when
 * both are absent), except those the part already `held` holds.
 */
export interface SliceLoad {
  service: string;
  actions?: string[];
  patterns?: string[];
  held?: { actions?: string[]; patterns?: string[] };
}

/** What must be loaded before SQL runs: nothing, these slices added, or the whole scope. */
export type SliceNeed = { kind: 'covered' } | { kind: 'slices'; slices: SliceLoad[] } | { kind: 'all' };

export const NOTHING_LOADED: LoadedSlices = { kind: 'slices', slices: [] };

type Wanted = 'all' | { actions: Set<string>; patterns: Set<string> };

/**
 * What each service a prefilter names needs: the actions its statements name exactly, or one LIKE
 * pattern each statement filters on (more than one pattern: any of them holds every row the
 * statement reads), or all its records.
 */
function wantedSlices(prefilter: LinePrefilter): Map<string, Wanted> | undefined {
  const wanted = new Map<string, Wanted>();
  const statements = prefilter.statements ?? [{ serviceNames: prefilter.serviceNames }];
  for (const statement of statements) {
    // A statement that reads rows of any service needs every slice.
    if (statement.serviceNames === undefined) return undefined;
    for (const service of statement.serviceNames) {
      const known = wanted.get(service) ?? { actions: new Set<string>(), patterns: new Set<string>() };
      if (known === 'all') continue;
      if (statement.actionNames) statement.actionNames.forEach((action) => known.actions.add(action));
      else if (statement.actionLike?.[0] !== undefined) known.patterns.add(statement.actionLike[0]);
      else {
        wanted.set(service, 'all');
        continue;
      }
      wanted.set(service, known);
    }
  }
  return wanted;
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** What must load before `sql` (text, or a query parsed once) runs over what the table holds. */
export function sliceNeed(loaded: LoadedSlices, sql: string | ParsedSql): SliceNeed {
  if (loaded.kind === 'all') return { kind: 'covered' };
  const prefilter = derivePrefilter([sql]);
  const wantedByService = prefilter && wantedSlices(prefilter);
  if (!wantedByService) return { kind: 'all' };
  const loads: SliceLoad[] = [];
  for (const [service, wanted] of [...wantedByService].sort(([a], [b]) => byName(a, b))) {
    const held = loaded.slices.find((slice) => slice.service === service);
    if (held && held.actions === undefined && held.patterns === undefined) continue;
    const heldPart = held ? { held: { ...(held.actions ? { actions: [...held.actions] } : {}), ...(held.patterns ? { patterns: [...held.patterns] } : {}) } } : {};
    if (wanted === 'all') {
      loads.push({ service, ...heldPart });
      continue;
    }
    // Only the very action or pattern held counts as held: rows a held pattern also matches are
    // loaded again and dropped as held, so the table never holds a record twice.
    const actions = [...wanted.actions].filter((action) => !held?.actions?.includes(action)).sort(byName);
    const patterns = [...wanted.patterns].filter((pattern) => !held?.patterns?.includes(pattern)).sort(byName);
    if (actions.length + patterns.length === 0) continue;
    loads.push({ service, ...(actions.length > 0 ? { actions } : {}), ...(patterns.length > 0 ? { patterns } : {}), ...heldPart });
  }
  return loads.length === 0 ? { kind: 'covered' } : { kind: 'slices', slices: loads };
}

/** What the table holds once `need` is loaded on top of `loaded`. */
export function afterLoading(loaded: LoadedSlices, need: SliceNeed): LoadedSlices {
  if (need.kind === 'covered' || loaded.kind === 'all') return loaded;
  if (need.kind === 'all') return { kind: 'all' };
  const byService = new Map(loaded.slices.map((slice) => [slice.service, slice]));
  for (const load of need.slices) {
    if (load.actions === undefined && load.patterns === undefined) {
      byService.set(load.service, { service: load.service });
      continue;
    }
    const held = byService.get(load.service);
    const union = (a: readonly string[] | undefined, b: readonly string[] | undefined) => [...new Set([...(a ?? []), ...(b ?? [])])].sort(byName);
    const actions = union(held?.actions, load.actions);
    const patterns = union(held?.patterns, load.patterns);
    byService.set(load.service, { service: load.service, ...(actions.length > 0 ? { actions } : {}), ...(patterns.length > 0 ? { patterns } : {}) });
  }
  return { kind: 'slices', slices: [...byService.values()].sort((a, b) => byName(a.service, b.service)) };
}

/** The line prefilter of a slice load: each slice's service with its actions or its patterns' literal runs (the index also skips held actions). */
export function slicePrefilter(loads: readonly SliceLoad[]): LinePrefilter {
  const statements: StatementFilter[] = [];
  for (const load of loads) {
    const except = load.held?.actions ? { exceptActions: [...load.held.actions] } : {};
    if (load.actions === undefined && load.patterns === undefined) statements.push({ serviceNames: [load.service], ...except });
    if (load.actions) statements.push({ serviceNames: [load.service], actionNames: [...load.actions], ...except });
    for (const pattern of load.patterns ?? []) {
      const actionContains = likeRuns(pattern).filter((run) => run !== '' && isSearchableFragment(run));
      statements.push({ serviceNames: [load.service], ...(actionContains.length > 0 ? { actionContains } : {}), ...except });
    }
  }
  return { serviceNames: [...new Set(loads.map((load) => load.service))].sort(byName), statements };
}

/** How the table's slices read in the scope bar: `accounts, clusters (create, edit)`, `accounts (LIKE '%login%')`. */
export function sliceLabels(loaded: LoadedSlices): string[] | undefined {
  if (loaded.kind === 'all') return undefined;
  return loaded.slices.map((slice) => {
    const parts = [...(slice.actions ?? []), ...(slice.patterns ?? []).map((pattern) => `LIKE '${pattern}'`)];
    return parts.length > 0 ? `${slice.service} (${parts.join(', ')})` : slice.service;
  });
}
