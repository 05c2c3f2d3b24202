/**
 * Spark's QUALIFY (a filter on window functions, after them): the SELECT becomes a subquery and
 * the filter applies to its rows.
 *   SELECT a, b FROM t QUALIFY row_number() OVER (…) = 1 ORDER BY a
 *   → SELECT `a`, `b` FROM (SELECT a, b, (row_number() OVER (…) = 1) AS __qualify FROM t) WHERE __qualify ORDER BY a
 * A condition without a window function (`QUALIFY rn = 1`, over the SELECT's own aliases) filters
 * the subquery's columns directly. The outer SELECT lists the inner one's column names, so
 * `SELECT *` with QUALIFY is refused by name.
 */
import { identifierName, isNameToken, type Token } from '../../../shared/sql/lexer';
import { argumentCommas, depths, insertBefore, isPunct, isWord, sourceText, type TokenEdits } from './edits';
import { sqliteIdentifier } from './lex';
import { sparkItemName } from './naming';
import { SqlError } from './position';

const QUALIFY_END: ReadonlySet<string> = new Set(['order', 'limit', 'union', 'intersect', 'except', 'window']);

export function qualifyEdits(
  source: string,
  sig: readonly Token[],
  match: ReadonlyMap<number, number>,
  edits: TokenEdits,
  translateFragment: (sql: string) => string,
): void {
  const depthAt = depths(sig);
  sig.forEach((t, q) => {
    if (!isWord(t, 'qualify')) return;
    const depth = depthAt[q]!;
    let select = q - 1;
    while (select >= 0 && !(depthAt[select] === depth && isWord(sig[select], 'select'))) select--;
    let from = select + 1;
    while (from < q && !(depthAt[from] === depth && isWord(sig[from], 'from'))) from++;
    if (select < 0 || from >= q) throw SqlError.at(source, t.start, 'QUALIFY needs a SELECT … FROM before it');
    let end = q + 1;
    while (end < sig.length && !(depthAt[end]! < depth || (depthAt[end] === depth && (isPunct(sig[end], ';') || (isWord(sig[end], ...QUALIFY_END) && !isPunct(sig[end + 1], '(')))))) end++;
    if (end === q + 1) throw SqlError.at(source, t.start, 'QUALIFY needs a condition');
    const names = outputNames(source, sig, match, isWord(sig[select + 1], 'distinct', 'all') ? select + 2 : select + 1, from - 1);
    const condition = translateFragment(sourceText(source, sig, q + 1, end - 1));
    const usesWindow = sig.slice(q + 1, end).some((x) => isWord(x, 'over'));
    insertBefore(edits, select, `SELECT ${names.map(sqliteIdentifier).join(', ')} FROM (`);
    if (usesWindow) insertBefore(edits, from, `, (${condition}) AS __qualify `);
    edits.replace.set(q, usesWindow ? ') WHERE __qualify' : `) WHERE (${condition})`);
    for (let k = q + 1; k < end; k++) edits.replace.set(k, '');
  });
}

/** The column names a SELECT list gives (explicit aliases, last path segments, Spark's names). */
function outputNames(source: string, sig: readonly Token[], match: ReadonlyMap<number, number>, first: number, last: number): string[] {
  const open = first - 1;
  const commas = argumentCommas(sig, open, last + 1);
  const starts = [first, ...commas.map((c) => c + 1)];
  const ends = [...commas.map((c) => c - 1), last];
  return starts.map((start, i) => {
    const end = ends[i]!;
    if (sig[end]!.text === '*') throw SqlError.at(source, sig[end]!.start, 'QUALIFY works here only with the columns listed (not SELECT *)');
    const previous = sig[end - 1];
    const isAlias =
      end > start &&
      isNameToken(sig[end]) &&
      !isWord(sig[end], 'end') &&
      (isWord(previous, 'as') || isPunct(previous, ')') || previous!.kind === 'string' || previous!.kind === 'number' || (isNameToken(previous) && !isPunct(sig[end - 2], '.')));
    if (isAlias) return identifierName(sig[end]!)!;
    return sparkItemName(sig, start, end, match) ?? identifierName(sig[end]!) ?? sourceText(source, sig, start, end);
  });
}
