/**
 * A line prefilter: the serviceName values every row a query can read has (and, per statement,
 * what its actionName must be or contain), turned into a text test that rejects a delivered line
 * before it is parsed. The test is sound: a line it rejects cannot load as a row any of the
 * statements reads.
 */

export interface LinePrefilter {
  /** A row any of the statements reads has one of these serviceName values. */
  serviceNames: string[];
  /** Narrower, per statement: a row is read only if it matches one of these (they then decide alone). */
  statements?: StatementFilter[];
}

/** What a row one statement reads looks like. */
export interface StatementFilter {
  /** Its serviceName is one of these. */
  serviceNames: string[];
  /** When present, its actionName is one of these. */
  actionNames?: string[];
  /** Its actionName contains each of these (from LIKE patterns). */
  actionContains?: string[];
}

/** Whether a line may hold a matching record (true) or certainly does not (false). */
export type LineTest = (text: string) => boolean;

/** Characters a JSON string may escape other than with `\u`, and JSON's structural characters. */
const ESCAPED_OR_STRUCTURAL = /["\\/\u0000-\u001f]/;

/**
 * Whether every JSON value that loads into a TEXT column as exactly `name` spells `name` in the
 * line's text, or else holds a `\u` escape. It does unless the name needs an escape of its own
 * (`"`, `\`, `/`, control characters) or could be the text of a non-string value: numbers and
 * booleans load as digits (`1e2` as `100.0`, `true` as `1`, huge numbers as `Inf`), objects and
 * arrays as re-serialized JSON.
 */
export function isSearchableName(name: string): boolean {
  if (ESCAPED_OR_STRUCTURAL.test(name)) return false;
  return !/^([-+.\d\s[{]|Inf|NaN)/.test(name);
}

/**
 * Whether a text that a TEXT column's value contains must appear in the line holding it (or the
 * line holds a `\u` escape): ASCII letters and digits only — so no escapes and no JSON structure
 * re-serialized differently — with a letter that no number's or boolean's text has.
 */
export function isSearchableFragment(text: string): boolean {
  return /^[A-Za-z0-9]+$/.test(text) && /[b-dg-mo-zA-DF-HJ-MO-Z]/.test(text);
}

const JSON_UNICODE_ESCAPE = '\\u';

interface CompiledStatement {
  services: string[];
  actions: string[] | undefined;
  fragments: string[];
}

/**
 * The text test of a prefilter, or undefined when it cannot be applied soundly (a service name
 * that is not searchable). Action names or fragments that are not searchable are ignored, not
 * trusted.
 */
export function compileLineTest(prefilter: LinePrefilter): LineTest | undefined {
  const services = [...new Set(prefilter.serviceNames)];
  if (!services.every(isSearchableName)) return undefined;
  const containsAny = (text: string, names: readonly string[]) => names.some((name) => text.includes(name));
  // A \u escape could spell any name: only parsing can tell.
  if (prefilter.statements === undefined) return (text) => text.includes(JSON_UNICODE_ESCAPE) || containsAny(text, services);
  const statements: CompiledStatement[] = [];
  for (const statement of prefilter.statements) {
    const compiled = compileStatement(statement);
    if (!compiled) return undefined;
    statements.push(compiled);
  }
  const matches = (text: string, s: CompiledStatement) =>
    containsAny(text, s.services) && (s.actions === undefined || containsAny(text, s.actions)) && s.fragments.every((f) => text.includes(f));
  return (text) => text.includes(JSON_UNICODE_ESCAPE) || statements.some((s) => matches(text, s));
}

function compileStatement(statement: StatementFilter): CompiledStatement | undefined {
  if (!statement.serviceNames.every(isSearchableName)) return undefined;
  const actions = statement.actionNames?.every(isSearchableName) ? [...new Set(statement.actionNames)] : undefined;
  return { services: [...new Set(statement.serviceNames)], actions, fragments: (statement.actionContains ?? []).filter(isSearchableFragment) };
}
