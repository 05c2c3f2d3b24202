/** QUALIFY (filtering on window functions): refused by name, with its position, until supported. */
import type { Token } from '../../../shared/sql/lexer';
import { isWord } from './edits';
import { SqlError } from './position';

export function qualifyCheck(source: string, sig: readonly Token[]): void {
  const at = sig.find((t) => isWord(t, 'qualify'));
  if (at) throw SqlError.at(source, at.start, "Spark's QUALIFY is not supported yet; filter a subquery instead: SELECT * FROM (SELECT …, row_number() OVER (…) AS rn FROM …) WHERE rn = 1");
}
