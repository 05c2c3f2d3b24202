/**
 * A line prefilter: per statement, the serviceName values every row it reads has, what its
 * actionName must be or contain, and the values other fields must have or start with, turned into
 * a text test that rejects a delivered line before it is parsed. The test is sound: a line it
 * rejects cannot load as a row any of the statements reads.
 */
import { RECORD_COLUMNS } from '../schema';
import type { FieldText } from './record-fields';

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

/** A record's value at `path` starts with `prefix` (case-sensitive, as Spark's LIKE '<prefix>%'). */
export interface FieldPrefixFilter {
  path: string;
  prefix: string;
}

/** What a row one statement reads looks like. */
export interface StatementFilter {
  /** Its serviceName is one of these; absent: any service. */
  serviceNames?: string[];
  /** Its value at each path is one of that filter's values. */
  fields?: FieldFilter[];
  /** Its value at each path starts with that filter's prefix. */
  fieldPrefixes?: FieldPrefixFilter[];
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

/**
 * The prefilter of rows any of these statements reads: their services together (none when one
 * reads any service), and the statements themselves when one of them narrows further.
 */
export function prefilterOf(statements: readonly StatementFilter[]): LinePrefilter {
  const anyService = statements.some((s) => s.serviceNames === undefined);
  const narrower =
    anyService || statements.some((s) => s.actionNames !== undefined || s.actionContains !== undefined || s.actionLike !== undefined || s.fields !== undefined || s.fieldPrefixes !== undefined);
  const serviceNames = [...new Set(statements.flatMap((s) => s.serviceNames ?? []))].sort();
  return { ...(anyService ? {} : { serviceNames }), ...(narrower ? { statements: [...statements] } : {}) };
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

/** Texts a number, a boolean, a JSON null or a JSON object or array may load as (SQLite's, JavaScript's or JSON's spelling). */
const NON_STRING_TEXT = /^(?:[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?|[-+]?(?:inf|infinity|nan)|true|false|null|[[{][^]*)$/i;

/**
 * Whether every JSON value a field loads as exactly `value` (and compares equal to it as a
 * string) spells `value` in the line's text, or else holds a `\u` escape: like a name, but a
 * value may start with a digit (IP addresses, UUIDs) as long as it is not the whole text of a
 * number. The empty text is not: every line holds it.
 */
export function isSearchableValue(value: string): boolean {
  return value !== '' && !ESCAPED_OR_STRUCTURAL.test(value) && !(NON_STRING_TEXT.test(value) && !isNeverJsonText(value));
}

/**
 * Whether no object or array re-serialized as JSON starts with `text`: outside strings such JSON
 * holds `:` only right after a key's closing quote, so a text with a `:` and no `"` (an IPv6
 * address with a port, `[2001:db8::1]:443`) is never one, nor the start of one.
 */
function isNeverJsonText(text: string): boolean {
  return text.includes(':') && !text.includes('"');
}

/** Lowercase words a number, a boolean or a null loads as, after an optional sign (SQLite's, JavaScript's or JSON's spelling). */
const NON_STRING_WORDS = ['inf', 'infinity', 'nan', 'true', 'false', 'null'];

/**
 * Whether every JSON value a field loads as a text starting with `prefix` spells `prefix` in the
 * line's text, or else holds a `\u` escape: a searchable value (so not the start of re-serialized
 * JSON) that cannot start the text a number or a boolean loads as either (`1.0e+` starts how
 * `1e20` loads, `In` how a huge number does).
 */
export function isSearchablePrefix(prefix: string): boolean {
  if (!isSearchableValue(prefix)) return false;
  if (/^[-+\d.eE]*$/.test(prefix)) return false;
  const unsigned = prefix.replace(/^[-+]/, '').toLowerCase();
  return !NON_STRING_WORDS.some((word) => word.startsWith(unsigned));
}

/** A `\u` escape could spell any name: only parsing can tell what such a line holds. */
export const JSON_UNICODE_ESCAPE = '\\u';

interface CompiledStatement {
  /** Undefined: any service. */
  services: string[] | undefined;
  actions: string[] | undefined;
  fragments: string[];
  except: string[];
  /** Per field filter: the values, one of which the line holds (a prefix filter: its prefix alone). */
  fields: string[][];
  /** The field filters themselves, for a parsed record. */
  fieldFilters: FieldFilter[];
  fieldPrefixes: FieldPrefixFilter[];
  /** Needles of which every line the statement admits holds one. */
  anchors: string[];
}

/**
 * A prefilter compiled once, tested three ways with the same logic: on a line's text, on its raw
 * bytes (through `has`, which says whether the line holds a needle), and on the names a scan
 * found in a parsed line.
 */
export interface CompiledPrefilter {
  /** Every text the test may ask about, `\u` included. */
  needles: string[];
  /** Needles of which every line the test admits holds at least one (each statement's services or one field's values, and `\u`). */
  anchors: string[];
  /** Whether a line holding exactly the needles `has` admits may hold a matching record. */
  mayMatch(has: (needle: string) => boolean): boolean;
  /**
   * The same, when the line's serviceName and actionName are known to be among a few texts each
   * (`services`, `actions`; none: the line has no such field): `has` still answers for the other
   * needles (field values, `\u`).
   */
  mayMatchNames(services: readonly string[], actions: readonly string[], has: (needle: string) => boolean): boolean;
  /** Whether every statement names its services: then a line without a serviceName (and without `\u`) matches none. */
  readonly servicesNamed: boolean;
  /**
   * Whether a record with exactly this serviceName and actionName (null when it has none) may be
   * read. Only for names parsed from a line without `\u` escapes or repeated keys.
   */
  namesMatch(service: string, action: string | null): boolean;
  /**
   * Like `namesMatch`, with the record's field values too (see FieldText: undefined when only
   * SQLite can tell, which never rules a record out).
   */
  recordMatches(service: string, action: string | null, fieldText: (path: string) => FieldText): boolean;
}

/**
 * The compiled prefilter, or undefined when it cannot be applied soundly (a service name that is
 * not searchable, or a statement of any service without a field it can search). Action names,
 * fragments or field values that are not searchable are ignored, not trusted.
 */
export function compilePrefilter(prefilter: LinePrefilter): CompiledPrefilter | undefined {
  if (prefilter.serviceNames !== undefined && !prefilter.serviceNames.every(isSearchableName)) return undefined;
  const filters = prefilter.statements ?? (prefilter.serviceNames ? [{ serviceNames: prefilter.serviceNames }] : undefined);
  if (filters === undefined) return undefined;
  const statements: CompiledStatement[] = [];
  for (const filter of filters) {
    const compiled = compileStatement(filter);
    if (!compiled) return undefined;
    statements.push(compiled);
  }
  const anchors = new Set([JSON_UNICODE_ESCAPE]);
  const needles = new Set([JSON_UNICODE_ESCAPE]);
  for (const s of statements) {
    s.anchors.forEach((text) => anchors.add(text));
    for (const text of [...(s.services ?? []), ...(s.actions ?? []), ...s.fragments, ...s.fields.flat()]) needles.add(text);
  }
  const anyOf = (names: readonly string[], has: (needle: string) => boolean) => names.some(has);
  const statementMayMatch = (s: CompiledStatement, has: (needle: string) => boolean) =>
    (s.services === undefined || anyOf(s.services, has)) && (s.actions === undefined || anyOf(s.actions, has)) && s.fragments.every(has) && s.fields.every((values) => anyOf(values, has));
  const statementNamesMayMatch = (s: CompiledStatement, services: readonly string[], actions: readonly string[], has: (needle: string) => boolean) =>
    (s.services === undefined || services.some((service) => s.services!.includes(service))) &&
    (s.actions === undefined || actions.some((action) => s.actions!.includes(action))) &&
    s.fragments.every((fragment) => actions.some((action) => action.includes(fragment))) &&
    s.fields.every((values) => anyOf(values, has));
  const namesMatch = (s: CompiledStatement, service: string, action: string | null) =>
    (s.services === undefined || s.services.includes(service)) &&
    (s.actions === undefined || (action !== null && s.actions.includes(action))) &&
    (s.fragments.length === 0 || (action !== null && s.fragments.every((f) => action.includes(f)))) &&
    (action === null || !s.except.includes(action));
  const fieldsMatch = (s: CompiledStatement, fieldText: (path: string) => FieldText) =>
    s.fieldFilters.every((field) => {
      const value = fieldText(field.path);
      return value === undefined || (value !== null && field.values.includes(value));
    }) &&
    s.fieldPrefixes.every((field) => {
      const value = fieldText(field.path);
      return value === undefined || (value !== null && value.startsWith(field.prefix));
    });
  return {
    needles: [...needles],
    anchors: [...anchors],
    mayMatch: (has) => has(JSON_UNICODE_ESCAPE) || statements.some((s) => statementMayMatch(s, has)),
    mayMatchNames: (services, actions, has) => has(JSON_UNICODE_ESCAPE) || statements.some((s) => statementNamesMayMatch(s, services, actions, has)),
    servicesNamed: statements.every((s) => s.services !== undefined),
    namesMatch: (service, action) => statements.some((s) => namesMatch(s, service, action)),
    recordMatches: (service, action, fieldText) => statements.some((s) => namesMatch(s, service, action) && fieldsMatch(s, fieldText)),
  };
}

/** The text test of a prefilter, or undefined when it cannot be applied soundly. */
export function compileLineTest(prefilter: LinePrefilter): LineTest | undefined {
  const compiled = compilePrefilter(prefilter);
  return compiled && ((text) => compiled.mayMatch((needle) => text.includes(needle)));
}

function compileStatement(statement: StatementFilter): CompiledStatement | undefined {
  const services = statement.serviceNames && [...new Set(statement.serviceNames)];
  if (services !== undefined && !services.every(isSearchableName)) return undefined;
  const actions = statement.actionNames?.every(isSearchableName) ? [...new Set(statement.actionNames)] : undefined;
  // Only a field the record itself holds: workspaceId and date come from where the file lies.
  const inRecord = (field: { path: string }) => (RECORD_COLUMNS as readonly string[]).includes(field.path.split('.')[0]!);
  const fieldFilters = (statement.fields ?? []).filter(inRecord);
  const fieldPrefixes = (statement.fieldPrefixes ?? []).filter(inRecord);
  const fields = [
    ...fieldFilters.filter((field) => field.values.every(isSearchableValue)).map((field) => [...new Set(field.values)]),
    ...fieldPrefixes.filter((field) => isSearchablePrefix(field.prefix)).map((field) => [field.prefix]),
  ];
  // A field's values are rarer in a file than a service's name: the fewer lines an anchor finds, the better.
  const anchors = fields.length > 0 ? bestAnchor(fields) : services;
  if (anchors === undefined) return undefined;
  return { services, actions, fragments: (statement.actionContains ?? []).filter(isSearchableFragment), except: statement.exceptActions ?? [], fields, fieldFilters, fieldPrefixes, anchors };
}

/** The field whose values make the best anchor: fewest values, then the longest shortest value. */
function bestAnchor(fields: readonly string[][]): string[] {
  const shortest = (values: readonly string[]) => Math.min(...values.map((v) => v.length));
  return [...fields].sort((a, b) => a.length - b.length || shortest(b) - shortest(a))[0]!;
}
