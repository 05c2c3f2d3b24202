/**
 * The names a query gives to arrays, maps and structs (JSON text here): the aliases of collection
 * calls (`from_json(x, 's') AS req`, `collect_set(a) actions`), of exploded elements, and of the JSON columns
 * (`request_params AS p`), also through other aliases. Outside the select list that made them,
 * `req.securable.table` reads a field of such a value and a top-level `req` prints as JSON.
 * A name that also names a table, a CTE or a FROM alias keeps its SQL meaning.
 */
import { identifierName, isNameToken, type Token } from '../../../shared/sql/lexer';
import { isPunct, isWord } from './edits';
import { isCollectionCall } from './naming';

/** Words after which a name is a relation (a table, a subquery's or a CTE's alias). */
const RELATION_BEFORE: ReadonlySet<string> = new Set(['from', 'join', 'update', 'into', 'table']);

/** Words a bare alias cannot be. */
const NOT_ALIASES: ReadonlySet<string> = new Set([
  'from', 'where', 'group', 'having', 'order', 'limit', 'window', 'union', 'intersect', 'except', 'as', 'and', 'or', 'over', 'filter', 'end',
  'is', 'in', 'not', 'like', 'rlike', 'ilike', 'between', 'then', 'else', 'when', 'asc', 'desc', 'nulls', 'lateral', 'qualify', 'on', 'join',
]);

/** Lower-cased names whose values are JSON arrays, maps or structs, given the JSON columns. */
export function jsonValuedNames(sig: readonly Token[], match: ReadonlyMap<number, number>, jsonColumns: ReadonlySet<string>): Set<string> {
  const relations = relationNames(sig, match);
  const names = new Set<string>();
  const isJsonName = (t: Token | undefined): boolean => {
    const name = t === undefined ? undefined : identifierName(t)?.toLowerCase();
    return name !== undefined && isNameToken(t) && (jsonColumns.has(name) || names.has(name));
  };
  for (let k = 1; k < sig.length; k++) {
    const explicit = isWord(sig[k], 'as') && isAliasToken(sig[k + 1]) && !isPunct(sig[k + 2], '(');
    const bare = !explicit && isAliasToken(sig[k]) && !isWord(sig[k], ...NOT_ALIASES) && !isPunct(sig[k + 1], '(') && !isPunct(sig[k + 1], '.') && (isPunct(sig[k - 1], ')') || isNameToken(sig[k - 1]));
    if (!explicit && !bare) continue;
    const aliasAt = explicit ? k + 1 : k;
    const end = k - 1;
    const alias = identifierName(sig[aliasAt]!)!.toLowerCase();
    if (relations.has(alias)) continue;
    let holdsJson = false;
    if (isPunct(sig[end], ')')) {
      const open = match.get(end);
      holdsJson = open !== undefined && (isCollectionCall(sig, open - 1, end, match) || isWord(sig[open - 1], 'explode', 'explode_outer'));
    } else if (isNameToken(sig[end]) && !isPunct(sig[end + 1], '.')) {
      holdsJson = isJsonName(sig[end]) && !(isPunct(sig[end - 1], '.') && isPunct(sig[end - 3], '.')); // `x` or `t.x`, not a path into x
    }
    if (holdsJson) names.add(alias);
  }
  return names;
}

/** A name that can be an alias: a word or a backticked name (a bracket is a subscript here). */
function isAliasToken(t: Token | undefined): boolean {
  return t !== undefined && (t.kind === 'word' || t.kind === 'backtick');
}

/** Names of tables, CTEs and FROM-list aliases in the query, lower-cased. */
function relationNames(sig: readonly Token[], match: ReadonlyMap<number, number>): Set<string> {
  const out = new Set<string>();
  const addAlias = (at: number): void => {
    let k = at;
    if (isWord(sig[k], 'as')) k++;
    if (isNameToken(sig[k]) && !isWord(sig[k], ...NOT_ALIASES) && !isPunct(sig[k + 1], '(')) out.add(identifierName(sig[k]!)!.toLowerCase());
  };
  sig.forEach((t, k) => {
    // a CTE: name AS (…)
    if (isNameToken(t) && isWord(sig[k + 1], 'as') && isPunct(sig[k + 2], '(')) out.add(identifierName(t)!.toLowerCase());
    if (isWord(t, ...RELATION_BEFORE) || (isPunct(t, ',') && isWord(sig[k - 2], 'from'))) {
      let last = k + 1;
      if (isPunct(sig[last], '(')) {
        last = match.get(last) ?? last;
      } else {
        if (!isNameToken(sig[last])) return;
        while (isPunct(sig[last + 1], '.') && isNameToken(sig[last + 2])) last += 2;
        out.add(identifierName(sig[last]!)!.toLowerCase());
      }
      addAlias(last + 1);
    }
  });
  return out;
}
