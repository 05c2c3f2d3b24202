/**
 * Column pruning for known queries: the record fields of `audit_logs` a set of SQL texts can
 * read. A field no statement names by any spelling (bare, quoted, in backticks, even inside a
 * string) loads as NULL, which spares extracting and storing it. Anything that reads columns
 * without naming them — `*` other than `count(*)`, NATURAL joins, the system_access_audit view
 * (also as `system.access.audit`) —
 * or SQL that does not tokenize, keeps every field.
 */
import { identifierName, isPunct, isStringToken, isWord, sparkStringValue, type Token } from '../../../shared/sql/lexer';
import { parseSql, type ParsedSql } from '../query/parse';
import { RECORD_COLUMNS } from '../schema';

const BY_LOWERCASE = new Map(RECORD_COLUMNS.map((column) => [column.toLowerCase(), column]));

/** Words after which the statement reads columns it does not name. */
const READS_UNNAMED_COLUMNS = new Set(['natural', 'system_access_audit']);

/** The record fields the statements can read (in table order), or undefined when they may read every one. */
export function deriveColumns(queries: readonly (string | ParsedSql)[]): string[] | undefined {
  const named = new Set<string>();
  for (const query of queries) {
    const parsed = typeof query === 'string' ? parseSql(query) : query;
    if (parsed.problem) return undefined;
    const tokens = parsed.significant;
    for (const [k, token] of tokens.entries()) {
      if (token.kind === 'operator' && token.text === '*' && !isCountStar(tokens, k)) return undefined;
      if (isSystemTable(tokens, k)) return undefined;
      for (const name of spellings(token)) {
        const lower = name.toLowerCase();
        if (READS_UNNAMED_COLUMNS.has(lower)) return undefined;
        const column = BY_LOWERCASE.get(lower);
        if (column) named.add(column);
      }
    }
  }
  return RECORD_COLUMNS.filter((column) => named.has(column));
}

/** `system.access.audit`, Databricks' name of the system_access_audit view. */
function isSystemTable(tokens: readonly Token[], k: number): boolean {
  return ['system', 'access', 'audit'].every((part, i) => {
    const token = tokens[k + 2 * i];
    return token !== undefined && identifierName(token)?.toLowerCase() === part && (i === 0 || tokens[k + 2 * i - 1]!.text === '.');
  });
}

/** `count(*)`: the one star that reads no column. */
function isCountStar(tokens: readonly Token[], star: number): boolean {
  const open = tokens[star - 1];
  const count = tokens[star - 2];
  const close = tokens[star + 1];
  return isPunct(open, '(') && isPunct(close, ')') && isWord(count, 'count');
}

/** The names a token could stand for: an identifier's, and a string's value read both ways. */
function spellings(token: Token): string[] {
  if (isStringToken(token)) return [sparkStringValue(token), token.text.slice(1, -1)];
  const name = identifierName(token);
  return name === undefined ? [] : [name];
}
