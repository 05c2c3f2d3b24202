/** Narrows a file's line index to the lines an identity filter can read, by its identity index. */
import { identityLines, type IdentityStatement } from './identity-index';
import { narrowLineIndex, type LineIndex } from './line-index';

/**
 * The line index holding only the lines that may hold a record one of the statements reads
 * (plus those always read); undefined when the index cannot narrow it (no identity index, or a
 * statement without a filter on an indexed field).
 */
export function narrowByIdentities(index: LineIndex, statements: readonly IdentityStatement[]): LineIndex | undefined {
  if (!index.identities) return undefined;
  const lines = identityLines(index.identities, statements);
  return lines && narrowLineIndex(index, lines);
}
