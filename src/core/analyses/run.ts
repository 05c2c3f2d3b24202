/**
 * Running detections as one job: choosing them by id, loading once only the lines they read,
 * running each, and counting findings per severity. The CLI and the editor share it.
 */
import { AuditLensError } from '../errors';
import { mapWithConcurrency } from '../scan/concurrency';
import type { WorkOptions } from '../progress';
import type { QueryResult } from '../sql/database';
import type { RowsForm } from '../../shared/sql/result';
import { deriveColumns, deriveHotColumns, derivePrefilter, prefilterOf, type LinePrefilter, type Pushdown } from '../sql/pushdown';
import { parseSql, type ParsedSql } from '../sql/query/parse';
import type { TableIndex } from '../sql/schema';
import { detections } from './detections';
import { SEVERITIES, type Detection, type Severity } from './types';

/** One detection's outcome: its rows are the findings. */
export interface DetectionRun {
  detection: Detection;
  result: Omit<QueryResult, 'durationMs'>;
}

export type SeverityCounts = Record<Severity, number>;

/** Runs SQL over the loaded table (a QuerySession, the CLI's engine). */
export type DetectionQuery = (sql: string, options: { maxRows?: number; signal?: AbortSignal; rowsAs?: RowsForm }) => Promise<Omit<QueryResult, 'durationMs'>>;

/** The detections with these ids, in library order; every detection when none is given. */
export function selectDetections(ids: readonly string[] = [], library: readonly Detection[] = detections): Detection[] {
  const wanted = new Set(ids.map((id) => id.trim()).filter((id) => id !== ''));
  if (wanted.size === 0) return [...library];
  const unknown = [...wanted].filter((id) => !library.some((d) => d.id === id));
  if (unknown.length > 0) {
    throw new AuditLensError('usage', `Unknown detection ${unknown.map((id) => `'${id}'`).join(', ')}.`, `Detections: ${library.map((d) => d.id).join(', ')}`);
  }
  return library.filter((d) => wanted.has(d.id));
}

/**
 * Loads only the lines the detections can read: per detection, what its SQL's filters admit
 * (services, actions, field values), or else the services it declares; undefined (load every
 * line) when one of them says neither.
 */
export function detectionPrefilter(list: readonly Detection[], parsed: readonly ParsedSql[] = list.map((d) => parseSql(d.sql))): LinePrefilter | undefined {
  const perDetection = list.map((d, i) => derivePrefilter([parsed[i]!]) ?? (d.services.length > 0 ? { serviceNames: [...d.services].sort() } : undefined));
  if (perDetection.length === 0 || perDetection.some((p) => p === undefined)) return undefined;
  return prefilterOf(perDetection.flatMap((p) => p!.statements ?? [{ serviceNames: p!.serviceNames! }]));
}

/**
 * The one index a detection run builds: every detection names its services, and no built-in's
 * plan uses the date index (a test asks SQLite), which would cost about a second per million rows.
 * It holds the status code too: rules on failed requests then fetch only those rows.
 */
export const DETECTION_INDEXES: TableIndex[] = ['service-action-status'];

/** The last list's pushdown, by what decides it: a Findings run or a watch's poll asks again for the same list. */
let lastPushdown: { key: string; pushdown: Pushdown } | undefined;

/**
 * What a load for exactly these detections may leave out: other services' lines, fields none of
 * them names, the date index. Each SQL is parsed and translated once, and the same list again
 * (by services and SQL) is not worked out again.
 */
export function detectionPushdown(list: readonly Detection[]): Pushdown {
  const key = JSON.stringify(list.map((d) => [d.services, d.sql]));
  if (lastPushdown?.key === key) return lastPushdown.pushdown;
  const parsed = list.map((d) => parseSql(d.sql));
  const columns = deriveColumns(parsed);
  const hotColumns = deriveHotColumns(parsed);
  const prefilter = detectionPrefilter(list, parsed);
  const pushdown: Pushdown = { ...(prefilter ? { prefilter } : {}), ...(columns ? { columns } : {}), ...(hotColumns ? { hotColumns } : {}), indexes: DETECTION_INDEXES };
  lastPushdown = { key, pushdown };
  return pushdown;
}

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** Most severe first; within a severity, the library's order. */
export function bySeverity<T extends { detection: Detection }>(runs: readonly T[]): T[] {
  return [...runs].sort((a, b) => severityRank(a.detection.severity) - severityRank(b.detection.severity));
}

/** Findings (rows) per severity. */
export function severityCounts(runs: readonly DetectionRun[]): SeverityCounts {
  const counts: SeverityCounts = { high: 0, medium: 0, low: 0, info: 0 };
  for (const run of runs) counts[run.detection.severity] += run.result.rowCount;
  return counts;
}

/** Whether a detection at or above `threshold` found anything; `none` never fails. */
export function failsAt(runs: readonly DetectionRun[], threshold: Severity | 'none'): boolean {
  if (threshold === 'none') return false;
  return runs.some((run) => run.result.rowCount > 0 && severityRank(run.detection.severity) <= severityRank(threshold));
}

/**
 * Runs the detections over the loaded table, reporting progress per detection: in turn, or up to
 * `concurrency` at once when `query` can answer several at a time (sessions over copies of the
 * table). The runs come back in the list's order; with `rowsAs` 'json', their rows as `rowsJson`.
 */
export async function runDetections(list: readonly Detection[], query: DetectionQuery, options: WorkOptions & { maxRows?: number; concurrency?: number; rowsAs?: RowsForm } = {}): Promise<DetectionRun[]> {
  let done = 0;
  const runs = await mapWithConcurrency(
    list,
    async (detection): Promise<DetectionRun> => {
      options.onProgress?.({ message: `Running ${detection.title}…`, done, total: list.length });
      const result = await query(detection.sql, { maxRows: options.maxRows, signal: options.signal, ...(options.rowsAs ? { rowsAs: options.rowsAs } : {}) });
      done++;
      return { detection, result };
    },
    { concurrency: options.concurrency ?? 1, ...(options.signal ? { signal: options.signal } : {}) },
  );
  options.onProgress?.({ message: 'Detections done', done: list.length, total: list.length });
  return runs;
}
