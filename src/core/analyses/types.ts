import type { Analysis } from '../../shared/analysis';

export type { Analysis } from '../../shared/analysis';

/** How urgently a detection's findings deserve a look, most severe first. */
export const SEVERITIES = ['high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The pack name of the detections shipped with Audit Lens; a pack read from a file is named by its path. */
export const BUILTIN_PACK = 'builtin';

/** A parameter's value: a string, number or boolean, or a list of them. */
export type ParameterScalar = string | number | boolean;
export type ParameterValue = ParameterScalar | readonly ParameterScalar[];

/** A named value the SQL refers to as `{{name}}`, expanded to a quoted SQL literal or list. */
export interface DetectionParameter {
  default: ParameterValue;
  description?: string;
}

/**
 * Records a detection is tested on, each the JSON text of one delivered line: loaded together, the
 * `fires` records must give at least one row and the `quiet` ones (near misses) none.
 */
export interface DetectionTests {
  fires: readonly string[];
  quiet: readonly string[];
}

/** Comparison operators of a Databricks SQL alert, as symbols. */
export const ALERT_OPERATORS = ['>', '>=', '<', '<=', '==', '!='] as const;
export type AlertOperator = (typeof ALERT_OPERATORS)[number];

/** A Databricks SQL alert's condition: a finding is each row whose `column` compares so with `value`. */
export interface AlertCondition {
  column: string;
  op: AlertOperator;
  value: string | number | boolean;
}

/** A security detection: an analysis whose rows are findings. */
export interface Detection extends Analysis {
  category: 'detection';
  rationale: string;
  severity: Severity;
  /**
   * Every serviceName a row it returns can have: a run loads only lines of these services. Its SQL
   * filters on exactly these (a test keeps the two in step for the built-ins). Empty when the
   * detection does not say (a published query): a run that includes it loads every service.
   */
  services: readonly string[];
  /** Where it comes from: `builtin`, or the path of the pack file it was read from. */
  pack: string;
  /** The SQL as written, `{{name}}` placeholders and all; `sql` is what runs (defaults expanded, alert applied). */
  sqlTemplate: string;
  parameters: Readonly<Record<string, DetectionParameter>>;
  /** MITRE ATT&CK technique ids such as `T1078` or `T1110.001`. */
  mitre: readonly string[];
  /** URLs that explain the threat or the query. */
  references: readonly string[];
  tests: DetectionTests;
  /** A published alert's condition, applied to the query's rows. */
  alert?: AlertCondition;
}
