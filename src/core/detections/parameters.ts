/**
 * Detection parameters: `{{name}}` in a detection's SQL stands for a named value, expanded to a
 * SQL literal that is always quoted (a string) or checked (a number, a boolean), never pasted as
 * text. A list expands to a parenthesized list for `IN`; an empty list to an empty subquery, so
 * `x IN {{list}}` is false and `x NOT IN {{list}}` true, in Spark and here alike.
 */
import { AuditLensError } from '../errors';
import type { DetectionParameter, ParameterScalar, ParameterValue } from '../analyses/types';

const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g;
const EMPTY_LIST = '(SELECT NULL WHERE 1 = 0)';

/** A Spark string literal: single quotes, with backslashes and quotes escaped by a backslash. */
export function stringLiteral(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;
}

function scalarLiteral(value: ParameterScalar, name: string): string {
  if (typeof value === 'string') return stringLiteral(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (!Number.isFinite(value)) throw new AuditLensError('usage', `Parameter '${name}' must be a finite number, not ${value}.`);
  return String(value);
}

/** The SQL text a parameter's value stands for. */
export function parameterLiteral(value: ParameterValue, name: string): string {
  if (!Array.isArray(value)) return scalarLiteral(value as ParameterScalar, name);
  if (value.length === 0) return EMPTY_LIST;
  return `(${value.map((v) => scalarLiteral(v, name)).join(', ')})`;
}

/** The parameter names a SQL template refers to, in order of first use. */
export function placeholders(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

/**
 * The SQL with every `{{name}}` replaced by its value: an override when given, else the default.
 * A name the parameters do not declare is an error.
 */
export function expandParameters(template: string, parameters: Readonly<Record<string, DetectionParameter>>, overrides: Readonly<Record<string, ParameterValue>> = {}): string {
  return template.replace(PLACEHOLDER, (_match, name: string) => {
    const declared = Object.prototype.hasOwnProperty.call(parameters, name) ? parameters[name] : undefined;
    if (!declared) throw new AuditLensError('usage', `The SQL refers to {{${name}}}, which is not a declared parameter.`, `Declared: ${Object.keys(parameters).join(', ') || 'none'}`);
    const value = Object.prototype.hasOwnProperty.call(overrides, name) ? overrides[name]! : declared.default;
    return parameterLiteral(value, name);
  });
}
