/**
 * Runs every detection over a scope in a worker-backed query session of its own, loading only the
 * services and fields the detections read, and closes the session when done. No VS Code: tested on its own.
 */
import { detectionPushdown, detections as builtinDetections, type Detection } from '../../core/analyses';
import type { NotebookScope } from '../../shared/notebook/format';
import type { WorkOptions } from '../../core/progress';
import type { RecordCacheSettings } from '../../core/sql/loader';
import { loadGaps, withLoadedScope } from '../../worker/session/loadedScope';
import { loadRequest, scopeFilter } from '../../worker/session/loadRequest';
import { AS_OF_NOW, type AsOfChoice } from '../../shared/asOf';
import { runInstant } from '../../worker/session/asOf';
import { TwinSessions } from '../../worker/session/twinSessions';
import { defaultRowBudget } from '../../core/sql/budget';
import { requireSources } from '../notebook/scope';
import type { FindingsResult } from './model';

export interface FindingsRunnerOptions {
  workerPath?: string;
  wasmPath?: string;
  /** The row budget of the session. */
  maxRows?: number;
  gcsEndpoint?: string;
  /** The record cache: a run over files unchanged since the last reads none of them. */
  recordCache?: RecordCacheSettings;
  /** Rows kept per detection for the view (counts stay exact). */
  rowsPerDetection?: number;
  /** The detections to run (the built-ins by default). */
  detections?: readonly Detection[];
}

export const ROWS_PER_DETECTION = 500;

/** Runs the detections over `scope`, every "now" at the instant `asOf` resolves to once the load is done (the wall clock by default). */
export async function runFindings(scope: NotebookScope, options: FindingsRunnerOptions, work: WorkOptions = {}, asOf: AsOfChoice = AS_OF_NOW): Promise<FindingsResult> {
  requireSources(scope, 'run detections over');
  const detections = options.detections ?? builtinDetections;
  const request = loadRequest({ sources: scope.sources, filter: scopeFilter(scope) }, { gcsEndpoint: options.gcsEndpoint, ...(options.recordCache ? { recordCache: options.recordCache } : {}) }, detectionPushdown(detections));
  const sessionOptions = { workerPath: options.workerPath, wasmPath: options.wasmPath, maxRows: options.maxRows };
  return withLoadedScope(request, { ...work, session: sessionOptions }, async (session, summary) => {
    const at = runInstant(asOf, scope, summary.loadedFiles);
    const twin = { session: sessionOptions, maxRows: options.maxRows ?? defaultRowBudget(), asOf: at, ...(work.signal ? { signal: work.signal } : {}) };
    const runs = await TwinSessions.runDetections(session, request, summary, detections, twin, { ...work, maxRows: options.rowsPerDetection ?? ROWS_PER_DETECTION });
    const gaps = loadGaps(summary);
    const fromCache = summary.filesFromCache ? { fromCache: { files: summary.files, cached: summary.filesFromCache } } : {};
    return { scope, runs, records: summary.recordsLoaded, ...fromCache, loadedFiles: new Set(summary.loadedFiles), asOf: { choice: asOf, at }, unreadableFiles: gaps.filesFailed, skippedFiles: gaps.filesPassedOver.map((p) => `${p.file}: ${p.reason}`), noLogs: gaps.noLogs };
  });
}
