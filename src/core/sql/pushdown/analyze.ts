/**
 * Derives a line prefilter from the Spark-style SQL a session will run, token by token, only when
 * it is provably sound: every statement is one SELECT over `audit_logs` alone (optionally aliased)
 * whose WHERE clause is a conjunction holding `serviceName = '<literal>'` or
 * `serviceName IN ('<literal>', …)`; conjuncts `actionName = | IN` and `actionName LIKE '<pattern>'`
 * narrow it per statement. Anything else — OR at the top of the WHERE clause, functions,
 * COLLATE, other comparisons, parameters, subqueries, joins, other tables, more than one SELECT,
 * statements that are not SELECTs, SQL that does not tokenize — yields no prefilter.
 */
import { JSON_COLUMNS } from '../dialect';
import { identifierName, isStringToken, significant, sparkStringValue, tokenize, type Token } from '../../../shared/sql/lexer';
import { isSearchableFragment, isSearchableName, type LinePrefilter, type StatementFilter } from './prefilter';

/** What one statement constrains its rows to (an absent field: no constraint found). */
interface Constraints {
  serviceNames: Set<string>;
  actionNames?: Set<string>;
  /** Texts the actionName contains: the literal runs of its LIKE patterns. */
  actionContains: Set<string>;
  /** Its LIKE patterns, as Spark reads the literals. */
  actionLike: string[];
}

/**
 * The prefilter for a set of SQL texts (each may hold several statements): the union of what each
 * statement reads, or undefined when any statement might read a row outside a known set of
 * services.
 */
export function derivePrefilter(sqlTexts: readonly string[]): LinePrefilter | undefined {
  const all: Constraints[] = [];
  for (const sql of sqlTexts) {
    const statements = splitStatements(sql);
    if (!statements || statements.length === 0) return undefined;
    for (const statement of statements) {
      const constraints = statementConstraints(statement);
      if (!constraints) return undefined;
      all.push(constraints);
    }
  }
  if (all.length === 0) return undefined;
  const serviceNames = new Set(all.flatMap((c) => [...c.serviceNames]));
  if (![...serviceNames].every(isSearchableName)) return undefined;
  const statements = all.map(statementFilter);
  const narrower = statements.some((s) => s.actionNames !== undefined || s.actionContains !== undefined || s.actionLike !== undefined);
  return { serviceNames: [...serviceNames].sort(), ...(narrower ? { statements } : {}) };
}

/** A statement's constraints as a filter, keeping only what a text search can test soundly. */
function statementFilter(constraints: Constraints): StatementFilter {
  const sorted = (values: Iterable<string>) => [...values].sort();
  const actionNames = constraints.actionNames && [...constraints.actionNames].every(isSearchableName) ? sorted(constraints.actionNames) : undefined;
  const actionContains = sorted([...constraints.actionContains].filter(isSearchableFragment));
  return {
    serviceNames: sorted(constraints.serviceNames),
    ...(actionNames ? { actionNames } : {}),
    ...(actionContains.length > 0 ? { actionContains } : {}),
    ...(constraints.actionLike.length > 0 ? { actionLike: [...constraints.actionLike] } : {}),
  };
}

/** Significant tokens of each statement, or undefined when the SQL does not tokenize. */
function splitStatements(sql: string): Token[][] | undefined {
  let tokens: Token[];
  try {
    tokens = significant(tokenize(sql, { backslashEscapes: true }));
  } catch {
    return undefined;
  }
  const statements: Token[][] = [[]];
  for (const token of tokens) {
    if (token.kind === 'punct' && token.text === ';') statements.push([]);
    else statements[statements.length - 1]!.push(token);
  }
  return statements.filter((s) => s.length > 0);
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
  'last_insert_rowid',
  'changes',
  'total_changes',
  // Other tables and views.
  'audit_errors',
  'system_access_audit',
  'sqlite_master',
  'sqlite_schema',
  'sqlite_temp_master',
  'sqlite_temp_schema',
]);

/** Words after which a WHERE clause ends. */
const WHERE_END = new Set(['group', 'having', 'order', 'limit', 'window']);

/** Words at the top of a WHERE clause whose AND is not a conjunction, or that are not one. */
const WHERE_UNSPLITTABLE = new Set(['or', 'between', 'case']);

/** Words that cannot be a table alias (they continue the FROM clause instead). */
const NOT_AN_ALIAS = new Set(['where', 'from', 'natural', 'left', 'right', 'full', 'inner', 'cross', 'outer', 'join', 'indexed', 'not', 'on', 'using', 'as']);

function word(token: Token | undefined): string | undefined {
  return token?.kind === 'word' ? token.text.toLowerCase() : undefined;
}

function isPunct(token: Token | undefined, text: string): boolean {
  return token?.kind === 'punct' && token.text === text;
}

function nameOf(token: Token | undefined): string | undefined {
  return token ? identifierName(token)?.toLowerCase() : undefined;
}

/** What one statement's rows are constrained to, or undefined when it is not provably a filter. */
function statementConstraints(tokens: readonly Token[]): Constraints | undefined {
  if (word(tokens[0]) !== 'select') return undefined;
  let selects = 0;
  for (const [k, token] of tokens.entries()) {
    if (token.kind === 'param') return undefined;
    // `x IS [NOT] DISTINCT FROM y` holds a FROM that is not the statement's.
    if (word(token) === 'distinct' && ['is', 'not'].includes(word(tokens[k - 1]) ?? '')) return undefined;
    const name = nameOf(token);
    if (name === undefined) continue;
    if (token.kind === 'word' && name === 'select') selects++;
    if (DISQUALIFYING_WORDS.has(name) || name.startsWith('sqlite_') || name.startsWith('pragma_')) return undefined;
  }
  if (selects !== 1) return undefined;

  const from = indexAtDepthZero(tokens, 1, (t) => word(t) === 'from');
  if (from < 0 || nameOf(tokens[from + 1]) !== 'audit_logs') return undefined;
  const qualifiers = new Set(['audit_logs']);
  let where = from + 2;
  if (word(tokens[where]) === 'as') where++;
  if (where > from + 2 || (tokens[where] && word(tokens[where]) !== 'where')) {
    const alias = nameOf(tokens[where]);
    const aliasWord = word(tokens[where]);
    if (alias === undefined || (aliasWord !== undefined && NOT_AN_ALIAS.has(aliasWord)) || JSON_COLUMNS.has(alias)) return undefined;
    qualifiers.add(alias);
    where++;
  }
  if (word(tokens[where]) !== 'where') return undefined;

  let end = indexAtDepthZero(tokens, where + 1, (t) => WHERE_END.has(word(t) ?? ''));
  if (end < 0) end = tokens.length;
  const conjuncts = splitConjunction(tokens.slice(where + 1, end));
  if (!conjuncts) return undefined;

  let serviceNames: Set<string> | undefined;
  let actionNames: Set<string> | undefined;
  const actionContains = new Set<string>();
  const actionLike: string[] = [];
  for (const conjunct of conjuncts) {
    const pattern = actionLikePattern(conjunct, qualifiers);
    if (pattern !== undefined) {
      for (const run of likeRuns(pattern)) if (run !== '') actionContains.add(run);
      actionLike.push(pattern);
      continue;
    }
    const match = columnIn(conjunct, qualifiers);
    if (!match) continue;
    if (match.column === 'servicename') serviceNames = intersect(serviceNames, match.values);
    else actionNames = intersect(actionNames, match.values);
  }
  if (!serviceNames) return undefined;
  return { serviceNames, ...(actionNames ? { actionNames } : {}), actionContains, actionLike };
}

/**
 * The pattern of a conjunct that is exactly `actionName LIKE '<pattern>'` (bare or qualified). LIKE
 * is case-sensitive in a session, as in Spark; `%` and `_` are its only wildcards without ESCAPE.
 */
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

function actionLikePattern(conjunct: readonly Token[], qualifiers: ReadonlySet<string>): string | undefined {
  const column = columnAt(conjunct, 0, qualifiers);
  if (column?.name !== 'actionname' || conjunct.length !== column.length + 2 || word(conjunct[column.length]) !== 'like') return undefined;
  return literalValue(conjunct[column.length + 1]);
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
    const w = word(token);
    if (depth === 0 && w !== undefined && WHERE_UNSPLITTABLE.has(w)) return undefined;
    if (depth === 0 && w === 'and') conjuncts.push([]);
    else conjuncts[conjuncts.length - 1]!.push(token);
  }
  if (depth !== 0 || conjuncts.some((c) => c.length === 0)) return undefined;
  return conjuncts;
}

/**
 * Matches a conjunct that is exactly `column = 'lit'`, `'lit' = column` (also `==`) or
 * `column IN ('lit', …)`, for serviceName or actionName, bare or qualified by the table or its alias.
 */
function columnIn(conjunct: readonly Token[], qualifiers: ReadonlySet<string>): { column: string; values: Set<string> } | undefined {
  const column = columnAt(conjunct, 0, qualifiers);
  if (column) {
    const rest = conjunct.slice(column.length);
    if (rest.length === 2 && isEquals(rest[0]) && literalValue(rest[1]) !== undefined) return { column: column.name, values: new Set([literalValue(rest[1])!]) };
    if (word(rest[0]) === 'in' && isPunct(rest[1], '(') && isPunct(rest[rest.length - 1], ')')) {
      const values = literalList(rest.slice(2, -1));
      return values ? { column: column.name, values } : undefined;
    }
    return undefined;
  }
  const value = literalValue(conjunct[0]);
  if (value === undefined || !isEquals(conjunct[1])) return undefined;
  const reversed = columnAt(conjunct, 2, qualifiers);
  return reversed && reversed.length + 2 === conjunct.length ? { column: reversed.name, values: new Set([value]) } : undefined;
}

const CONSTRAINED_COLUMNS = new Set(['servicename', 'actionname']);

/** A serviceName/actionName reference starting at `start`: its lowercased name and token count. */
function columnAt(tokens: readonly Token[], start: number, qualifiers: ReadonlySet<string>): { name: string; length: number } | undefined {
  const first = nameOf(tokens[start]);
  if (first === undefined || word(tokens[start]) === 'in') return undefined;
  if (isPunct(tokens[start + 1], '.')) {
    const second = nameOf(tokens[start + 2]);
    return qualifiers.has(first) && second !== undefined && CONSTRAINED_COLUMNS.has(second) ? { name: second, length: 3 } : undefined;
  }
  return CONSTRAINED_COLUMNS.has(first) ? { name: first, length: 1 } : undefined;
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
