/** A ready-made query over `audit_logs`, with what it answers: the engine's library and the notebook's offer. */
export interface Analysis {
  /** Stable id: `example.logins` for an example, a kebab-case id such as `failed-logins` for a detection. */
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
