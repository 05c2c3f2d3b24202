/**
 * Spark's generators over arrays and maps (JSON text), as SQLite's json_each table function:
 * - `LATERAL VIEW [OUTER] explode(x) t AS c` → `JOIN json_each(x) AS t` (OUTER: LEFT JOIN … ON 1,
 *   which keeps a row with NULL when x is empty or NULL), `c` → `t.value`;
 *   `posexplode(x) t AS pos, c` → pos is `t.key` (0-based, as in Spark); a map's
 *   `explode(m) t AS k, v` → `t.key`, `t.value`;
 * - `explode(x) [AS c]` / `explode_outer` / `posexplode` in a SELECT list → the same join added
 *   after the FROM list, the item reading `t.value` (named `col`, or pos/col, as Spark names them).
 * - `LATERAL VIEW json_tuple(x, 'a', 'b') t AS a, b` → each column reads its key from x.
 * Names the generator introduces are replaced wherever they are used in the query, and `c.a.b`
 * reads fields of a generated struct.
 */
import { identifierName, isNameToken, isStringToken, sparkStringValue, type Token } from '../../../shared/sql/lexer';
import { argumentCommas, depths, insertAfter, insertBefore, isPunct, isWord, sourceText, type TokenEdits } from './edits';
import { fieldChain, jsonKey } from './calls';
import { sqliteIdentifier, sqliteString } from './lex';
import { SqlError } from './position';

const GENERATORS: ReadonlySet<string> = new Set(['explode', 'explode_outer', 'posexplode', 'posexplode_outer']);
const FROM_LIST_END: ReadonlySet<string> = new Set(['where', 'group', 'having', 'order', 'limit', 'window', 'union', 'intersect', 'except', 'qualify', 'lateral']);

export interface GeneratorNames {
  /** Significant index of a bare reference to a generated column → the name Spark shows. */
  columns: Map<number, string>;
}

export function generatorEdits(
  source: string,
  sig: readonly Token[],
  match: ReadonlyMap<number, number>,
  edits: TokenEdits,
  translateFragment: (sql: string) => string,
): GeneratorNames {
  const names: GeneratorNames = { columns: new Map() };
  const renames = new Map<string, string>(); // lower-cased generated column → its SQLite reference
  let counter = 0;
  sig.forEach((t, k) => {
    if (!isWord(t, 'lateral') || !isWord(sig[k + 1], 'view')) return;
    let g = k + 2;
    const outer = isWord(sig[g], 'outer');
    if (outer) g++;
    const fn = sig[g]?.text.toLowerCase() ?? '';
    const close = isPunct(sig[g + 1], '(') ? match.get(g + 1) : undefined;
    if (fn === 'json_tuple' && close !== undefined) {
      jsonTupleView(source, sig, k, g, close, edits, renames, translateFragment);
      return;
    }
    if (!GENERATORS.has(fn) || close === undefined) {
      throw SqlError.at(source, t.start, 'LATERAL VIEW works here only with explode, explode_outer, posexplode, posexplode_outer or json_tuple');
    }
    let a = close + 1;
    let table = `__generated${++counter}`;
    if (isNameToken(sig[a]) && !isWord(sig[a], 'as')) {
      table = identifierName(sig[a])!;
      a++;
    } else {
      insertAfter(edits, close, ` AS ${sqliteIdentifier(table)}`);
    }
    const columns: number[] = [];
    if (isWord(sig[a], 'as')) {
      edits.replace.set(a, '');
      for (let c = a + 1; isNameToken(sig[c]); c += 2) {
        columns.push(c);
        if (!isPunct(sig[c + 1], ',')) break;
        edits.replace.set(c + 1, '');
      }
    }
    const isOuter = outer || fn.endsWith('_outer');
    edits.replace.set(k, isOuter ? 'LEFT JOIN' : 'JOIN');
    edits.replace.set(k + 1, '');
    if (outer) edits.replace.set(k + 2, '');
    edits.replace.set(g, 'json_each');
    const refs = fn.startsWith('pos') ? ['key', 'value'] : columns.length === 2 ? ['key', 'value'] : ['value'];
    columns.forEach((c, i) => {
      renames.set(identifierName(sig[c]!)!.toLowerCase(), `${sqliteIdentifier(table)}.${refs[i] ?? 'value'}`);
      edits.replace.set(c, '');
    });
    const lastToken = columns.length > 0 ? columns[columns.length - 1]! : a - 1;
    if (isOuter) insertAfter(edits, lastToken, ' ON 1');
  });
  selectListGenerators(source, sig, match, edits, translateFragment, () => `__generated${++counter}`);
  if (renames.size > 0) renameReferences(sig, renames, edits, names);
  return names;
}

/**
 * `LATERAL VIEW json_tuple(json, 'k1', 'k2') t AS c1, c2`: one row per input row, so the clause
 * goes away and each column reads its key (a string, objects as JSON text; NULL when absent).
 */
function jsonTupleView(
  source: string,
  sig: readonly Token[],
  k: number,
  g: number,
  close: number,
  edits: TokenEdits,
  renames: Map<string, string>,
  translateFragment: (sql: string) => string,
): void {
  const commas = argumentCommas(sig, g + 1, close);
  const keys = commas.map((c, i) => {
    const key = sig[c + 1];
    if (!isStringToken(key) || (commas[i + 1] ?? close) !== c + 2) throw SqlError.at(source, sig[g]!.start, "json_tuple() takes a JSON value and key strings: json_tuple(x, 'a', 'b')");
    return sparkStringValue(key!);
  });
  if (keys.length === 0) throw SqlError.at(source, sig[g]!.start, "json_tuple() takes a JSON value and key strings: json_tuple(x, 'a', 'b')");
  const json = translateFragment(sourceText(source, sig, g + 2, commas[0]! - 1));
  let a = close + 1;
  if (isNameToken(sig[a]) && !isWord(sig[a], 'as')) a++;
  const columns: number[] = [];
  if (isWord(sig[a], 'as')) for (let c = a + 1; isNameToken(sig[c]); c += 2) {
    columns.push(c);
    if (!isPunct(sig[c + 1], ',')) break;
  }
  const names = columns.length > 0 ? columns.map((c) => identifierName(sig[c]!)!) : keys.map((_, i) => `c${i}`);
  names.forEach((name, i) => {
    if (keys[i] !== undefined) renames.set(name.toLowerCase(), `spark_json_path(${json}, ${sqliteString(`$.${jsonKey(keys[i]!)}`)})`);
  });
  const last = columns.length > 0 ? columns[columns.length - 1]! : a - 1;
  for (let j = k; j <= last; j++) edits.replace.set(j, '');
}

function renameReferences(sig: readonly Token[], renames: ReadonlyMap<string, string>, edits: TokenEdits, names: GeneratorNames): void {
  sig.forEach((t, k) => {
    if (!isNameToken(t) || edits.replace.has(k) || isPunct(sig[k + 1], '(') || isWord(sig[k - 1], 'as')) return;
    const name = identifierName(t)!;
    const target = renames.get(name.toLowerCase());
    if (target === undefined) return;
    if (isPunct(sig[k - 1], '.')) {
      if (target.startsWith('spark_json_path(')) {
        // t.c of a json_tuple view: the whole reference becomes the value
        edits.replace.set(k - 2, target);
        edits.replace.set(k - 1, '');
        edits.replace.set(k, '');
        names.columns.set(k, name);
        return;
      }
      // t.c → t.value (the table part is kept)
      edits.replace.set(k, target.slice(target.lastIndexOf('.') + 1));
      return;
    }
    if (isPunct(sig[k + 1], '.')) {
      // c.a.b: fields of the generated struct (any name, keywords included)
      const { path, last } = fieldChain(sig, k, edits);
      edits.replace.set(k, `json_extract(${target}, ${sqliteString(`$${path}`)})`);
      names.columns.set(last, identifierName(sig[last]!)!);
      return;
    }
    edits.replace.set(k, target);
    names.columns.set(k, name);
  });
}

/** `SELECT …, explode(x) [AS c], … FROM …`: the generator moves into the FROM list as a join. */
function selectListGenerators(
  source: string,
  sig: readonly Token[],
  match: ReadonlyMap<number, number>,
  edits: TokenEdits,
  translateFragment: (sql: string) => string,
  nextTable: () => string,
): void {
  const depthAt = depths(sig);
  sig.forEach((t, k) => {
    const fn = t.kind === 'word' ? t.text.toLowerCase() : '';
    if (!GENERATORS.has(fn) || !isPunct(sig[k + 1], '(') || isWord(sig[k - 1], 'view') || isWord(sig[k - 2], 'view') || isPunct(sig[k - 1], '.')) return;
    const close = match.get(k + 1);
    if (close === undefined) return;
    const depth = depthAt[k]!;
    const from = findAtDepth(sig, depthAt, k, depth, (x) => isWord(x, 'from'));
    if (from === undefined) throw SqlError.at(source, t.start, `${fn}() in a SELECT list needs a FROM clause here`);
    if (argumentCommas(sig, k + 1, close).length > 0) throw SqlError.at(source, t.start, `${fn}() takes one array or map`);
    const end = findAtDepth(sig, depthAt, from, depth, (x, j) => (isWord(x, ...FROM_LIST_END) && !isPunct(sig[j + 1], '(')) || isPunct(x, ';') || (isPunct(x, ')') && depthAt[j]! < depth));
    const table = sqliteIdentifier(nextTable());
    const argument = translateFragment(sourceText(source, sig, k + 2, close - 1));
    const outer = fn.endsWith('_outer');
    const join = ` ${outer ? 'LEFT JOIN' : 'JOIN'} json_each(${argument}) AS ${table}${outer ? ' ON 1' : ''} `;
    if (end === undefined) insertAfter(edits, sig.length - 1, join);
    else insertBefore(edits, end, join);
    const aliased = isWord(sig[close + 1], 'as') || (isNameToken(sig[close + 1]) && !isWord(sig[close + 1], 'from'));
    const value = `${table}.value`;
    const text = fn.startsWith('pos') ? `${table}.key AS pos, ${value}${aliased ? '' : ' AS col'}` : `${value}${aliased ? '' : ' AS col'}`;
    edits.replace.set(k, text);
    for (let j = k + 1; j <= close; j++) edits.replace.set(j, '');
  });
}

function findAtDepth(sig: readonly Token[], depthAt: readonly number[], from: number, depth: number, test: (t: Token, k: number) => boolean): number | undefined {
  for (let j = from + 1; j < sig.length; j++) {
    if (depthAt[j]! < depth) return test(sig[j]!, j) ? j : undefined;
    if (depthAt[j] === depth && test(sig[j]!, j)) return j;
  }
  return undefined;
}
