/**
 * The audit-record JSON Schema (schema/audit-record.schema.json, bundled by import so it works
 * from dist/ and from sources alike) and its Ajv validator, compiled once on first use.
 */
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import schemaJson from '../../../schema/audit-record.schema.json';
import { own } from '../own';

export const AUDIT_RECORD_SCHEMA: Readonly<Record<string, unknown>> = schemaJson;

/** One way a value breaks the schema, with its location as path segments (['requestParams', 'x']). */
export interface SchemaIssue {
  /** Path of the offending value; for a missing property, the path of the property that should be there. */
  path: string[];
  keyword: 'required' | 'type' | 'enum' | 'pattern' | 'other';
  message: string;
  /** For `type`: the JSON types the schema allows. */
  allowed?: string[];
}

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  compiled ??= new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schemaJson);
  return compiled;
}

function decodePointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function toIssue(error: ErrorObject): SchemaIssue {
  const path = decodePointer(error.instancePath);
  switch (error.keyword) {
    case 'required': {
      const missing = (error.params as { missingProperty: string }).missingProperty;
      return { path: [...path, missing], keyword: 'required', message: `missing required field ${[...path, missing].join('.')}` };
    }
    case 'type': {
      const type = (error.params as { type: string | string[] }).type;
      const allowed = Array.isArray(type) ? type : type.split(',');
      return { path, keyword: 'type', message: `${path.join('.')} must be ${allowed.join(' or ')}`, allowed };
    }
    case 'enum': {
      const values = (error.params as { allowedValues: unknown[] }).allowedValues.map(String);
      return { path, keyword: 'enum', message: `${path.join('.')} must be one of ${values.join(', ')}` };
    }
    case 'pattern':
      return { path, keyword: 'pattern', message: `${path.join('.')} must contain only digits` };
    default:
      return { path, keyword: 'other', message: `${path.join('.') || 'record'} ${error.message ?? 'is invalid'}` };
  }
}

/** Checks a parsed record against the schema; an empty list means it conforms. */
export function checkRecord(value: unknown): SchemaIssue[] {
  const validate = validator();
  if (validate(value)) return [];
  return (validate.errors ?? []).map(toIssue);
}

interface SchemaNode {
  description?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
}

/** The schema's description of a field by path (['response', 'statusCode']), for hovers and help. */
export function describeField(path: readonly string[]): string | undefined {
  let node: SchemaNode | undefined = schemaJson as SchemaNode;
  for (const segment of path) {
    const next: SchemaNode | boolean | undefined = (node?.properties ? own(node.properties, segment) : undefined) ?? node?.additionalProperties;
    node = typeof next === 'object' ? next : undefined;
  }
  return node?.description;
}

/** Names of the record's top-level fields that the schema describes. */
export function knownTopLevelFields(): string[] {
  return Object.keys((schemaJson as SchemaNode).properties ?? {});
}
