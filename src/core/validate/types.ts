export type Severity = 'error' | 'warning' | 'information';

/**
 * One problem found in an audit-log line. Positions are 1-based: `line` is the physical line in the
 * file, `column` and `endColumn` (exclusive) count UTF-16 code units of that line, as editors do.
 * Subtract 1 from each for VS Code's 0-based `Position`.
 */
export interface Finding {
  file: string;
  line: number;
  column: number;
  endColumn: number;
  severity: Severity;
  code: FindingCode;
  message: string;
}

export type FindingCode =
  | 'invalid-json'
  | 'nul-byte'
  | 'invalid-utf8'
  | 'line-too-long'
  | 'not-object'
  | 'missing-field'
  | 'wrong-type'
  | 'bad-audit-level'
  | 'bad-workspace-id'
  | 'workspace-mismatch'
  | 'date-mismatch'
  | 'unsafe-integer'
  | 'duplicate-key'
  | 'key-casing'
  | 'unknown-service'
  | 'unknown-action'
  | 'undocumented-param'
  | 'non-string-param'
  | 'truncated-value'
  | 'truncated-params'
  | 'bom'
  | 'schema'
  /** The file (not a line) could not be read, or not to its end; line and column are 0. */
  | 'unreadable'
  /** The file is compressed or not UTF-8 text: reported once, on line 1. */
  | 'not-text';

/** What a line is expected to hold, from where it was read. */
export interface LineContext {
  /** Shown in findings: a path or URI. */
  file: string;
  /** 1-based physical line number. */
  line: number;
  /** From the `workspaceId=` folder, when the file sits in the delivery layout. */
  expectedWorkspaceId?: string;
  /** From the `date=` folder (yyyy-mm-dd, UTC). */
  expectedDate?: string;
}

export type FileContext = Omit<LineContext, 'line'>;

export interface LineValidation {
  /** True when the line is a JSON object: it is loaded as a record, whatever its findings. */
  isRecord: boolean;
  findings: Finding[];
  /** The parsed record, when the line is one. */
  value?: Record<string, unknown>;
}

/** Per-file counts: `lines` (non-blank lines read) = `records` + `rejected`, always. */
export interface ValidationSummary {
  lines: number;
  records: number;
  rejected: number;
  errors: number;
  warnings: number;
  information: number;
}

export interface ValidationResult {
  file: string;
  summary: ValidationSummary;
  /** Every finding, in line order (empty when the caller took them through `onFindings`). */
  findings: Finding[];
}

export function emptySummary(): ValidationSummary {
  return { lines: 0, records: 0, rejected: 0, errors: 0, warnings: 0, information: 0 };
}

export function countFinding(summary: ValidationSummary, finding: Finding): void {
  if (finding.severity === 'error') summary.errors++;
  else if (finding.severity === 'warning') summary.warnings++;
  else summary.information++;
}

export function addSummary(into: ValidationSummary, from: ValidationSummary): void {
  into.lines += from.lines;
  into.records += from.records;
  into.rejected += from.rejected;
  into.errors += from.errors;
  into.warnings += from.warnings;
  into.information += from.information;
}
