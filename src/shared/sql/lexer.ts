/**
 * The one SQL lexer, shared by the engine (Spark dialect translation, pushdown analysis, error
 * positions) and the editor (highlighting, completion). It covers SQLite's lexical rules plus
 * Spark's: '...' and "..." strings (with backslash escapes when asked), `...` and [...]
 * identifiers, -- and block comments, numbers, x'..' blobs, parameters (:name is also Databricks'
 * `col:path` operator), and every SQLite and Spark operator. Every token keeps its offsets.
 *
 * Strict mode (the default) throws a SqlLexError at the first malformed token; lenient mode
 * (the editor's, where text is half-typed) never throws: an unterminated string or comment runs
 * to the end of the text and an unknown character becomes a one-character 'unknown' token.
 * Either way the tokens cover the text exactly. Pure: no node:, DOM or editor imports.
 */

export type TokenKind =
  | 'space'
  | 'comment'
  | 'string' // '...'
  | 'dquoted' // "..."
  | 'backtick' // `...`
  | 'bracket' // [...]
  | 'word' // identifiers and keywords
  | 'number'
  | 'blob'
  | 'param'
  | 'operator'
  | 'punct' // ( ) , ; .
  | 'unknown'; // lenient mode only

export interface Token {
  kind: TokenKind;
  text: string;
  /** Offsets into the tokenized text, end exclusive. */
  start: number;
  end: number;
}

export interface TokenizeOptions {
  /** Spark reads backslash escapes in quoted strings; SQLite does not. */
  backslashEscapes?: boolean;
  /** Never throw (for text being edited). */
  lenient?: boolean;
}

/** A malformed token at an offset of the tokenized text. */
export class SqlLexError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
    this.name = 'SqlLexError';
  }
}

/** Words the editor shows as keywords and offers in completion. */
export const SQL_KEYWORDS: ReadonlySet<string> = new Set(
  (
    'select from where group by order having limit offset as and or not in is null like glob between case when then else end ' +
    'distinct all union intersect except join left right inner outer full cross on using with asc desc true false exists ' +
    'cast create replace temporary view table insert into values update delete set over partition window rows range ' +
    'interval date timestamp rlike ilike nulls first last any some escape collate natural recursive if options ' +
    'qualify lateral preceding following unbounded current row'
  ).split(' '),
);

const OPERATORS = ['<=>', '->>', '::', '<<', '>>', '<=', '>=', '==', '!=', '<>', '||', '->', '<', '>', '=', '+', '-', '*', '/', '%', '&', '|', '~', '^', '!', ':'];
const PUNCT = new Set(['(', ')', ',', ';', '.']);

function isWordStart(c: string): boolean {
  return /[A-Za-z_]/.test(c) || c.charCodeAt(0) > 0x7f;
}

function isWordPart(c: string): boolean {
  return /[A-Za-z0-9_$]/.test(c) || c.charCodeAt(0) > 0x7f;
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

export function tokenize(sql: string, options: TokenizeOptions = {}): Token[] {
  return scan(sql, options).tokens;
}

/** Where strict mode would stop: the first malformed token (plain data, so it crosses a thread boundary). */
export interface LexProblem {
  offset: number;
  message: string;
}

/**
 * A text lexed once as Spark reads it (backslash escapes on): its lenient tokens, which cover
 * the text exactly, and the first malformed token when there is one. Where strict mode succeeds
 * both modes give the same tokens, so one pass serves strict and lenient readers alike.
 */
export interface LexedSql {
  source: string;
  tokens: readonly Token[];
  problem?: LexProblem;
}

/** Lexes a text once, as Spark reads it. */
export function lexSpark(source: string): LexedSql {
  const { tokens, error } = scan(source, { backslashEscapes: true, lenient: true });
  return error === undefined ? { source, tokens } : { source, tokens, problem: { offset: error.offset, message: error.message } };
}

/** Only the lexed part of a query that holds more, as plain data (for a thread to parse without lexing again). */
export function lexedOf(query: LexedSql): LexedSql {
  return query.problem ? { source: query.source, tokens: query.tokens, problem: query.problem } : { source: query.source, tokens: query.tokens };
}

function scan(sql: string, options: TokenizeOptions): { tokens: Token[]; error?: SqlLexError } {
  const lenient = options.lenient === true;
  let error: SqlLexError | undefined;
  /** Reports a malformed token: strict mode throws, lenient mode keeps the first and goes on. */
  const malformed = (offset: number, message: string): void => {
    if (!lenient) throw new SqlLexError(offset, message);
    error ??= new SqlLexError(offset, message);
  };
  const fail = (offset: number, message: string): number => {
    malformed(offset, message);
    return sql.length;
  };
  const tokens: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, end: number): void => {
    tokens.push({ kind, text: sql.slice(i, end), start: i, end });
    i = end;
  };
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (/\s/.test(c)) {
      let j = i + 1;
      while (j < sql.length && /\s/.test(sql[j]!)) j++;
      push('space', j);
    } else if (c === '-' && next === '-') {
      const nl = sql.indexOf('\n', i);
      push('comment', nl < 0 ? sql.length : nl);
    } else if (c === '/' && next === '*') {
      const close = sql.indexOf('*/', i + 2);
      push('comment', close < 0 ? fail(i, 'unterminated /* comment') : close + 2);
    } else if (c === "'" || c === '"' || c === '`') {
      const kind: TokenKind = c === "'" ? 'string' : c === '"' ? 'dquoted' : 'backtick';
      push(kind, quotedEnd(sql, i, c, options.backslashEscapes === true && c !== '`', fail));
    } else if (c === '[') {
      const close = sql.indexOf(']', i + 1);
      push('bracket', close < 0 ? fail(i, 'unterminated [identifier]') : close + 1);
    } else if ((c === 'x' || c === 'X') && next === "'") {
      const end = quotedEnd(sql, i + 1, "'", false, fail);
      const hex = sql.slice(i + 2, end - 1);
      if (!/^([0-9A-Fa-f]{2})*$/.test(hex)) malformed(i, `malformed blob literal ${sql.slice(i, end)}`);
      push('blob', end);
    } else if (isDigit(c) || (c === '.' && isDigit(next))) {
      push('number', numberEnd(sql, i, malformed));
    } else if (isWordStart(c)) {
      let j = i + 1;
      while (j < sql.length && isWordPart(sql[j]!)) j++;
      push('word', j);
    } else if (c === '?') {
      let j = i + 1;
      while (isDigit(sql[j])) j++;
      push('param', j);
    } else if ((c === ':' || c === '@' || c === '$') && next !== undefined && isWordPart(next) && !(c === ':' && next === ':')) {
      let j = i + 1;
      while (j < sql.length && isWordPart(sql[j]!)) j++;
      push('param', j);
    } else if (PUNCT.has(c)) {
      push('punct', i + 1);
    } else {
      const op = OPERATORS.find((o) => sql.startsWith(o, i));
      if (op) push('operator', i + op.length);
      else {
        malformed(i, `unexpected character ${JSON.stringify(c)}`);
        push('unknown', i + 1);
      }
    }
  }
  return error === undefined ? { tokens } : { tokens, error };
}

/** End offset (exclusive) of a quoted token opened at `start`; a doubled quote is an escaped quote. */
function quotedEnd(sql: string, start: number, quote: string, backslashEscapes: boolean, fail: (offset: number, message: string) => number): number {
  let j = start + 1;
  while (j < sql.length) {
    const ch = sql[j]!;
    if (backslashEscapes && ch === '\\') {
      j += 2;
      continue;
    }
    if (ch === quote) {
      if (sql[j + 1] === quote) {
        j += 2;
        continue;
      }
      return j + 1;
    }
    j++;
  }
  const what = quote === "'" ? 'string' : quote === '"' ? 'double-quoted string' : 'backtick identifier';
  return fail(start, `unterminated ${what}`);
}

function numberEnd(sql: string, start: number, malformed: (offset: number, message: string) => void): number {
  let j = start;
  if (sql[j] === '0' && (sql[j + 1] === 'x' || sql[j + 1] === 'X')) {
    j += 2;
    while (j < sql.length && /[0-9A-Fa-f_]/.test(sql[j]!)) j++;
    return j;
  }
  while (isDigit(sql[j]) || sql[j] === '_') j++;
  if (sql[j] === '.') {
    j++;
    while (isDigit(sql[j]) || sql[j] === '_') j++;
  }
  if ((sql[j] === 'e' || sql[j] === 'E') && (isDigit(sql[j + 1]) || ((sql[j + 1] === '+' || sql[j + 1] === '-') && isDigit(sql[j + 2])))) {
    j += 2;
    while (isDigit(sql[j])) j++;
  }
  // Spark's typed number literals: 10L, 5S, 2Y, 1.5D, 1.5F, 3BD.
  const suffix = /^(?:BD|[LSYDF])(?![A-Za-z0-9_$])/i.exec(sql.slice(j, j + 3));
  if (suffix) return j + suffix[0].length;
  if (j < sql.length && isWordStart(sql[j]!)) {
    malformed(start, `malformed number ${sql.slice(start, j + 1)}`);
    while (j < sql.length && isWordPart(sql[j]!)) j++;
    return j;
  }
  return j;
}

/** Whether a token carries meaning (is not a space or a comment). */
export function isSignificantToken(token: Token): boolean {
  return token.kind !== 'space' && token.kind !== 'comment';
}

/** Tokens that carry meaning (no spaces or comments). */
export function significant(tokens: readonly Token[]): Token[] {
  return tokens.filter(isSignificantToken);
}

/** Whether a token is a name: a word or a quoted identifier. */
export function isNameToken(token: Token | undefined): boolean {
  return token !== undefined && (token.kind === 'word' || token.kind === 'backtick' || token.kind === 'bracket');
}

/** Whether a token is the punctuation `text`. */
export function isPunct(token: Token | undefined, text: string): boolean {
  return token !== undefined && token.kind === 'punct' && token.text === text;
}

/** Whether a token is a word spelling one of `words` (lower-case), in any case. */
export function isWord(token: Token | undefined, ...words: string[]): boolean {
  return token !== undefined && token.kind === 'word' && words.includes(token.text.toLowerCase());
}

/** Whether a token is one of the operators `ops`. */
export function isOperator(token: Token | undefined, ...ops: string[]): boolean {
  return token !== undefined && token.kind === 'operator' && ops.includes(token.text);
}

/** A word token's text in lower case; undefined for any other token. */
export function wordOf(token: Token | undefined): string | undefined {
  return token?.kind === 'word' ? token.text.toLowerCase() : undefined;
}

/** The token that holds `offset`, not counting spaces. */
export function tokenAt(tokens: readonly Token[], offset: number): Token | undefined {
  return tokens.find((t) => t.start <= offset && offset < t.end && t.kind !== 'space');
}

/** Whether a token is a quoted string ('...' or "..."). */
export function isStringToken(token: Token | undefined): boolean {
  return token !== undefined && (token.kind === 'string' || token.kind === 'dquoted');
}

/** Whether a word token is one of SQL_KEYWORDS. */
export function isKeywordToken(token: Token): boolean {
  return token.kind === 'word' && SQL_KEYWORDS.has(token.text.toLowerCase());
}

/** The name an identifier token stands for, without its quotes (also when unterminated). */
export function identifierName(token: Token): string | undefined {
  switch (token.kind) {
    case 'word':
      return token.text;
    case 'backtick':
      return unwrap(token.text, '`').replace(/``/g, '`');
    case 'bracket':
      return unwrap(token.text, ']');
    default:
      return undefined;
  }
}

function unwrap(text: string, close: string): string {
  return text.length >= 2 && text.endsWith(close) ? text.slice(1, -1) : text.slice(1);
}

/**
 * The value of a quoted string token as Spark reads it (spark.sql.parser.escapedStringLiterals
 * off, its default): a doubled quote is one quote; `\b \n \r \t \Z \0` and `\uXXXX` are the
 * characters they name, `\%` and `\_` keep their backslash (LIKE patterns), and any other
 * escaped character stands for itself (`\\` is `\`, `\'` is `'`, `\d` is `d`).
 */
export function sparkStringValue(token: Token): string {
  const quote = token.text[0]!;
  const body = unwrap(token.text, quote);
  return body.replace(new RegExp(`\\\\u([0-9A-Fa-f]{4})|\\\\(.)|${quote}${quote}`, 'gs'), (whole, hex: string | undefined, escaped: string | undefined) => {
    if (hex !== undefined) return String.fromCharCode(parseInt(hex, 16));
    if (escaped === undefined) return quote;
    switch (escaped) {
      case 'b':
        return '\b';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'Z':
        return '\u001a';
      case '0':
        return '\0';
      case '%':
      case '_':
        return whole;
      default:
        return escaped;
    }
  });
}

/** The value of a SQLite '...' string token (a doubled quote is one quote, no escapes). */
export function sqliteStringValue(token: Token): string {
  return unwrap(token.text, "'").replace(/''/g, "'");
}

/** The class the editor shows a token with. */
export type HighlightClass = 'keyword' | 'identifier' | 'quotedIdentifier' | 'string' | 'number' | 'operator' | 'punctuation' | 'comment' | 'whitespace';

export function highlightClass(token: Token): HighlightClass {
  switch (token.kind) {
    case 'space':
      return 'whitespace';
    case 'comment':
      return 'comment';
    case 'string':
    case 'dquoted':
    case 'blob':
      return 'string';
    case 'backtick':
    case 'bracket':
      return 'quotedIdentifier';
    case 'word':
      return isKeywordToken(token) ? 'keyword' : 'identifier';
    case 'number':
      return 'number';
    case 'operator':
      return 'operator';
    case 'param':
      return 'identifier';
    default:
      return 'punctuation';
  }
}
