/**
 * The three ways the dialect reads a value at a JSON path of a column (or of any JSON or JSONB
 * expression): the one place these expressions are written, so that the values the table keeps
 * ahead of time (hot-columns.ts) are exactly what a query would compute.
 */
import { sqliteString } from './lex';

/** How a path's value is read: as is, as Databricks reads a `requestParams` key, or as a top-level output value. */
export type JsonReadForm = 'value' | 'map' | 'marked';

export function jsonRead(form: JsonReadForm, json: string, path: readonly string[]): string {
  return form === 'map' ? mapValue(json, path) : form === 'marked' ? markedValue(json, path) : jsonExtract(json, path);
}

function jsonExtract(json: string, path: readonly string[]): string {
  return `json_extract(${json}, ${jsonPathLiteral(path)})`;
}

function jsonPathLiteral(path: readonly string[]): string {
  return sqliteString('$' + path.map((key) => `."${key}"`).join(''));
}

/**
 * A `requestParams` value read the way Databricks reads it (`requestParams map<string,string>`,
 * and Spark's inferred type whenever a key holds strings in some records): a string as is, any
 * other value as its JSON text (`13` → '13', `true` → 'true', `{"a":1}` → '{"a":1}'), JSON null
 * or a missing key as NULL. Delivered logs hold strings; this keeps the odd record in the same
 * group, and in the same comparisons, as its string-valued neighbours.
 */
function mapValue(json: string, path: readonly string[]): string {
  const p = jsonPathLiteral(path);
  return `CASE json_type(${json}, ${p}) WHEN 'text' THEN json_extract(${json}, ${p}) WHEN 'null' THEN NULL ELSE ${json} -> ${p} END`;
}

/**
 * A top-level output value: objects and arrays as marked JSON text (so the engine can tell them
 * from strings), integers past SQLite's 64 bits as their exact digits, anything else as is.
 * The value's type is the CASE's operand, so a row reads it once (as two WHENs it read it twice).
 */
function markedValue(json: string, path: readonly string[]): string {
  const p = jsonPathLiteral(path);
  const value = `json_extract(${json}, ${p})`;
  return `CASE json_type(${json}, ${p}) WHEN 'object' THEN char(30) || ${value} WHEN 'array' THEN char(30) || ${value} WHEN 'integer' THEN CASE typeof(${value}) WHEN 'real' THEN ${json} -> ${p} ELSE ${value} END ELSE ${value} END`;
}
