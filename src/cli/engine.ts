/**
 * The part of the query session the CLI uses. QuerySession (src/core/sql) satisfies it; the
 * commands depend on this shape only.
 */
import type { PartitionFilter } from '../core/layout';
import type { LinePrefilter } from '../core/sql/pushdown';
import type { WorkOptions } from '../core/progress';
import type { ResultSet } from './format/result';

export interface LoadProblem {
  file: string;
  line: number;
  offset?: number;
  reason: string;
}

export interface LoadSummaryLike {
  files: number;
  bytes: number;
  recordsLoaded: number;
  linesRejected: number;
  /** Lines a pushed-down load skipped unparsed (so unchecked). */
  linesSkippedByFilter?: number;
  problems: LoadProblem[];
  problemCount: number;
  durationMs: number;
}

export interface LoadRequest {
  sources: string[];
  filter?: PartitionFilter;
  gcsEndpoint?: string;
  /** Skip lines none of the queries about to run can read. */
  prefilter?: LinePrefilter;
}

export interface QueryEngine {
  load(request: LoadRequest, options: WorkOptions): Promise<LoadSummaryLike>;
  query(sql: string, options: { maxRows?: number; signal?: AbortSignal }): Promise<ResultSet & { durationMs?: number }>;
  dispose(): Promise<void>;
}
