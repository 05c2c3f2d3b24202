/** A ready-made query over `audit_logs`, with what it answers. */
export interface Analysis {
  /** Stable id, e.g. `example.logins` or `detection.failed-logins`. */
  id: string;
  title: string;
  /** The question it answers, in one sentence. */
  question: string;
  /** Spark-style SQL, run as written. */
  sql: string;
  category: 'example' | 'overview' | 'detection';
  /** Why a detection matters (what the finding may mean). */
  rationale?: string;
}
