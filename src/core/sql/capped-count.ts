/**
 * The full row count of a result cut at the display cap, without producing the rows past the cap.
 * Stepping through them reads every one from the table (a `SELECT *` of 33,000 rows spends most
 * of its time there); `SELECT count(*)` over the same statement gives the same number from an
 * index alone, when SQLite can answer it so. Only for a statement whose output is stored columns
 * of one table: a computed column could fail on a row past the cap, and the count would hide that.
 */
import type { Database } from 'sql.js';
import { isNameToken, isPunct, isWord, significant, SQL_KEYWORDS, tokenize, type Token } from '../../shared/sql/lexer';

/** Clauses that may follow the table: they filter, order or cut the rows, never compute new ones. */
const ROW_CLAUSES = ['where', 'order', 'limit'];

/** Words that, anywhere outside parentheses after FROM, make the result more than filtered rows of the table. */
const NOT_PLAIN = new Set(['group', 'having', 'window', 'union', 'intersect', 'except', 'join', 'natural', 'cross', 'returning']);

/**
 * The number of rows `statementSql` (one SQLite statement) returns, counted from an index, or
 * undefined when the statement is not plain columns of one table or the count would read table rows.
 */
export function countFromIndex(db: Database, statementSql: string): number | undefined {
  const tokens = statementTokens(statementSql);
  if (tokens === undefined) return undefined;
  const table = plainColumnsTable(tokens);
  if (table === undefined || !isStoredTable(db, table)) return undefined;
  const body = statementSql.slice(tokens[0]!.start, tokens[tokens.length - 1]!.end);
  const count = `SELECT count(*) FROM (\n${body}\n)`;
  try {
    if (!readsOnlyIndexes(db, count)) return undefined;
    const total = db.exec(count)[0]?.values[0]?.[0];
    return typeof total === 'number' ? total : undefined;
  } catch {
    return undefined;
  }
}

/** The statement's significant tokens without its closing semicolon; undefined when it does not lex. */
function statementTokens(sql: string): Token[] | undefined {
  let tokens: Token[];
  try {
    tokens = significant(tokenize(sql));
  } catch {
    return undefined;
  }
  if (isPunct(tokens[tokens.length - 1], ';')) tokens.pop();
  return tokens.length > 0 && !tokens.some((t) => isPunct(t, ';')) ? tokens : undefined;
}

/**
 * The table of `SELECT <columns> FROM <table> [alias] [WHERE …] [ORDER BY …] [LIMIT …]` where every
 * output is `*`, `t.*`, a column or `t.column` (each maybe aliased); undefined for any other shape.
 */
function plainColumnsTable(tokens: readonly Token[]): string | undefined {
  let k = 0;
  if (!isWord(tokens[k++], 'select')) return undefined;
  if (isWord(tokens[k], 'all')) k++;
  for (;;) {
    const end = plainItemEnd(tokens, k);
    if (end === undefined) return undefined;
    k = end;
    if (isPunct(tokens[k], ',')) k++;
    else break;
  }
  if (!isWord(tokens[k++], 'from')) return undefined;
  const table = tokens[k++];
  if (!isName(table) || isPunct(tokens[k], '.') || isPunct(tokens[k], '(')) return undefined;
  if (isWord(tokens[k], 'as')) k++;
  if (isName(tokens[k]) && !isWord(tokens[k], ...ROW_CLAUSES)) k++;
  if (k < tokens.length && !isWord(tokens[k], ...ROW_CLAUSES)) return undefined;
  let depth = 0;
  for (; k < tokens.length; k++) {
    const token = tokens[k]!;
    if (isPunct(token, '(')) depth++;
    else if (isPunct(token, ')')) depth--;
    else if (depth === 0 && token.kind === 'word' && NOT_PLAIN.has(token.text.toLowerCase())) return undefined;
  }
  return nameOf(table);
}

/** Where a plain output item starting at `k` ends (the index after it), or undefined when it is not one. */
function plainItemEnd(tokens: readonly Token[], k: number): number | undefined {
  if (tokens[k]?.text === '*') return k + 1;
  if (!isName(tokens[k])) return undefined;
  k++;
  if (isPunct(tokens[k], '.')) {
    if (tokens[k + 1]?.text === '*') return k + 2;
    if (!isName(tokens[k + 1])) return undefined;
    k += 2;
  }
  if (isWord(tokens[k], 'as')) return isName(tokens[k + 1]) ? k + 2 : undefined;
  if (isName(tokens[k]) && !isWord(tokens[k], 'from')) return k + 1;
  return k;
}

/**
 * Words that are not a bare column name here: SQL keywords (`DISTINCT a`, `NOT a` or `CASE …`
 * would read as a column and its alias) and SQLite's value words; `date` and `timestamp` are
 * keywords in Spark but columns in SQLite.
 */
const NOT_NAMES: ReadonlySet<string> = new Set([...[...SQL_KEYWORDS].filter((word) => word !== 'date' && word !== 'timestamp'), 'current_date', 'current_time', 'current_timestamp', 'raise', 'regexp', 'match', 'isnull', 'notnull']);

/** A column or table name: a word that is not a keyword, or a quoted identifier (not a `[…]`, which the shared lexer also reads as subscripts). */
function isName(token: Token | undefined): token is Token {
  if (token === undefined || token.kind === 'bracket') return false;
  if (token.kind === 'word') return !NOT_NAMES.has(token.text.toLowerCase());
  return isNameToken(token) || token.kind === 'dquoted';
}

function nameOf(token: Token): string {
  return token.kind === 'word' ? token.text : token.text.slice(1, -1).replace(/``|""/g, (pair) => pair[0]!);
}

/** Whether `name` resolves to a table (not a view, whose columns may be computed), as SQLite resolves it: temp objects first. */
function isStoredTable(db: Database, name: string): boolean {
  for (const schema of ['sqlite_temp_schema', 'sqlite_schema']) {
    const statement = db.prepare(`SELECT type FROM ${schema} WHERE name = ? COLLATE NOCASE AND type IN ('table', 'view')`);
    try {
      statement.bind([name]);
      if (statement.step()) return statement.get()[0] === 'table';
    } finally {
      statement.free();
    }
  }
  return false;
}

/** Whether every table the count reads, it reads through a covering index (never a table row). */
function readsOnlyIndexes(db: Database, sql: string): boolean {
  const plan = db.exec(`EXPLAIN QUERY PLAN ${sql}`)[0]?.values ?? [];
  const reads = plan.map((row) => String(row[3])).filter((detail) => /^(SCAN|SEARCH) /.test(detail));
  return reads.length > 0 && reads.every((detail) => detail.includes(' USING COVERING INDEX '));
}
