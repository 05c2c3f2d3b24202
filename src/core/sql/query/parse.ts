/**
 * A cell's SQL lexed once and split into statements: the part of a parsed query every reader
 * shares (the pushdown analysis, the warehouse statement, the engine), with no dialect in it.
 */
import { lexSpark, significant, type LexedSql, type Token } from '../../../shared/sql/lexer';
import { mayWrite, ownObjectChanged, splitStatements, tablesRead } from './statements';

export interface ParsedStatement {
  /** Its significant tokens, without the closing semicolon. */
  tokens: readonly Token[];
  /** In the source: the start of its first token, the end of its semicolon (or of the source). */
  start: number;
  end: number;
  /** The tables it reads (lower-cased, qualified names joined with dots). */
  reads: readonly string[];
  /** Whether it may change the database. */
  writes: boolean;
  /** The session's own table, view or index it would drop or alter. */
  ownObject?: string;
}

export interface ParsedSql extends LexedSql {
  /** The tokens that carry meaning. */
  significant: readonly Token[];
  /** Its statements, in order (none when the SQL does not lex: see `problem`). */
  statements: readonly ParsedStatement[];
}

/** Lexes `sql` (unless given lexed) and reads its statements. */
export function parseSql(input: string | LexedSql): ParsedSql {
  const lexed = typeof input === 'string' ? lexSpark(input) : input;
  const meaningful = significant(lexed.tokens);
  const statements = lexed.problem
    ? []
    : splitStatements(meaningful, lexed.source.length).map((s): ParsedStatement => {
        const own = ownObjectChanged(s.tokens);
        return { ...s, reads: tablesRead(s.tokens), writes: mayWrite(s.tokens), ...(own === undefined ? {} : { ownObject: own }) };
      });
  return { ...lexed, significant: meaningful, statements };
}
