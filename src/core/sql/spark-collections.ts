/**
 * Spark's array, map, struct and JSON functions over JSON text (an ARRAY is a JSON array, a MAP
 * and a STRUCT a JSON object), with Spark's NULL rules: a NULL argument gives NULL unless Spark
 * says otherwise (size(NULL) is -1, Spark 3's default).
 */
import type { Database, SqlValue } from 'sql.js';
import { array, collection, compareJson, distinct, jsonElement, map, sameValue, sqlValue, stringValue, text } from './spark-values';
import { registerScalar } from './udf';
import { JSON_VALUE_MARK } from './dialect';
import { CAST_TYPES } from './dialect/calls';
import { sparkCast } from './spark-cast';

const MAX_VARIADIC_ARGS = 32;
const json = (value: unknown): string => JSON.stringify(value);
const key = (value: unknown): string => JSON.stringify(value);

export function registerCollectionFunctions(db: Database): void {
  registerExisting(db);
  registerArrays(db);
  registerMaps(db);
  registerJson(db);
}

function registerExisting(db: Database): void {
  // -1 for NULL: Spark 3.x's default (spark.sql.legacy.sizeOfNull=true, ANSI mode off).
  const size = (value: SqlValue): SqlValue => {
    if (value === null) return -1;
    const parsed = collection('size', value);
    return Array.isArray(parsed) ? parsed.length : Object.keys(parsed).length;
  };
  registerScalar(db, 'size', 1, 1, size);
  registerScalar(db, 'cardinality', 1, 1, size);
  registerScalar(db, 'array_size', 1, 1, (value) => (value === null ? null : array('array_size', value).length));
  registerScalar(db, 'array_contains', 2, 2, (value, wanted) => {
    if (value === null || wanted === null) return null;
    const elements = array('array_contains', value);
    if (elements.some((e) => sameValue(e, wanted))) return true;
    return elements.includes(null) ? null : false;
  });
  registerScalar(db, 'array_join', 2, 3, (value, separator, nullReplacement = null) => {
    if (value === null || separator === null) return null;
    const elements = array('array_join', value).flatMap((e) => (e === null ? (nullReplacement === null ? [] : [text(nullReplacement)]) : [typeof e === 'string' ? e : JSON.stringify(e)]));
    return elements.join(text(separator));
  });
  registerScalar(db, 'array_distinct', 1, 1, (value) => (value === null ? null : json(distinct(array('array_distinct', value)))));
  registerScalar(db, 'sort_array', 1, 2, (value, ascending = 1) => {
    if (value === null) return null;
    // Spark puts NULLs first in ascending order and last in descending order.
    const sorted = [...array('sort_array', value)].sort(compareJson);
    return json(Number(ascending) ? sorted : sorted.reverse());
  });
}

function registerArrays(db: Database): void {
  registerScalar(db, 'array', 0, MAX_VARIADIC_ARGS, (...values) => json(values.map(jsonElement)));
  const pair = (name: string, combine: (a: unknown[], b: unknown[]) => unknown) => (a: SqlValue, b: SqlValue) =>
    a === null || b === null ? null : (combine(array(name, a), array(name, b)) as SqlValue | boolean);
  registerScalar(db, 'array_except', 2, 2, pair('array_except', (a, b) => {
    const drop = new Set(b.map(key));
    return json(distinct(a).filter((e) => !drop.has(key(e))));
  }));
  registerScalar(db, 'array_intersect', 2, 2, pair('array_intersect', (a, b) => {
    const keep = new Set(b.map(key));
    return json(distinct(a).filter((e) => keep.has(key(e))));
  }));
  registerScalar(db, 'array_union', 2, 2, pair('array_union', (a, b) => json(distinct([...a, ...b]))));
  // true when a non-NULL element is shared; NULL when not but both are non-empty and one holds NULL.
  registerScalar(db, 'arrays_overlap', 2, 2, pair('arrays_overlap', (a, b) => {
    const other = new Set(b.filter((e) => e !== null).map(key));
    if (a.some((e) => e !== null && other.has(key(e)))) return true;
    return a.length > 0 && b.length > 0 && (a.includes(null) || b.includes(null)) ? null : false;
  }));
  registerScalar(db, 'array_position', 2, 2, (value, wanted) => {
    if (value === null || wanted === null) return null;
    return array('array_position', value).findIndex((e) => sameValue(e, wanted)) + 1;
  });
  registerScalar(db, 'array_remove', 2, 2, (value, unwanted) =>
    value === null || unwanted === null ? null : json(array('array_remove', value).filter((e) => !sameValue(e, unwanted))),
  );
  const extreme = (name: string, sign: number) => (value: SqlValue) => {
    if (value === null) return null;
    const elements = array(name, value).filter((e) => e !== null);
    if (elements.length === 0) return null;
    return sqlValue(elements.reduce((best, e) => (sign * compareJson(e, best) > 0 ? e : best)));
  };
  registerScalar(db, 'array_max', 1, 1, extreme('array_max', 1));
  registerScalar(db, 'array_min', 1, 1, extreme('array_min', -1));
  registerScalar(db, 'slice', 3, 3, (value, start, length) => {
    if (value === null || start === null || length === null) return null;
    const elements = array('slice', value);
    const s = Number(start);
    if (s === 0) throw new Error('slice: the start index must not be 0 (it counts from 1, or from the end when negative)');
    if (Number(length) < 0) throw new Error('slice: the length must not be negative');
    const from = s > 0 ? s - 1 : elements.length + s;
    return from < 0 ? '[]' : json(elements.slice(from, from + Number(length)));
  });
  registerScalar(db, 'flatten', 1, 1, (value) => (value === null ? null : json(array('flatten', value).flatMap((e) => (Array.isArray(e) ? e : [e])))));
  // 0-based; NULL out of range.
  registerScalar(db, 'get', 2, 2, (value, index) => {
    if (value === null || index === null) return null;
    const element = array('get', value)[Number(index)];
    return sqlValue(element);
  });
  // 1-based, negative counts from the end, NULL out of range (ANSI mode off); for a map, the key's value.
  registerScalar(db, 'element_at', 2, 2, (value, at) => {
    if (value === null || at === null) return null;
    const parsed = collection('element_at', value);
    if (!Array.isArray(parsed)) return stringOrValue(parsed[text(at)]);
    const i = Number(at);
    if (i === 0) throw new Error('element_at: the index must not be 0 (arrays count from 1)');
    return sqlValue(parsed[i > 0 ? i - 1 : parsed.length + i]);
  });
  // array_sort(x) without a comparator: ascending, NULLs last (sort_array puts them first).
  registerScalar(db, 'array_sort', 1, 1, (value) => {
    if (value === null) return null;
    const elements = array('array_sort', value);
    return json([...elements.filter((e) => e !== null).sort(compareJson), ...elements.filter((e) => e === null)]);
  });
  registerScalar(db, 'sequence', 2, 3, (start, stop, step = null) => {
    if (start === null || stop === null) return null;
    const a = Number(start);
    const b = Number(stop);
    const by = step === null ? (b >= a ? 1 : -1) : Number(step);
    if (by === 0 || (b - a) * by < 0) throw new Error('sequence: the step must move from start toward stop');
    const out: number[] = [];
    for (let x = a; by > 0 ? x <= b : x >= b; x += by) out.push(x);
    return json(out);
  });
  registerScalar(db, 'array_repeat', 2, 2, (element, count) => (count === null ? null : json(Array.from({ length: Math.max(0, Number(count)) }, () => jsonElement(element)))));
  registerScalar(db, 'spark_row', 1, MAX_VARIADIC_ARGS, (...values) => (values.some((v) => v === null) ? null : json(values.map(jsonElement))));
}

/** Map values: requestParams is map<string,string>, so its non-string values read as their JSON text. */
function stringOrValue(element: unknown): SqlValue {
  return typeof element === 'object' ? stringValue(element) : sqlValue(element);
}

function registerMaps(db: Database): void {
  registerScalar(db, 'map_keys', 1, 1, (value) => (value === null ? null : json(Object.keys(map('map_keys', value)))));
  registerScalar(db, 'map_values', 1, 1, (value) => (value === null ? null : json(Object.values(map('map_values', value)))));
  registerScalar(db, 'map_contains_key', 2, 2, (value, k) => (value === null || k === null ? null : Object.hasOwn(map('map_contains_key', value), text(k))));
  registerScalar(db, 'map', 0, MAX_VARIADIC_ARGS, (...values) => {
    if (values.length % 2 !== 0) throw new Error('map: expects key, value pairs');
    const out: Record<string, unknown> = {};
    for (let i = 0; i < values.length; i += 2) {
      if (values[i] === null) throw new Error('map: a key cannot be NULL');
      out[text(values[i]!)] = jsonElement(values[i + 1]!);
    }
    return json(out);
  });
  registerScalar(db, 'named_struct', 0, MAX_VARIADIC_ARGS, (...values) => {
    if (values.length % 2 !== 0) throw new Error('named_struct: expects name, value pairs');
    const out: Record<string, unknown> = {};
    for (let i = 0; i < values.length; i += 2) out[text(values[i]!)] = jsonElement(values[i + 1]!);
    return json(out);
  });
}

/** A `from_json` schema: map<…>, array<…>, struct<a: t, …> or the DDL form `a t, b t`. */
type Schema = { kind: 'map' } | { kind: 'array' } | { kind: 'struct'; fields: { name: string; type: string }[] };

function readSchema(schema: string): Schema {
  const s = schema.trim();
  if (/^map\s*</i.test(s)) return { kind: 'map' };
  if (/^array\s*</i.test(s)) return { kind: 'array' };
  const body = /^struct\s*<(.*)>$/is.exec(s)?.[1] ?? s;
  const fields: { name: string; type: string }[] = [];
  let depth = 0;
  let current = '';
  for (const c of body + ',') {
    if (c === '<' || c === '(') depth++;
    if (c === '>' || c === ')') depth--;
    if (c === ',' && depth === 0) {
      const field = /^\s*`?([^`:\s]+)`?\s*:?\s*(.*?)\s*$/s.exec(current);
      if (!field?.[1] || !field[2]) throw new Error(`from_json: cannot read the schema ${JSON.stringify(schema)}`);
      fields.push({ name: field[1], type: field[2].toLowerCase() });
      current = '';
    } else current += c;
  }
  return { kind: 'struct', fields };
}

/** A from_json struct field read as its schema type (scalars cast as Spark's CAST does; nested values kept). */
function fieldValue(value: unknown, type: string): unknown {
  if (value === undefined || value === null) return null;
  const base = type.replace(/[(<].*$/s, '');
  if (!CAST_TYPES.has(base) || typeof value === 'object') return value;
  const cast = sparkCast(typeof value === 'boolean' ? (value ? 'true' : 'false') : (value as SqlValue), type);
  return base === 'boolean' && cast !== null ? cast === 1 : cast;
}

/** Whether text is the JSON of an array or an object. */
function isJsonCollectionText(value: string): boolean {
  const first = value.trimStart()[0];
  if (first !== '[' && first !== '{') return false;
  try {
    JSON.parse(value);
    return true;
  } catch {
    return false;
  }
}

function registerJson(db: Database): void {
  // Written by the dialect around a top-level array, map or struct: marks it as JSON for the results.
  registerScalar(db, 'spark_mark_json', 1, 1, (value) => (value === null ? null : JSON_VALUE_MARK + text(value)));
  // Around a top-level reference to a subquery's or CTE's array, map or struct column: marks the
  // value when it is the JSON text of one, so it prints as it would have at the top level.
  registerScalar(db, 'spark_mark_json_text', 1, 1, (value) => (typeof value === 'string' && isJsonCollectionText(value) ? JSON_VALUE_MARK + value : value));
  registerScalar(db, 'from_json', 2, 3, (value, schema) => {
    if (value === null || schema === null) return null;
    const shape = readSchema(text(schema));
    let parsed: unknown;
    try {
      parsed = JSON.parse(text(value));
    } catch {
      return null; // Spark's PERMISSIVE mode: a malformed record reads as NULL
    }
    if (shape.kind === 'array') return Array.isArray(parsed) ? json(parsed) : null;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
    if (shape.kind === 'map') return json(Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, stringValue(v)])));
    const record = parsed as Record<string, unknown>;
    return json(Object.fromEntries(shape.fields.map((f) => [f.name, fieldValue(record[f.name], f.type)])));
  });
  registerScalar(db, 'to_json', 1, 2, (value) => (value === null ? null : text(value)));
  registerScalar(db, 'json_array_length', 1, 1, (value) => {
    if (value === null) return null;
    try {
      const parsed: unknown = JSON.parse(text(value));
      return Array.isArray(parsed) ? parsed.length : null;
    } catch {
      return null;
    }
  });
  registerScalar(db, 'json_object_keys', 1, 1, (value) => {
    if (value === null) return null;
    try {
      const parsed: unknown = JSON.parse(text(value));
      return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? json(Object.keys(parsed)) : null;
    } catch {
      return null;
    }
  });
  // Databricks' `col:a.b[0]`: the value at the path as a string (objects and arrays as JSON text), NULL when absent.
  registerScalar(db, 'spark_json_path', 2, 2, (value, path) => {
    if (value === null || path === null) return null;
    let current: unknown;
    try {
      current = JSON.parse(text(value));
    } catch {
      return null;
    }
    for (const step of text(path).matchAll(/\."((?:[^"\\]|\\.)*)"|\[(\d+)\]/g)) {
      if (current === null || typeof current !== 'object') return null;
      current = step[2] !== undefined ? (Array.isArray(current) ? current[Number(step[2])] : undefined) : (current as Record<string, unknown>)[step[1]!.replace(/\\(.)/g, '$1')];
    }
    return stringValue(current);
  });
}
