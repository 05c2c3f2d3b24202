/**
 * Detections as Databricks SQL queries and alerts: for each detection, the request that saves
 * its SQL as a query and the request that alerts on that query's result. The query text is the
 * warehouse engine's statement for the detection, so `audit_logs` and `system_access_audit` mean
 * on the warehouse what they mean there, and a rule proven locally deploys unchanged.
 *
 * A published alert keeps its own condition (`column op value`), which Databricks compares on
 * the first row of the result. A detection without one has every row as a finding: its query
 * gains a column, `audit_lens_findings`, counting the rows (`COUNT(*) OVER ()`), and the alert
 * triggers when that count is above 0; with no rows the alert is OK.
 */
import type { AlertCondition, AlertOperator, Detection } from '../../analyses/types';
import { expandParameters } from '../../detections/parameters';
import { AuditLensError } from '../../errors';
import { warehouseStatement, type WarehouseScope } from '../statement';
import { QUERY_ID_PLACEHOLDER, type AlertApiCondition, type AlertApiOperator, type AlertApiValue, type CreateAlertRequest, type CreateQueryRequest } from './requests';

/** The column that counts a detection's findings, when it has no alert of its own. */
export const FINDINGS_COLUMN = 'audit_lens_findings';

/** Where `audit_logs` is on the warehouse: the delivery path(s), or a table. No dates or workspaces: an alert reads the logs as they arrive. */
export type AlertScope = Pick<WarehouseScope, 'sources' | 'auditTable'>;

export interface AlertExportOptions {
  scope: AlertScope;
  warehouseId?: string;
}

export interface ExportedDetection {
  detection: Detection;
  /** The stem of its two files, unique in the export (case aside). */
  name: string;
  query: CreateQueryRequest;
  alert: CreateAlertRequest;
  /** The alert's condition, as written in the index. */
  condition: string;
}

const OPERATORS: Readonly<Record<AlertOperator, AlertApiOperator>> = {
  '>': 'GREATER_THAN',
  '>=': 'GREATER_THAN_OR_EQUAL',
  '<': 'LESS_THAN',
  '<=': 'LESS_THAN_OR_EQUAL',
  '==': 'EQUAL',
  '!=': 'NOT_EQUAL',
};

const NUMBER = /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/** The threshold as the API types it: published alerts write numbers as text (`"1"`). */
function thresholdValue(value: AlertCondition['value']): AlertApiValue {
  if (typeof value === 'boolean') return { bool_value: value };
  if (typeof value === 'number') return { double_value: value };
  return NUMBER.test(value.trim()) ? { double_value: Number(value.trim()) } : { string_value: value };
}

function withoutTrailingSemicolons(sql: string): string {
  return sql.replace(/[\s;]+$/, '');
}

/** The detection's rows, each with the number of rows as `audit_lens_findings`. */
export function findingsQuery(sql: string): string {
  return `SELECT detection_rows.*, COUNT(*) OVER () AS ${FINDINGS_COLUMN}\nFROM (\n${withoutTrailingSemicolons(sql)}\n) AS detection_rows`;
}

/** The SQL whose result the alert reads: a published alert's query as written, else the rows counted. */
function alertedSql(detection: Detection): string {
  // `sql` already filters a published alert's rows by its condition; Databricks applies the condition itself.
  if (detection.alert) return expandParameters(detection.sqlTemplate, detection.parameters);
  return findingsQuery(detection.sql);
}

function condition(detection: Detection): { api: AlertApiCondition; text: string } {
  const alert = detection.alert;
  if (!alert) {
    return {
      api: { op: 'GREATER_THAN', operand: { column: { name: FINDINGS_COLUMN } }, threshold: { value: { double_value: 0 } }, empty_result_state: 'OK' },
      text: `${FINDINGS_COLUMN} > 0`,
    };
  }
  return {
    api: { op: OPERATORS[alert.op], operand: { column: { name: alert.column } }, threshold: { value: thresholdValue(alert.value) }, empty_result_state: 'OK' },
    text: `${alert.column} ${alert.op} ${typeof alert.value === 'string' ? JSON.stringify(alert.value) : String(alert.value)}`,
  };
}

/** The warehouse statement for one detection; it names the detection when it cannot be made. */
function queryText(detection: Detection, scope: AlertScope): string {
  const sql = alertedSql(detection);
  let statement;
  try {
    statement = warehouseStatement(sql, { sources: scope.sources, ...(scope.auditTable ? { auditTable: scope.auditTable } : {}) });
  } catch (error) {
    const e = AuditLensError.from(error);
    const nowhere = scope.sources.length === 0 && !scope.auditTable;
    if (nowhere && readsAuditLogsOnceGiven(sql)) {
      throw new AuditLensError('usage', `Detection '${detection.id}' reads audit_logs, so the export needs where the warehouse finds the logs: the gs:// path they are delivered to, or a table that holds them.`, undefined, { cause: error });
    }
    throw new AuditLensError(e.code, `Detection '${detection.id}': ${e.userMessage}`, e.detail, { cause: error });
  }
  // No dates or workspaces in the scope, so the statement has no parameters to carry.
  if (statement.parameters.length > 0) throw new AuditLensError('internal', `Detection '${detection.id}': the warehouse statement has parameters an exported query cannot carry.`);
  return statement.statement;
}

/** Whether the SQL maps once `audit_logs` has somewhere to read from: then that was all it lacked. */
function readsAuditLogsOnceGiven(sql: string): boolean {
  try {
    warehouseStatement(sql, { sources: [], auditTable: 'audit_logs' });
    return true;
  } catch {
    return false;
  }
}

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '{': '&#123;', '}': '&#125;' };

/** Text in a notification body: HTML-escaped, and braces too, so it never reads as a template variable. */
function bodyText(text: string): string {
  return text.replace(/[&<>"{}]/g, (c) => HTML_ESCAPES[c]!);
}

/** Text in a notification subject, where HTML means nothing but braces still would. */
function subjectText(text: string): string {
  return text.replace(/[{}]/g, '');
}

function description(detection: Detection, conditionText: string): string {
  const facts = [
    `Severity: ${detection.severity}.`,
    `Pack: ${detection.pack}.`,
    ...(detection.mitre.length > 0 ? [`MITRE ATT&CK: ${detection.mitre.join(', ')}.`] : []),
    ...(detection.references.length > 0 ? [`References: ${detection.references.join(' ')}`] : []),
  ];
  const how = detection.alert
    ? `The alert triggers when ${conditionText} on the first row (the published alert's condition).`
    : `Each row is a finding; ${FINDINGS_COLUMN} counts them and the alert triggers when it is above 0.`;
  return [detection.question, detection.rationale, facts.join(' '), `Exported by Audit Lens from detection ${detection.id}. ${how}`].join('\n\n');
}

/** A file name stem for each id: letters, digits, '.', '_' and '-'; made unique ignoring case. */
function fileNames(ids: readonly string[]): string[] {
  const used = new Set<string>();
  return ids.map((id) => {
    const base = id.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._-]+/, '') || 'detection';
    let name = base;
    for (let n = 2; used.has(name.toLowerCase()); n++) name = `${base}-${n}`;
    used.add(name.toLowerCase());
    return name;
  });
}

/** The query and alert requests of each detection, in the library's order. */
export function exportAlerts(detections: readonly Detection[], options: AlertExportOptions): ExportedDetection[] {
  const names = fileNames(detections.map((d) => d.id));
  return detections.map((detection, i) => {
    const { api, text } = condition(detection);
    const displayName = `${detection.title} (${detection.id})`;
    const query: CreateQueryRequest = {
      query: {
        display_name: displayName,
        query_text: queryText(detection, options.scope),
        ...(options.warehouseId ? { warehouse_id: options.warehouseId } : {}),
        description: description(detection, text),
      },
    };
    const alert: CreateAlertRequest = {
      alert: {
        display_name: displayName,
        query_id: QUERY_ID_PLACEHOLDER,
        condition: api,
        custom_subject: `[${detection.severity.toUpperCase()}] ${subjectText(detection.title)}: {{ALERT_STATUS}}`,
        custom_body: `<p>${bodyText(detection.question)}</p>\n<p>${bodyText(detection.rationale)}</p>\n{{QUERY_RESULT_TABLE}}\n<p><a href="{{QUERY_URL}}">Query</a> · <a href="{{ALERT_URL}}">Alert</a></p>`,
      },
    };
    return { detection, name: names[i]!, query, alert, condition: text };
  });
}
