/**
 * Derives a line prefilter from the Spark-style SQL a session will run, token by token, only when
 * it is provably sound: every statement is one SELECT over `audit_logs` or `system_access_audit`
 * alone (optionally aliased) whose WHERE clause is a conjunction holding `serviceName = '<literal>'`
 * or `serviceName IN ('<literal>', …)`, or the same on another field read from the line as is
 * (`sessionId`, `userIdentity.email`, `requestParams.user`, … or their system-table names) with
 * values a text search can find, or `<field> LIKE '<prefix>%'` with a prefix one can find;
 * conjuncts `actionName = | IN` and `actionName LIKE '<pattern>'` narrow it per statement, and one
 * parenthesized OR of such conjunctions splits the statement into one filter per branch. Anything else — OR at the top of the WHERE clause, functions,
 * COLLATE, other comparisons, parameters, subqueries, joins, other tables, more than one SELECT,
 * statements that are not SELECTs, SQL that does not tokenize — yields no prefilter.
 */
import { JSON_COLUMNS } from '../dialect';
import { matchingParens } from '../dialect/edits';
import { identifierName, isPunct, isStringToken, sparkStringValue, wordOf, type Token } from '../../../shared/sql/lexer';
import { parseSql, type ParsedSql } from '../query/parse';
import { isSearchableFragment, isSearchableName, isSearchableValue, isSearchablePrefix, prefilterOf, type FieldFilter, type FieldPrefixFilter, type LinePrefilter, type StatementFilter } from './prefilter';

const SERVICE_NAME = 'serviceName';
const ACTION_NAME = 'actionName';

/** What one statement constrains its rows to (an absent field: no constraint found). */
interface Constraints {
  serviceNames?: Set<string>;
  actionNames?: Set<string>;
  /** Texts the actionName contains: the literal runs of its LIKE patterns. */
  actionContains: Set<string>;
  /** Its LIKE patterns, as Spark reads the literals. */
  actionLike: string[];
  /** Other fields' values, by path in audit_logs names (`userIdentity.email`). */
  fields: Map<string, Set<string>>;
  /** Other fields' prefixes (from `LIKE '<prefix>%'`), each one the value must start with. */
  prefixes: FieldPrefixFilter[];
}

/**
 * The prefilter for a set of SQL texts (each may hold several statements): the union of what each
 * statement reads, or undefined when any statement might read a row that neither a known set of
 * services nor a field's searchable values rule out.
 */
export function derivePrefilter(queries: readonly (string | ParsedSql)[]): LinePrefilter | undefined {
  const all: Constraints[] = [];
  for (const query of queries) {
    const parsed = typeof query === 'string' ? parseSql(query) : query;
    if (parsed.problem || parsed.statements.length === 0) return undefined;
    for (const statement of parsed.statements) {
      const constraints = statementConstraints(statement.tokens);
      if (!constraints) return undefined;
      all.push(...constraints);
    }
  }
  if (all.length === 0) return undefined;
  const serviceNames = new Set(all.flatMap((c) => [...(c.serviceNames ?? [])]));
  if (![...serviceNames].every(isSearchableName)) return undefined;
  const statements = all.map(statementFilter);
  if (statements.some((s) => s.serviceNames === undefined && s.fields === undefined && s.fieldPrefixes === undefined)) return undefined;
  return prefilterOf(statements);
}

/** A statement's constraints as a filter, keeping only what a text search can test soundly. */
function statementFilter(constraints: Constraints): StatementFilter {
  const sorted = (values: Iterable<string>) => [...values].sort();
  const actionNames = constraints.actionNames && [...constraints.actionNames].every(isSearchableName) ? sorted(constraints.actionNames) : undefined;
  const actionContains = sorted([...constraints.actionContains].filter(isSearchableFragment));
  const fields: FieldFilter[] = [...constraints.fields]
    .filter(([, values]) => [...values].every(isSearchableValue))
    .map(([path, values]) => ({ path, values: sorted(values) }))
    .sort(byPath);
  const fieldPrefixes = constraints.prefixes.filter((field) => isSearchablePrefix(field.prefix)).sort(byPath);
  return {
    ...(constraints.serviceNames ? { serviceNames: sorted(constraints.serviceNames) } : {}),
    ...(fields.length > 0 ? { fields } : {}),
    ...(fieldPrefixes.length > 0 ? { fieldPrefixes } : {}),
    ...(actionNames ? { actionNames } : {}),
    ...(actionContains.length > 0 ? { actionContains } : {}),
    ...(constraints.actionLike.length > 0 ? { actionLike: [...constraints.actionLike] } : {}),
  };
}

function byPath(a: { path: string }, b: { path: string }): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/** Words that make a statement read something else than the rows of audit_logs its WHERE selects. */
const DISQUALIFYING_WORDS = new Set([
  'with',
  'union',
  'intersect',
  'except',
  'join',
  'values',
  // Row ids change when fewer rows load.
  'rowid',
  'oid',
  '_rowid_',
  // Other tables and views.
  'audit_errors',
  'sqlite_master',
  'sqlite_schema',
  'sqlite_temp_master',
  'sqlite_temp_schema',
]);

/** Functions whose answer changes when fewer rows load; their names are also fields' keys (`requestParams.changes`), so only a call disqualifies. */
const DISQUALIFYING_CALLS = new Set(['last_insert_rowid', 'changes', 'total_changes']);

/** Words after which a WHERE clause ends. */
const WHERE_END = new Set(['group', 'having', 'order', 'limit', 'window']);

/** Words at the top of a WHERE clause whose AND is not a conjunction, or that are not one. */
const WHERE_UNSPLITTABLE = new Set(['or', 'between', 'case']);

/** Words that cannot be a table alias (they continue the FROM clause instead). */
const NOT_AN_ALIAS = new Set(['where', 'from', 'natural', 'left', 'right', 'full', 'inner', 'cross', 'outer', 'join', 'indexed', 'not', 'on', 'using', 'as']);

function nameOf(token: Token | undefined): string | undefined {
  return token ? identifierName(token)?.toLowerCase() : undefined;
}

/**
 * What one statement's rows are constrained to, or undefined when it is not provably a filter:
 * one set of constraints, or one per branch of the first conjunct that is a parenthesized OR of
 * conjunctions (a row the statement reads satisfies the other conjuncts and one branch).
 */
function statementConstraints(tokens: readonly Token[]): Constraints[] | undefined {
  if (wordOf(tokens[0]) !== 'select') return undefined;
  let selects = 0;
  let froms = 0;
  for (const [k, token] of tokens.entries()) {
    if (wordOf(token) === 'from') froms++;
    if (token.kind === 'param') return undefined;
    // `x IS [NOT] DISTINCT FROM y` holds a FROM that is not the statement's.
    if (wordOf(token) === 'distinct' && ['is', 'not'].includes(wordOf(tokens[k - 1]) ?? '')) return undefined;
    const name = nameOf(token);
    if (name === undefined) continue;
    if (token.kind === 'word' && name === 'select') selects++;
    if (DISQUALIFYING_WORDS.has(name) || name.startsWith('sqlite_') || name.startsWith('pragma_')) return undefined;
    if (DISQUALIFYING_CALLS.has(name) && isPunct(tokens[k + 1], '(')) return undefined;
  }
  // A sub-select reading no table (`x NOT IN (SELECT NULL WHERE 1 = 0)`, what an empty list
  // parameter expands to) answers the same whatever loads; one with a FROM might read audit_logs.
  if (selects < 1 || froms !== 1) return undefined;

  const from = indexAtDepthZero(tokens, 1, (t) => wordOf(t) === 'from');
  const tableName = nameOf(tokens[from + 1]);
  const table = tableName === undefined ? undefined : TABLES.get(tableName);
  if (from < 0 || tableName === undefined || table === undefined) return undefined;
  // Reading audit_logs, the view's name could only be another table's.
  if (tableName !== 'system_access_audit' && tokens.some((token, k) => nameOf(token) === 'system_access_audit' || (nameOf(token) === 'system' && nameOf(tokens[k + 2]) === 'access' && nameOf(tokens[k + 4]) === 'audit'))) return undefined;
  const qualifiers = new Set([tableName]);
  let where = from + 2;
  if (wordOf(tokens[where]) === 'as') where++;
  if (where > from + 2 || (tokens[where] && wordOf(tokens[where]) !== 'where')) {
    const alias = nameOf(tokens[where]);
    const aliasWord = wordOf(tokens[where]);
    if (alias === undefined || (aliasWord !== undefined && NOT_AN_ALIAS.has(aliasWord)) || JSON_COLUMNS.has(alias)) return undefined;
    qualifiers.add(alias);
    where++;
  }
  if (wordOf(tokens[where]) !== 'where') return undefined;

  let end = indexAtDepthZero(tokens, where + 1, (t) => WHERE_END.has(wordOf(t) ?? ''));
  if (end < 0) end = tokens.length;
  const conjuncts = splitConjunction(tokens.slice(where + 1, end));
  if (!conjuncts) return undefined;

  const columns: ColumnScope = { qualifiers, table };
  const branching = conjuncts.findIndex((conjunct) => orBranches(conjunct) !== undefined);
  if (branching < 0) return [conjunctionConstraints(conjuncts, columns)];
  const others = conjuncts.filter((_, k) => k !== branching);
  return orBranches(conjuncts[branching]!)!.map((branch) => conjunctionConstraints([...others, ...branch], columns));
}

/** `( a AND b OR (c AND d) … )`: each branch's conjuncts, or undefined when the conjunct is not a parenthesized OR of plain conjunctions. */
function orBranches(conjunct: readonly Token[]): Token[][][] | undefined {
  const inner = unwrapped(conjunct);
  if (inner === conjunct) return undefined;
  const branches: Token[][] = [[]];
  let depth = 0;
  for (const token of inner) {
    if (isPunct(token, '(')) depth++;
    else if (isPunct(token, ')')) depth--;
    if (depth === 0 && wordOf(token) === 'or') branches.push([]);
    else branches[branches.length - 1]!.push(token);
  }
  if (branches.length < 2) return undefined;
  const split = branches.map((branch) => splitConjunction(unwrapped(branch)));
  return split.every((conjuncts) => conjuncts !== undefined) ? (split as Token[][][]) : undefined;
}

/** The tokens inside one pair of parentheses that encloses them all, or the tokens themselves. */
function unwrapped(tokens: readonly Token[]): readonly Token[] {
  return isPunct(tokens[0], '(') && matchingParens(tokens).get(0) === tokens.length - 1 ? tokens.slice(1, -1) : tokens;
}

/** What a plain conjunction's conjuncts constrain a row to (conjuncts it cannot read constrain nothing). */
function conjunctionConstraints(conjuncts: readonly Token[][], columns: ColumnScope): Constraints {
  const byPath = new Map<string, Set<string>>();
  const actionContains = new Set<string>();
  const actionLike: string[] = [];
  const prefixes: FieldPrefixFilter[] = [];
  for (const conjunct of conjuncts) {
    const like = columnLike(conjunct, columns);
    if (like?.path === ACTION_NAME) {
      for (const run of likeRuns(like.pattern)) if (run !== '') actionContains.add(run);
      actionLike.push(like.pattern);
      continue;
    }
    if (like !== undefined) {
      const prefix = likePrefix(like.pattern);
      if (prefix !== undefined && like.path !== SERVICE_NAME) prefixes.push({ path: like.path, prefix });
      continue;
    }
    const match = columnIn(conjunct, columns);
    if (match) byPath.set(match.path, intersect(byPath.get(match.path), match.values));
  }
  const serviceNames = byPath.get(SERVICE_NAME);
  const actionNames = byPath.get(ACTION_NAME);
  byPath.delete(SERVICE_NAME);
  byPath.delete(ACTION_NAME);
  return { ...(serviceNames ? { serviceNames } : {}), ...(actionNames ? { actionNames } : {}), actionContains, actionLike, fields: byPath, prefixes };
}

/** The literal runs of a LIKE pattern: split at unescaped % and _, with Spark's `\` escapes read. */
export function likeRuns(pattern: string): string[] {
  const runs = [''];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) runs[runs.length - 1] += pattern[++i];
    else if (c === '%' || c === '_') runs.push('');
    else runs[runs.length - 1] += c;
  }
  return runs;
}

/**
 * The text a LIKE pattern's matches start with when that is all it asks: one trailing `%` and no
 * other wildcard. A pattern holding a backslash (an escape) is not read here.
 */
function likePrefix(pattern: string): string | undefined {
  const prefix = pattern.slice(0, -1);
  return pattern.endsWith('%') && prefix !== '' && !/[%_\\]/.test(prefix) ? prefix : undefined;
}

/**
 * The column and pattern of a conjunct that is exactly `<column> LIKE '<pattern>'` (bare or
 * qualified). LIKE is case-sensitive in a session, as in Spark; `%` and `_` are its only
 * wildcards without ESCAPE.
 */
function columnLike(conjunct: readonly Token[], columns: ColumnScope): { path: string; pattern: string } | undefined {
  const column = columnAt(conjunct, 0, columns);
  if (!column || conjunct.length !== column.length + 2 || wordOf(conjunct[column.length]) !== 'like') return undefined;
  const pattern = literalValue(conjunct[column.length + 1]);
  return pattern === undefined ? undefined : { path: column.path, pattern };
}

function intersect(current: Set<string> | undefined, values: Set<string>): Set<string> {
  return current === undefined ? values : new Set([...current].filter((v) => values.has(v)));
}

/** Index of the first token at parenthesis depth 0 from `start` that satisfies `test`, or -1. */
function indexAtDepthZero(tokens: readonly Token[], start: number, test: (token: Token) => boolean): number {
  let depth = 0;
  for (let k = start; k < tokens.length; k++) {
    const token = tokens[k]!;
    if (isPunct(token, '(')) depth++;
    else if (isPunct(token, ')')) depth--;
    else if (depth === 0 && test(token)) return k;
    if (depth < 0) return -1;
  }
  return -1;
}

/** The operands of a WHERE clause's top-level AND, or undefined when it is not a plain conjunction. */
function splitConjunction(tokens: readonly Token[]): Token[][] | undefined {
  const conjuncts: Token[][] = [[]];
  let depth = 0;
  for (const token of tokens) {
    if (isPunct(token, '(')) depth++;
    else if (isPunct(token, ')')) depth--;
    if (depth < 0) return undefined;
    const w = wordOf(token);
    if (depth === 0 && w !== undefined && WHERE_UNSPLITTABLE.has(w)) return undefined;
    if (depth === 0 && w === 'and') conjuncts.push([]);
    else conjuncts[conjuncts.length - 1]!.push(token);
  }
  if (depth !== 0 || conjuncts.some((c) => c.length === 0)) return undefined;
  return conjuncts;
}

/**
 * Matches a conjunct that is exactly `column = 'lit'`, `'lit' = column` (also `==`) or
 * `column IN ('lit', …)`, for a column read from the line (see `TABLES`), bare or qualified by
 * the table or its alias.
 */
function columnIn(conjunct: readonly Token[], columns: ColumnScope): { path: string; values: Set<string> } | undefined {
  const column = columnAt(conjunct, 0, columns);
  if (column) {
    const rest = conjunct.slice(column.length);
    if (rest.length === 2 && isEquals(rest[0]) && literalValue(rest[1]) !== undefined) return { path: column.path, values: new Set([literalValue(rest[1])!]) };
    if (wordOf(rest[0]) === 'in' && isPunct(rest[1], '(') && isPunct(rest[rest.length - 1], ')')) {
      const values = literalList(rest.slice(2, -1));
      return values ? { path: column.path, values } : undefined;
    }
    return undefined;
  }
  const value = literalValue(conjunct[0]);
  if (value === undefined || !isEquals(conjunct[1])) return undefined;
  const reversed = columnAt(conjunct, 2, columns);
  return reversed && reversed.length + 2 === conjunct.length ? { path: reversed.path, values: new Set([value]) } : undefined;
}

/**
 * The columns of a table whose values are the line's own, as the session loads and the dialect
 * reads them, each named by its path in audit_logs names: `plain` ones by their lowercased name,
 * and keys under a JSON column (`nested`: its key path in audit_logs names, or undefined when the
 * table does not read that key from the line as is). Columns that come from where the file lies
 * (workspaceId, date), from the line's place, or from a computation are absent.
 */
interface TableColumns {
  plain: ReadonlyMap<string, string>;
  nested: ReadonlyMap<string, (keys: readonly string[]) => string | undefined>;
}

const TOP_LEVEL_FIELDS = ['version', 'sourceIPAddress', 'userAgent', 'sessionId', SERVICE_NAME, ACTION_NAME, 'requestId', 'auditLevel', 'accountId'];
const under = (column: string) => (keys: readonly string[]) => [column, ...keys].join('.');

const AUDIT_LOGS: TableColumns = {
  plain: new Map(TOP_LEVEL_FIELDS.map((name) => [name.toLowerCase(), name])),
  nested: new Map(['userIdentity', 'requestParams', 'response'].map((column) => [column.toLowerCase(), under(column)])),
};

/** The view's `user_identity` and `response` rebuild objects under other keys from these (see schema.ts). */
const VIEW_USER_IDENTITY_KEYS = new Map([['email', 'email']]);
const VIEW_RESPONSE_KEYS = new Map([
  ['status_code', 'statusCode'],
  ['error_message', 'errorMessage'],
  ['result', 'result'],
]);
const renamedKey = (column: string, keys: ReadonlyMap<string, string>) => (path: readonly string[]) =>
  path.length === 1 && keys.has(path[0]!) ? `${column}.${keys.get(path[0]!)!}` : undefined;

const SYSTEM_ACCESS_AUDIT: TableColumns = {
  plain: new Map([
    ['version', 'version'],
    ['source_ip_address', 'sourceIPAddress'],
    ['user_agent', 'userAgent'],
    ['session_id', 'sessionId'],
    ['service_name', SERVICE_NAME],
    ['action_name', ACTION_NAME],
    ['request_id', 'requestId'],
    ['audit_level', 'auditLevel'],
    ['account_id', 'accountId'],
  ]),
  nested: new Map([
    ['user_identity', renamedKey('userIdentity', VIEW_USER_IDENTITY_KEYS)],
    ['request_params', under('requestParams')],
    ['response', renamedKey('response', VIEW_RESPONSE_KEYS)],
  ]),
};

const TABLES: ReadonlyMap<string, TableColumns> = new Map([
  ['audit_logs', AUDIT_LOGS],
  ['system_access_audit', SYSTEM_ACCESS_AUDIT],
]);

/** The statement's table and the names that qualify its columns (the table's name, its alias). */
interface ColumnScope {
  qualifiers: ReadonlySet<string>;
  table: TableColumns;
}

/**
 * A reference starting at `start` to a column read from the line, bare or qualified, with keys
 * under a JSON column as the dialect reads a dotted chain (`userIdentity.email`): its path in
 * audit_logs names and its token count. Keys keep their case (JSON keys are case-sensitive).
 */
function columnAt(tokens: readonly Token[], start: number, columns: ColumnScope): { path: string; length: number } | undefined {
  if (wordOf(tokens[start]) === 'in' || isPunct(tokens[start - 1], '.')) return undefined;
  const names: string[] = [];
  for (let k = start; k < tokens.length; k += 2) {
    const name = tokens[k] && identifierName(tokens[k]!);
    if (name === undefined) return undefined;
    names.push(name);
    if (!isPunct(tokens[k + 1], '.')) break;
  }
  const qualified = names.length > 1 && columns.qualifiers.has(names[0]!.toLowerCase()) && !JSON_COLUMNS.has(names[0]!.toLowerCase());
  const [column, ...keys] = qualified ? names.slice(1) : names;
  if (column === undefined) return undefined;
  const length = names.length * 2 - 1;
  if (keys.length === 0) {
    const path = columns.table.plain.get(column.toLowerCase());
    return path === undefined ? undefined : { path, length };
  }
  if (keys.some((key) => key === '' || key.includes('.') || key.includes('"'))) return undefined;
  const path = columns.table.nested.get(column.toLowerCase())?.(keys);
  return path === undefined ? undefined : { path, length };
}

function isEquals(token: Token | undefined): boolean {
  return token?.kind === 'operator' && (token.text === '=' || token.text === '==');
}

/** The text of a string literal as Spark reads it (and the dialect shim hands it to SQLite). */
function literalValue(token: Token | undefined): string | undefined {
  return isStringToken(token) ? sparkStringValue(token!) : undefined;
}

/** `'a', "b", …` (possibly empty) as a set, or undefined when anything but literals and commas. */
function literalList(tokens: readonly Token[]): Set<string> | undefined {
  const values = new Set<string>();
  for (let k = 0; k < tokens.length; k += 2) {
    const value = literalValue(tokens[k]);
    if (value === undefined) return undefined;
    values.add(value);
    if (k + 1 < tokens.length && !isPunct(tokens[k + 1], ',')) return undefined;
    if (k + 1 === tokens.length - 1) return undefined; // a trailing comma
  }
  return values;
}
