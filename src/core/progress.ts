/** Progress reported from long-running work; the edge (CLI, extension) decides how to show it. */
import type { SkippedSink } from './sources/skipped';
export interface ProgressUpdate {
  message: string;
  /** Units done and total, when known (files, bytes or rows; `unit` says which). */
  done?: number;
  total?: number;
  unit?: 'files' | 'bytes' | 'rows';
}

export type ProgressSink = (update: ProgressUpdate) => void;

/** At most one update per `intervalMs` reaches `sink`: work reports far more often than a person can read. */
export function throttledProgress(sink: ProgressSink, intervalMs = 100): ProgressSink {
  let last = 0;
  return (update) => {
    const now = Date.now();
    if (now - last < intervalMs) return;
    last = now;
    sink(update);
  };
}

/** Work that can be cancelled and can report progress. Cancellation is a standard AbortSignal. */
export interface WorkOptions {
  signal?: AbortSignal;
  onProgress?: ProgressSink;
  /** Told of each folder or file a listing passes over (outside the layout, or unreadable). */
  onSkipped?: SkippedSink;
}
