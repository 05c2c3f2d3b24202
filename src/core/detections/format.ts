/**
 * Audit Lens' detection format (schema/detection.schema.json; several in one file:
 * schema/detection-pack.schema.json), checked by Ajv and turned into the Detection every
 * consumer uses.
 */
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import detectionSchema from '../../../schema/detection.schema.json';
import packSchema from '../../../schema/detection-pack.schema.json';
import type { Detection, DetectionParameter, Severity } from '../analyses/types';
import type { PackDocument } from './document';
import { fieldName, packError } from './errors';
import { expandParameters, placeholders } from './parameters';

interface Validators {
  detection: ValidateFunction;
  pack: ValidateFunction;
}

let compiled: Validators | undefined;

function validators(): Validators {
  if (!compiled) {
    const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true });
    ajv.addSchema(detectionSchema);
    compiled = { detection: ajv.getSchema(detectionSchema.$id)!, pack: ajv.compile(packSchema) };
  }
  return compiled;
}

/** A detection as written in a file, once the schema has checked it. */
interface DetectionEntry {
  id: string;
  title: string;
  severity: Severity;
  question: string;
  rationale: string;
  services?: string[];
  sql: string;
  parameters?: Record<string, DetectionParameter>;
  mitre?: string[];
  references?: string[];
  tests?: { fires?: unknown[]; quiet?: unknown[] };
}

function decodePointer(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** What is wrong, in words, and the path of the value it is wrong about. */
function describe(error: ErrorObject): { path: (string | number)[]; message: string } {
  const path = decodePointer(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { path, message: `missing required field '${String(params.missingProperty)}'` };
    case 'additionalProperties':
      return { path: [...path, String(params.additionalProperty)], message: `unknown field (allowed: ${allowedFields(error)})` };
    case 'enum':
      return { path, message: `must be one of ${(params.allowedValues as unknown[]).map(String).join(', ')}` };
    case 'pattern':
      if (path.includes('mitre')) return { path, message: 'must be a MITRE ATT&CK technique id such as T1078 or T1110.001' };
      if (path.includes('references')) return { path, message: 'must be an http(s) URL' };
      if (path[path.length - 1] === 'id') return { path, message: 'must be letters and digits, joined by single ".", "_" or "-"' };
      return { path, message: `must match ${String(params.pattern)}` };
    case 'propertyNames':
      return { path, message: `has a name that is not letters, digits and "_" starting with a letter: '${String(params.propertyName)}'` };
    case 'oneOf':
    case 'type':
      if (path[path.length - 1] === 'default') return { path, message: 'must be a string, number or boolean, or a list of them' };
      if (error.keyword === 'type') return { path, message: `must be ${String(params.type).replace(/,/g, ' or ')}` };
      return { path, message: 'is invalid' };
    default:
      return { path, message: error.message ?? 'is invalid' };
  }
}

function allowedFields(error: ErrorObject): string {
  const schema = error.parentSchema as { properties?: Record<string, unknown> } | undefined;
  return Object.keys(schema?.properties ?? {}).join(', ');
}

/**
 * The most telling error: an unknown field first (a misspelt one also makes a required one
 * missing), and a failing branch of `oneOf` says less than the `oneOf` itself.
 */
function firstError(errors: readonly ErrorObject[]): ErrorObject {
  const candidates = errors.filter((e) => !e.schemaPath.includes('/oneOf/'));
  return candidates.find((e) => e.keyword === 'additionalProperties') ?? candidates[0] ?? errors[0]!;
}

function detectionIdAt(value: unknown, path: readonly (string | number)[], inPack: boolean): string | undefined {
  const entry = inPack && path[0] === 'detections' && typeof path[1] === 'number' ? (value as { detections: unknown[] }).detections[path[1]] : inPack ? undefined : value;
  const id = (entry as { id?: unknown } | undefined)?.id;
  if (typeof id === 'string') return id;
  return inPack && typeof path[1] === 'number' ? `#${path[1] + 1}` : undefined;
}

function failSchema(document: PackDocument, errors: readonly ErrorObject[], inPack: boolean): never {
  const { path, message } = describe(firstError(errors));
  const detection = detectionIdAt(document.value, path, inPack);
  const field = fieldName(inPack && path[0] === 'detections' ? path.slice(2) : path);
  const line = document.lineOf(path);
  throw packError({ file: document.file, ...(line === undefined ? {} : { line }), ...(detection === undefined ? {} : { detection }), ...(field === undefined ? {} : { field }) }, message);
}

/** Whether the file holds Audit Lens' format (one detection, or a pack of them) rather than another shape. */
export function isAuditLensFormat(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && ('id' in value || 'detections' in value || 'sql' in value);
}

/** A test record as the JSON text of one line: an object is written out, a string must hold an object. */
function recordText(record: unknown, fail: (message: string) => never): string {
  if (typeof record !== 'string') return JSON.stringify(record);
  let parsed: unknown;
  try {
    parsed = JSON.parse(record);
  } catch (e) {
    fail(`is not the JSON of an audit record: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) fail('is not the JSON of an audit record (an object)');
  return record;
}

function toDetection(entry: DetectionEntry, document: PackDocument, pack: string, base: (string | number)[]): Detection {
  const fail = (field: (string | number)[], message: string): never => {
    const line = document.lineOf([...base, ...field]);
    throw packError({ file: document.file, ...(line === undefined ? {} : { line }), detection: entry.id, field: fieldName(field)! }, message);
  };
  const parameters = entry.parameters ?? {};
  const used = placeholders(entry.sql);
  const undeclared = used.filter((name) => !Object.prototype.hasOwnProperty.call(parameters, name));
  if (undeclared.length > 0) fail(['sql'], `refers to {{${undeclared[0]}}}, which is not a declared parameter (declared: ${Object.keys(parameters).join(', ') || 'none'})`);
  const unused = Object.keys(parameters).find((name) => !used.includes(name));
  if (unused !== undefined) fail(['parameters', unused], `is declared, but the SQL never refers to {{${unused}}}`);
  const records = (kind: 'fires' | 'quiet') => (entry.tests?.[kind] ?? []).map((record, index) => recordText(record, (message) => fail(['tests', kind, index], message)));
  return {
    id: entry.id,
    category: 'detection',
    title: entry.title,
    severity: entry.severity,
    question: entry.question,
    rationale: entry.rationale,
    services: entry.services ?? [],
    pack,
    sqlTemplate: entry.sql,
    sql: expandParameters(entry.sql, parameters),
    parameters,
    mitre: entry.mitre ?? [],
    references: entry.references ?? [],
    tests: { fires: records('fires'), quiet: records('quiet') },
  };
}

/** The detections of a file in Audit Lens' format: one detection, or a pack (`detections: [...]`). */
export function readAuditLensFormat(document: PackDocument, pack: string): Detection[] {
  const inPack = typeof document.value === 'object' && document.value !== null && 'detections' in document.value;
  const validate = inPack ? validators().pack : validators().detection;
  if (!validate(document.value)) failSchema(document, validate.errors ?? [], inPack);
  if (!inPack) return [toDetection(document.value as DetectionEntry, document, pack, [])];
  const entries = (document.value as { detections: DetectionEntry[] }).detections;
  return entries.map((entry, index) => toDetection(entry, document, pack, ['detections', index]));
}
