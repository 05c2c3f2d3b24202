/**
 * A line prefilter: the serviceName values every row a query can read has (and, per statement,
 * what its actionName must be or contain), turned into a text test that rejects a delivered line
 * before it is parsed. The test is sound: a line it rejects cannot load as a row any of the
 * statements reads.
 */

export interface LinePrefilter {
  /**
   * A row any of the statements reads has one of these serviceName values. Absent when some
   * statement reads rows of any service: `statements` (then present) decide alone.
   */
  serviceNames?: string[];
  /** Narrower, per statement: a row is read only if it matches one of these (they then decide alone). */
  statements?: StatementFilter[];
}

/** A record's value at `path` (audit_logs names, e.g. `userIdentity.email`, `sourceIPAddress`, `requestParams.user`) is one of `values`. */
export interface FieldFilter {
  path: string;
  values: string[];
}

/** What a row one statement reads looks like. */
export interface StatementFilter {
  /** Its serviceName is one of these; absent: any service. */
  serviceNames?: string[];
  /** Its value at each path is one of that filter's values. */
  fields?: FieldFilter[];
  /** When present, its actionName is one of these. */
  actionNames?: string[];
  /** Its actionName contains each of these (from LIKE patterns). */
  actionContains?: string[];
  /** Its actionName is LIKE each of these patterns (as Spark reads the literals); the tests use `actionContains`. */
  actionLike?: string[];
  /**
   * Its actionName is none of these (a notebook slice adding a service's other actions). Only the
   * line index and parsed names can tell; the text test ignores it, so it may let such lines through.
   */
  exceptActions?: string[];
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

/** A `\u` escape could spell any name: only parsing can tell what such a line holds. */
export const JSON_UNICODE_ESCAPE = '\\u';

interface CompiledStatement {
  services: string[];
  actions: string[] | undefined;
  fragments: string[];
  except: string[];
}

/**
 * A prefilter compiled once, tested three ways with the same logic: on a line's text, on its raw
 * bytes (through `has`, which says whether the line holds a needle), and on the names a scan
 * found in a parsed line.
 */
export interface CompiledPrefilter {
  /** Every text the test may ask about, `\u` included. */
  needles: string[];
  /** Needles of which every line the test admits holds at least one (the services and `\u`). */
  anchors: string[];
  /** Whether a line holding exactly the needles `has` admits may hold a matching record. */
  mayMatch(has: (needle: string) => boolean): boolean;
  /**
   * Whether a record with exactly this serviceName and actionName (null when it has none) may be
   * read. Only for names parsed from a line without `\u` escapes or repeated keys.
   */
  namesMatch(service: string, action: string | null): boolean;
}

/**
 * The compiled prefilter, or undefined when it cannot be applied soundly (a service name that is
 * not searchable). Action names or fragments that are not searchable are ignored, not trusted.
 */
export function compilePrefilter(prefilter: LinePrefilter): CompiledPrefilter | undefined {
  if (prefilter.serviceNames === undefined) return undefined;
  const services = [...new Set(prefilter.serviceNames)];
  if (!services.every(isSearchableName)) return undefined;
  let statements: CompiledStatement[] | undefined;
  if (prefilter.statements !== undefined) {
    statements = [];
    for (const statement of prefilter.statements) {
      const compiled = compileStatement(statement);
      if (!compiled) return undefined;
      statements.push(compiled);
    }
  }
  const needles = new Set([JSON_UNICODE_ESCAPE, ...services]);
  for (const s of statements ?? []) for (const text of [...s.services, ...(s.actions ?? []), ...s.fragments]) needles.add(text);
  const anyOf = (names: readonly string[], has: (needle: string) => boolean) => names.some(has);
  const statementMayMatch = (s: CompiledStatement, has: (needle: string) => boolean) =>
    anyOf(s.services, has) && (s.actions === undefined || anyOf(s.actions, has)) && s.fragments.every(has);
  return {
    needles: [...needles],
    anchors: [JSON_UNICODE_ESCAPE, ...services],
    mayMatch: (has) => has(JSON_UNICODE_ESCAPE) || (statements ? statements.some((s) => statementMayMatch(s, has)) : anyOf(services, has)),
    namesMatch: (service, action) => {
      if (!statements) return services.includes(service);
      return statements.some(
        (s) =>
          s.services.includes(service) &&
          (s.actions === undefined || (action !== null && s.actions.includes(action))) &&
          (s.fragments.length === 0 || (action !== null && s.fragments.every((f) => action.includes(f)))) &&
          (action === null || !s.except.includes(action)),
      );
    },
  };
}

/** The text test of a prefilter, or undefined when it cannot be applied soundly. */
export function compileLineTest(prefilter: LinePrefilter): LineTest | undefined {
  const compiled = compilePrefilter(prefilter);
  return compiled && ((text) => compiled.mayMatch((needle) => text.includes(needle)));
}

function compileStatement(statement: StatementFilter): CompiledStatement | undefined {
  if (statement.serviceNames === undefined || !statement.serviceNames.every(isSearchableName)) return undefined;
  const actions = statement.actionNames?.every(isSearchableName) ? [...new Set(statement.actionNames)] : undefined;
  return { services: [...new Set(statement.serviceNames)], actions, fragments: (statement.actionContains ?? []).filter(isSearchableFragment), except: statement.exceptActions ?? [] };
}
