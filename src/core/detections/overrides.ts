/**
 * Parameter values chosen outside a detection's file (a setting, `--param`): checked against the
 * parameters the detection declares, then expanded into its SQL in place of the defaults. The SQL
 * text is never edited: a value only ever becomes a quoted literal.
 */
import { AuditLensError } from '../errors';
import type { Detection, DetectionParameter, ParameterScalar, ParameterValue } from '../analyses/types';
import { applyAlert } from './alert';
import { expandParameters } from './parameters';

/** Values by detection id, then by parameter name. */
export type ParameterOverrides = Readonly<Record<string, Readonly<Record<string, ParameterValue>>>>;

const own = (object: object, key: string) => Object.prototype.hasOwnProperty.call(object, key);

function kindOf(value: ParameterValue): 'list' | 'string' | 'number' | 'boolean' {
  return Array.isArray(value) ? 'list' : (typeof value as 'string' | 'number' | 'boolean');
}

function isScalar(value: unknown): value is ParameterScalar {
  return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

/** The parameter `name` of `detection`, or a usage error naming what exists. */
export function declaredParameter(detection: Detection, name: string): DetectionParameter {
  if (own(detection.parameters, name)) return detection.parameters[name]!;
  const names = Object.keys(detection.parameters);
  throw new AuditLensError('usage', `Detection '${detection.id}' has no parameter '${name}'.`, names.length > 0 ? `Its parameters: ${names.join(', ')}.` : 'It has no parameters.');
}

/** The detection with this id, or a usage error. */
export function detectionNamed(library: readonly Detection[], id: string): Detection {
  const found = library.find((d) => d.id === id);
  if (!found) throw new AuditLensError('usage', `No detection has the id '${id}'.`, `Known ids: ${library.map((d) => d.id).join(', ')}.`);
  return found;
}

/**
 * A value given as data (a setting's JSON) checked against the parameter's default: a list for a
 * list, else the same type; a single value for a list parameter is a list of one.
 */
export function checkedValue(value: unknown, parameter: DetectionParameter, where: string): ParameterValue {
  const expected = kindOf(parameter.default);
  if (expected === 'list') {
    const items = Array.isArray(value) ? (value as unknown[]) : [value];
    const bad = items.find((item) => !isScalar(item));
    if (bad !== undefined || items.some((item) => item === undefined)) throw new AuditLensError('usage', `${where} must be a list of strings, numbers or booleans.`);
    return items as ParameterScalar[];
  }
  if (!isScalar(value) || typeof value !== expected) throw new AuditLensError('usage', `${where} must be a ${expected}, like its default (${JSON.stringify(parameter.default)}).`);
  return value;
}

/**
 * A value written as text (`--param id.name=value`): a list as a JSON array or comma-separated
 * items (an empty text is an empty list), a number or boolean as its literal, a string as is.
 */
export function parsedValue(text: string, parameter: DetectionParameter, where: string): ParameterValue {
  const expected = kindOf(parameter.default);
  if (expected === 'string') return text;
  if (expected === 'number') {
    const n = text.trim() === '' ? Number.NaN : Number(text);
    if (!Number.isFinite(n)) throw new AuditLensError('usage', `${where} must be a number, not '${text}'.`);
    return n;
  }
  if (expected === 'boolean') {
    const word = text.trim().toLowerCase();
    if (word !== 'true' && word !== 'false') throw new AuditLensError('usage', `${where} must be true or false, not '${text}'.`);
    return word === 'true';
  }
  if (text.trim().startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw new AuditLensError('usage', `${where} is not a JSON array: ${e instanceof Error ? e.message : String(e)}`);
    }
    return checkedValue(parsed, parameter, where);
  }
  if (text.trim() === '') return [];
  const numbers = (parameter.default as readonly ParameterScalar[]).length > 0 && (parameter.default as readonly ParameterScalar[]).every((v) => typeof v === 'number');
  return text.split(',').map((item) => {
    const trimmed = item.trim();
    if (!numbers) return trimmed;
    const n = Number(trimmed);
    if (trimmed === '' || !Number.isFinite(n)) throw new AuditLensError('usage', `${where} must be a list of numbers, not '${text}'.`);
    return n;
  });
}

/** The detection running with these values: each becomes the parameter's default, and the SQL is expanded again. */
export function withParameterValues(detection: Detection, values: Readonly<Record<string, ParameterValue>>): Detection {
  const names = Object.keys(values);
  if (names.length === 0) return detection;
  const parameters: Record<string, DetectionParameter> = { ...detection.parameters };
  for (const name of names) parameters[name] = { ...declaredParameter(detection, name), default: values[name]! };
  const expanded = expandParameters(detection.sqlTemplate, parameters);
  return { ...detection, parameters, sql: detection.alert ? applyAlert(expanded, detection.alert) : expanded };
}

/**
 * The library with every override applied. An id no detection has, or a name its detection does
 * not declare, is a usage error; so is a value of the wrong type (`origin` says where it was set).
 */
export function applyParameterOverrides(library: readonly Detection[], overrides: ParameterOverrides, origin = 'Parameter'): Detection[] {
  for (const [id, values] of Object.entries(overrides)) {
    const detection = detectionNamed(library, id);
    for (const [name, value] of Object.entries(values)) checkedValue(value, declaredParameter(detection, name), `${origin} ${id}.${name}`);
  }
  return library.map((detection) => (own(overrides, detection.id) ? withParameterValues(detection, overrides[detection.id]!) : detection));
}
