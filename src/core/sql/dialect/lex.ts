/** The shared lexer as the engine uses it: lexing errors become SqlErrors at their position. */
import { SqlLexError, tokenize, type LexedSql, type Token, type TokenizeOptions } from '../../../shared/sql/lexer';
import { SqlError } from './position';

export function lex(sql: string, options: TokenizeOptions = {}): Token[] {
  try {
    return tokenize(sql, options);
  } catch (error) {
    if (error instanceof SqlLexError) throw SqlError.at(sql, error.offset, error.message);
    throw error;
  }
}

/** The tokens of text lexed once, for a strict reader: its malformed token becomes a SqlError there. */
export function strictTokens(lexed: LexedSql): readonly Token[] {
  if (lexed.problem) throw SqlError.at(lexed.source, lexed.problem.offset, lexed.problem.message);
  return lexed.tokens;
}

/** A SQLite string literal. */
export function sqliteString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * A SQLite identifier. Backticks, not double quotes: SQLite reads a double-quoted name that
 * names no column as a string, where Spark reports the unknown column.
 */
export function sqliteIdentifier(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}
