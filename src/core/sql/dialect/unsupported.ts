/**
 * Spark features this engine does not run yet, refused by name at their position, so a query
 * fails with "Spark's PIVOT is not supported yet" rather than with SQLite's "near …" or, worse,
 * a wrong answer.
 */
import type { Token } from '../../../shared/sql/lexer';
import { isOperator, isPunct, isWord } from './edits';
import { SqlError } from './position';

/** Spark's higher-order functions (they take a lambda `x -> …`). */
const HIGHER_ORDER: ReadonlySet<string> = new Set([
  'transform', 'filter', 'exists', 'forall', 'aggregate', 'reduce', 'zip_with', 'map_filter', 'map_zip_with', 'transform_keys', 'transform_values', 'array_sort',
]);

/** Spark functions known not to run here (a call to any other unknown name is SQLite's "no such function"). */
export const UNSUPPORTED_FUNCTIONS: ReadonlySet<string> = new Set([
  'schema_of_json', 'inline', 'inline_outer', 'stack', 'input_file_name', 'monotonically_increasing_id', 'spark_partition_id',
  'histogram_numeric', 'approx_top_k', 'from_avro', 'to_avro', 'from_csv', 'to_csv', 'schema_of_csv', 'xpath', 'xpath_string', 'parse_url',
  'url_decode', 'url_encode', 'sentences', 'java_method', 'reflect', 'bitmap_count', 'hll_sketch_agg', 'ai_query', 'ai_classify',
  'make_interval', 'make_dt_interval', 'make_ym_interval', 'session_window', 'window_time', 'grouping', 'grouping_id',
]);

function refuse(source: string, token: Token, what: string): SqlError {
  return SqlError.at(source, token.start, `Spark's ${what} is not supported yet`);
}

export function unsupportedCheck(source: string, sig: readonly Token[], match: ReadonlyMap<number, number>): void {
  sig.forEach((t, k) => {
    if (t.kind !== 'word') return;
    const name = t.text.toLowerCase();
    const isCall = isPunct(sig[k + 1], '(') && !isPunct(sig[k - 1], '.');
    if (isCall && HIGHER_ORDER.has(name)) {
      const close = match.get(k + 1) ?? sig.length;
      for (let j = k + 2; j < close; j++) if (isOperator(sig[j], '->')) throw refuse(source, t, `higher-order function ${name}() (with a lambda x -> …)`);
    }
    if (isCall && UNSUPPORTED_FUNCTIONS.has(name)) throw refuse(source, t, `${name}()`);
    if (name === 'pivot' || name === 'unpivot') {
      if (isPunct(sig[k + 1], '(') || isWord(sig[k + 1], 'include', 'exclude')) throw refuse(source, t, name.toUpperCase());
    } else if (name === 'tablesample' && isPunct(sig[k + 1], '(')) throw refuse(source, t, 'TABLESAMPLE');
    else if ((name === 'cluster' || name === 'distribute' || name === 'sort') && isWord(sig[k + 1], 'by') && !isWord(sig[k - 1], 'order')) {
      throw refuse(source, t, `${name.toUpperCase()} BY`);
    } else if (name === 'grouping' && isWord(sig[k + 1], 'sets')) throw refuse(source, t, 'GROUPING SETS');
    else if ((name === 'rollup' || name === 'cube') && isPunct(sig[k + 1], '(') && isWord(sig[k - 1], 'by', 'with')) throw refuse(source, t, `${name.toUpperCase()}`);
    else if (name === 'with' && isWord(sig[k + 1], 'rollup', 'cube')) throw refuse(source, t, `WITH ${sig[k + 1]!.text.toUpperCase()}`);
    else if (name === 'lateral' && isPunct(sig[k + 1], '(')) throw refuse(source, t, 'LATERAL subquery');
    else if (name === 'transform' && isPunct(sig[k + 1], '(') && isWord(sig[k - 1], 'select')) {
      const close = match.get(k + 1);
      if (close !== undefined && isWord(sig[close + 1], 'using')) throw refuse(source, t, 'TRANSFORM … USING (scripts)');
    }
  });
}
