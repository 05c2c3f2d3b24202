import type { Analysis } from '../../shared/analysis';

export type { Analysis } from '../../shared/analysis';

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
