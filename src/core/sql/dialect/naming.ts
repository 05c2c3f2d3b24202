/**
 * The names Spark gives unaliased SELECT items, and which items hold an array, map or struct.
 * Spark prints an expression back: function names lower-cased, keywords upper-cased, string
 * literals without quotes, binary operations in parentheses (`count(requestParams.name)`,
 * `concat(a, -)`, `(a + 1)`, `(x IS NULL)` for isnull(x)). Long forms Spark expands (window
 * specifications, CAST type names) are printed as written.
 */
import { identifierName, isNameToken, isStringToken, sparkStringValue, type Token } from '../../../shared/sql/lexer';
import { isPunct, isWord } from './edits';

const UPPER_WORDS: ReadonlySet<string> = new Set([
  'distinct', 'as', 'case', 'when', 'then', 'else', 'end', 'and', 'or', 'not', 'is', 'null', 'in', 'like', 'rlike', 'ilike', 'between',
  'over', 'partition', 'by', 'order', 'asc', 'desc', 'rows', 'range', 'preceding', 'following', 'unbounded', 'current', 'row', 'nulls',
  'first', 'last', 'from', 'interval', 'filter', 'where',
]);

/** Functions whose value is an ARRAY, a MAP or a STRUCT (JSON text here, shown as JSON). */
const COLLECTION_FUNCTIONS: ReadonlySet<string> = new Set([
  'collect_list', 'collect_set', 'array_agg', 'array', 'split', 'array_distinct', 'sort_array', 'array_except', 'array_intersect',
  'array_union', 'array_remove', 'slice', 'flatten', 'map_keys', 'map_values', 'map', 'named_struct', 'struct', 'from_json',
  'regexp_extract_all', 'json_object_keys', 'window', 'array_sort', 'sequence', 'array_repeat', 'str_to_map',
]);

/** Whether the item first..last is one call of a function that returns an array, map or struct. */
export function isCollectionCall(sig: readonly Token[], first: number, last: number, match: ReadonlyMap<number, number>): boolean {
  const t = sig[first];
  if (t === undefined || t.kind !== 'word' || !isPunct(sig[first + 1], '(') || match.get(first + 1) !== last) return false;
  const name = t.text.toLowerCase();
  if (COLLECTION_FUNCTIONS.has(name)) return true;
  // percentile(x, array(0.25, 0.75)) gives an array
  return PERCENTILES.has(name) && sig.slice(first + 2, last).some((x, i) => isWord(x, 'array') && isPunct(sig[first + 3 + i], '('));
}

const PERCENTILES: ReadonlySet<string> = new Set(['percentile', 'approx_percentile', 'percentile_approx']);

/** Spark's name for the unaliased item first..last, or undefined when SQLite already names it so. */
export function sparkItemName(sig: readonly Token[], first: number, last: number, match: ReadonlyMap<number, number>): string | undefined {
  if (isWord(sig[first], 'explode', 'explode_outer', 'posexplode', 'posexplode_outer')) return undefined;
  if (isDottedName(sig, first, last)) return first === last ? undefined : identifierName(sig[last]!);
  if (sig[first + 1]?.kind === 'param' && sig[first + 1]!.text.startsWith(':')) {
    const lastToken = sig[last]!;
    return lastToken.kind === 'param' ? lastToken.text.slice(1) : (identifierName(lastToken) ?? lastToken.text); // Databricks names raw:a.b `b`
  }
  if (sig[last]?.text === '*') return undefined;
  let name = printTokens(sig, first, last, match).replace(/^count\(\*\)$/i, 'count(1)');
  if (hasTopLevelOperator(sig, first, last)) name = `(${name})`;
  return name;
}

function isDottedName(sig: readonly Token[], first: number, last: number): boolean {
  for (let k = first; k <= last; k++) if ((k - first) % 2 === 0 ? !isNameToken(sig[k]) : !isPunct(sig[k], '.')) return false;
  return (last - first) % 2 === 0;
}

function hasTopLevelOperator(sig: readonly Token[], first: number, last: number): boolean {
  let depth = 0;
  for (let k = first; k <= last; k++) {
    const t = sig[k]!;
    if (isPunct(t, '(') || isWord(t, 'case')) depth++;
    else if (isPunct(t, ')') || isWord(t, 'end')) depth--;
    else if (depth === 0 && k > first && (t.kind === 'operator' || isWord(t, 'and', 'or', 'is', 'like', 'in', 'between', 'rlike'))) return true;
  }
  return false;
}

function printTokens(sig: readonly Token[], first: number, last: number, match: ReadonlyMap<number, number>): string {
  let out = '';
  for (let k = first; k <= last; k++) {
    const t = sig[k]!;
    const lower = t.kind === 'word' ? t.text.toLowerCase() : '';
    if ((lower === 'isnull' || lower === 'isnotnull') && isPunct(sig[k + 1], '(')) {
      const close = match.get(k + 1);
      if (close !== undefined && close <= last) {
        out += `(${printTokens(sig, k + 2, close - 1, match)} ${lower === 'isnull' ? 'IS NULL' : 'IS NOT NULL'})`;
        k = close;
        continue;
      }
    }
    if (isWord(t, 'date', 'timestamp') && isStringToken(sig[k + 1])) {
      out += spaced(out, `${t.text.toUpperCase()} '${sparkStringValue(sig[k + 1]!)}'`);
      k++;
      continue;
    }
    if (t.kind === 'bracket' && k > first && sig[k - 1]!.end === t.start) out += t.text; // a subscript: x[0]
    else if (isWord(t, 'over', 'in')) out += ` ${t.text.toUpperCase()} `;
    else if (t.kind === 'word' && isPunct(sig[k + 1], '(') && lower === 'cast') out += 'CAST';
    else if (t.kind === 'word' && isPunct(sig[k + 1], '(')) out += lower;
    else if (t.kind === 'word' && UPPER_WORDS.has(lower)) out += spaced(out, t.text.toUpperCase());
    else if (isWord(t, 'true', 'false')) out += spaced(out, lower);
    else if (isNameToken(t)) out += spaced(out, identifierName(t)!);
    else if (isStringToken(t)) out += spaced(out, sparkStringValue(t));
    else if (t.kind === 'number') out += spaced(out, t.text.replace(/[LSYDF]$|BD$/i, ''));
    else if (isPunct(t, ',')) out += ', ';
    else if (isPunct(t, '(') || isPunct(t, ')') || isPunct(t, '.')) out += t.text;
    else if (t.kind === 'operator' && (t.text === '-' || t.text === '+') && (k === first || sig[k - 1]!.kind === 'operator' || isPunct(sig[k - 1], '(') || isPunct(sig[k - 1], ','))) out += spaced(out, t.text);
    else if (t.kind === 'operator') out += ` ${t.text} `;
    else out += spaced(out, t.text);
  }
  return out.replace(/ {2,}/g, ' ').replace(/\( /g, '(').replace(/ \)/g, ')');
}

/** A word after a word or a closing parenthesis needs a space; after punctuation or an operator it does not. */
function spaced(out: string, word: string): string {
  return /[\w)\]]$/.test(out) ? ` ${word}` : word;
}
