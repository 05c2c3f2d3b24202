/**
 * A hand-written SQL lexer covering SQLite's lexical rules plus Spark's: '...' strings with ''
 * escapes, "..." (a string in Spark, an identifier in SQLite), `...` and [...] identifiers,
 * -- and block comments, numbers, x'..' blobs, parameters and every SQLite operator.
 * Every token keeps its offsets in the text it came from, so errors can point back at it.
 */
import { SqlError } from './position';

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
  | 'punct'; // ( ) , ; .

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
}

const OPERATORS = ['<=>', '->>', '<<', '>>', '<=', '>=', '==', '!=', '<>', '||', '->', '<', '>', '=', '+', '-', '*', '/', '%', '&', '|', '~'];
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
      if (close < 0) throw SqlError.at(sql, i, 'unterminated /* comment');
      push('comment', close + 2);
    } else if (c === "'" || c === '"' || c === '`') {
      const kind: TokenKind = c === "'" ? 'string' : c === '"' ? 'dquoted' : 'backtick';
      push(kind, quotedEnd(sql, i, c, options.backslashEscapes === true && c === '"'));
    } else if (c === '[') {
      const close = sql.indexOf(']', i + 1);
      if (close < 0) throw SqlError.at(sql, i, 'unterminated [identifier]');
      push('bracket', close + 1);
    } else if ((c === 'x' || c === 'X') && next === "'") {
      const end = quotedEnd(sql, i + 1, "'", false);
      const hex = sql.slice(i + 2, end - 1);
      if (!/^([0-9A-Fa-f]{2})*$/.test(hex)) throw SqlError.at(sql, i, `malformed blob literal ${sql.slice(i, end)}`);
      push('blob', end);
    } else if (isDigit(c) || (c === '.' && isDigit(next))) {
      push('number', numberEnd(sql, i));
    } else if (isWordStart(c)) {
      let j = i + 1;
      while (j < sql.length && isWordPart(sql[j]!)) j++;
      push('word', j);
    } else if (c === '?') {
      let j = i + 1;
      while (isDigit(sql[j])) j++;
      push('param', j);
    } else if ((c === ':' || c === '@' || c === '$') && next !== undefined && isWordPart(next)) {
      let j = i + 1;
      while (j < sql.length && isWordPart(sql[j]!)) j++;
      push('param', j);
    } else if (PUNCT.has(c)) {
      push('punct', i + 1);
    } else {
      const op = OPERATORS.find((o) => sql.startsWith(o, i));
      if (!op) throw SqlError.at(sql, i, `unexpected character ${JSON.stringify(c)}`);
      push('operator', i + op.length);
    }
  }
  return tokens;
}

/** End offset (exclusive) of a quoted token opened at `start`; a doubled quote is an escaped quote. */
function quotedEnd(sql: string, start: number, quote: string, backslashEscapes: boolean): number {
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
  throw SqlError.at(sql, start, `unterminated ${what}`);
}

function numberEnd(sql: string, start: number): number {
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
  if (j < sql.length && isWordStart(sql[j]!)) throw SqlError.at(sql, start, `malformed number ${sql.slice(start, j + 1)}`);
  return j;
}

/** Tokens that carry meaning (no spaces or comments). */
export function significant(tokens: readonly Token[]): Token[] {
  return tokens.filter((t) => t.kind !== 'space' && t.kind !== 'comment');
}

/** The name an identifier token stands for, without its quotes. */
export function identifierName(token: Token): string | undefined {
  switch (token.kind) {
    case 'word':
      return token.text;
    case 'backtick':
      return token.text.slice(1, -1).replace(/``/g, '`');
    case 'bracket':
      return token.text.slice(1, -1);
    default:
      return undefined;
  }
}

/** Decodes a Spark "double-quoted" string (doubled quotes and backslash escapes). */
export function sparkStringValue(token: Token): string {
  const body = token.text.slice(1, -1);
  const quote = token.text[0]!;
  return body.replace(new RegExp(`\\\\(.)|${quote}${quote}`, 'gs'), (whole, escaped: string | undefined) => {
    if (escaped === undefined) return quote;
    switch (escaped) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case '0':
        return '\0';
      case '\\':
      case '"':
      case "'":
        return escaped;
      default:
        // Spark keeps the backslash of unknown escapes such as \% and \_ (LIKE patterns).
        return whole;
    }
  });
}

export function sqliteString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export function sqliteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
