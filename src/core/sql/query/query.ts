/**
 * One parsed query: a cell's SQL lexed once, with everything the host and the engine read from
 * it — its statements (tokens, spans, tables read, writes, the session's own objects touched),
 * its pushdown and its SQLite translation, each worked out on first use and kept.
 */
import type { LexedSql } from '../../../shared/sql/lexer';
import { translateSparkSql, type Translation } from '../dialect';
import { derivePushdown, type Pushdown } from '../pushdown';
import { parseSql, type ParsedSql } from './parse';

export interface ParsedQuery extends ParsedSql {
  /** The SQLite translation; throws the SqlError the SQL's first error gives. */
  translation(): Translation;
  /** What a load for exactly this query may leave out. */
  pushdown(): Pushdown;
}

/** Parses a cell's SQL (given as text, or as lexed elsewhere, then it is not lexed again). */
export function parseQuery(input: string | LexedSql): ParsedQuery {
  const parsed = parseSql(input);
  let translation: Translation | undefined;
  let pushdown: Pushdown | undefined;
  const query: ParsedQuery = {
    ...parsed,
    translation: () => (translation ??= translateSparkSql(parsed)),
    // The pushdown reads the translation (hot columns): the query's own, worked out once.
    pushdown: () => (pushdown ??= derivePushdown([query])),
  };
  return query;
}

/** The query itself when it is one already, else the text parsed. */
export function asParsedQuery(input: string | ParsedQuery): ParsedQuery {
  return typeof input === 'string' ? parseQuery(input) : input;
}
