/**
 * Maps SQLite's error messages back to a position in the user's SQL. SQLite (as sql.js exposes
 * it) names the offending token but not where it is, so the token is looked up in the translated
 * SQL; for syntax errors the exact occurrence is found by re-parsing prefixes of the statement.
 */
import { caretExcerpt, positionAt, SqlError } from './position';
import { significant, tokenize, type Token } from '../../../shared/sql/lexer';
import type { Translation } from './translate';

/** Parses SQL without running it; returns SQLite's error message, or undefined when it parses. */
export type ParseProbe = (sql: string) => string | undefined;

export interface StatementSpan {
  /** Offsets of the failing statement in `translation.sql`. */
  start: number;
  end: number;
}

const NAMED_ERRORS: readonly RegExp[] = [
  /^no such column: (.+)$/,
  /^no such table: (.+)$/,
  /^no such function: (.+)$/,
  /^ambiguous column name: (.+)$/,
  /^unrecognized token: "(.+)"$/s,
  /^wrong number of arguments to function (\w+)\(\)$/,
  /^misuse of (?:aggregate|window) function:? (\w+)\(\)$/,
  /^no such collation sequence: (.+)$/,
  /^table \S+ has no column named (.+)$/,
];

export function sqliteErrorToSqlError(message: string, translation: Translation, span: StatementSpan, probe: ParseProbe): SqlError {
  const cleaned = message.replace(/^Error: /, '');
  const outOffset = locate(cleaned, translation.sql, span, probe);
  if (outOffset === undefined) return new SqlError(cleaned, undefined, translation.source);
  const offset = translation.sourceOffset(outOffset);
  const position = positionAt(translation.source, offset);
  return new SqlError(describe(cleaned), position, caretExcerpt(translation.source, position));
}

function describe(message: string): string {
  if (message === 'incomplete input') return 'the statement ends too early (incomplete input)';
  const fn = /^no such function: (\w+)$/.exec(message);
  if (fn) return `no such function: ${fn[1]} (neither a Spark function this engine supports nor a SQLite one)`;
  return message;
}

function locate(message: string, sql: string, span: StatementSpan, probe: ParseProbe): number | undefined {
  const statement = sql.slice(span.start, span.end);
  if (message === 'incomplete input') return span.start + statement.trimEnd().length;
  const near = /^near "(.+)": syntax error$/s.exec(message);
  if (near) return locateSyntaxError(near[1]!, statement, probe, span.start);
  const regex = REGEX_ERROR.exec(message);
  if (regex) return locatePattern(regex[2]!, regex[1]!, statement, span.start);
  for (const pattern of NAMED_ERRORS) {
    const match = pattern.exec(message);
    if (match) return locateName(match[1]!, statement, span.start);
  }
  return undefined;
}

/** A function's invalid pattern, as functions.ts reports it: `<fn>: invalid regular expression '<p>' (<reason>)`. */
const REGEX_ERROR = /^(\w+): invalid regular expression '(.*)' \(.*\)$/s;

/**
 * The pattern's string literal, when one spells it; else the call (or the REGEXP operator
 * RLIKE becomes) of the function that compiled it.
 */
function locatePattern(pattern: string, fn: string, statement: string, base: number): number | undefined {
  const tokens = statementTokens(statement);
  const literal = tokens.find((t) => t.kind === 'string' && t.text.slice(1, -1).replace(/''/g, "'") === pattern); // SQLite's quoting: the SQL is translated
  if (literal) return base + literal.start;
  const call = tokens.find((t, i) => t.kind === 'word' && (fn === 'rlike' ? /^(regexp|rlike)$/i.test(t.text) : t.text.toLowerCase() === fn && tokens[i + 1]?.text === '('));
  return call ? base + call.start : undefined;
}

function statementTokens(statement: string): Token[] {
  try {
    return significant(tokenize(statement));
  } catch {
    return [];
  }
}

/** The first occurrence of `text` at which a prefix of the statement fails with the same error. */
function locateSyntaxError(text: string, statement: string, probe: ParseProbe, base: number): number | undefined {
  const candidates = statementTokens(statement).filter((t) => t.text === text);
  const expected = `near "${text}": syntax error`;
  for (const token of candidates) {
    const error = probe(statement.slice(0, token.end));
    if (error !== undefined && error.replace(/^Error: /, '') === expected) return base + token.start;
  }
  return candidates[0] ? base + candidates[0].start : undefined;
}

/** The first token sequence spelling `name` (possibly qualified: `a.b`), case-insensitively. */
function locateName(name: string, statement: string, base: number): number | undefined {
  const parts = name.split('.').map((p) => p.toLowerCase());
  const tokens = statementTokens(statement);
  const unquote = (t: Token): string => (/^["`[]/.test(t.text) ? t.text.slice(1, -1) : t.text).toLowerCase();
  for (let i = 0; i < tokens.length; i++) {
    if (parts.every((part, j) => tokens[i + 2 * j] !== undefined && unquote(tokens[i + 2 * j]!) === part && (j === 0 || tokens[i + 2 * j - 1]!.text === '.'))) {
      return base + tokens[i]!.start;
    }
  }
  return undefined;
}
