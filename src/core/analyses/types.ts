/** A ready-made query over `audit_logs`, with what it answers. */
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

/** How urgently a detection's findings deserve a look, most severe first. */
export const SEVERITIES = ['high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** A security detection: an analysis whose rows are findings. */
export interface Detection extends Analysis {
  category: 'detection';
  rationale: string;
  severity: Severity;
  /**
   * Every serviceName a row it returns can have: a run loads only lines of these services. Its SQL
   * filters on exactly these (a test keeps the two in step).
   */
  services: readonly string[];
}
