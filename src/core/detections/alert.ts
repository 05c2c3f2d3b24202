/**
 * Databricks SQL alert conditions on a query's rows: `column op value`, with `op` spelled as a
 * symbol (`>`) or as the API's word (`GREATER_THAN`). A detection with an alert finds each row
 * where the condition holds: its query becomes a subquery filtered by the condition.
 */
import { ALERT_OPERATORS, type AlertCondition, type AlertOperator } from '../analyses/types';
import { stringLiteral } from './parameters';

const WORDS: Readonly<Record<string, AlertOperator>> = {
  GREATER_THAN: '>',
  GREATER_THAN_OR_EQUAL: '>=',
  LESS_THAN: '<',
  LESS_THAN_OR_EQUAL: '<=',
  EQUAL: '==',
  NOT_EQUAL: '!=',
};

/** Every spelling an alert's `op` may have. */
export const ALERT_OPERATOR_SPELLINGS: readonly string[] = [...ALERT_OPERATORS, ...Object.keys(WORDS)];

/** The operator a spelling stands for, or undefined when it is none. */
export function alertOperator(spelling: string): AlertOperator | undefined {
  const text = spelling.trim();
  if ((ALERT_OPERATORS as readonly string[]).includes(text)) return text as AlertOperator;
  return WORDS[text.toUpperCase()];
}

/** A number written as text compares as a number (alerts store `"1"`); anything else as a string. */
function valueLiteral(value: AlertCondition['value']): string {
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') return String(value);
  const text = value.trim();
  return /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(text) ? text : stringLiteral(value);
}

function quotedIdentifier(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

/** Drops a trailing `;` (and blanks) so the query can stand as a subquery. */
function withoutTrailingSemicolons(sql: string): string {
  return sql.replace(/[\s;]+$/, '');
}

/** The query's rows where the alert's condition holds. */
export function applyAlert(sql: string, alert: AlertCondition): string {
  const op = alert.op === '==' ? '=' : alert.op;
  return `SELECT * FROM (\n${withoutTrailingSemicolons(sql)}\n) AS alert_rows\nWHERE alert_rows.${quotedIdentifier(alert.column)} ${op} ${valueLiteral(alert.value)}`;
}
