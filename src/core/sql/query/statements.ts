/**
 * What one statement of a query does, read from its significant tokens: whether it may change
 * the database, which of the session's own objects it would drop or alter, which tables it reads.
 */
import { identifierName, isNameToken, isPunct, wordOf, type Token } from '../../../shared/sql/lexer';
import { OWN_SCHEMA_OBJECTS } from '../schema';

/** The words that make a statement store or change something: the one list of them. */
export const WRITE_WORDS: ReadonlySet<string> = new Set(['insert', 'update', 'delete', 'replace', 'create', 'drop', 'alter']);

/** Statements that start with these only read. */
const READ_ONLY_STARTS = new Set(['select', 'values', 'explain', 'pragma']);

/** One statement: its significant tokens (without the closing semicolon) and where it lies in the source. */
export interface StatementTokens {
  tokens: readonly Token[];
  /** The start of its first token and the end of its semicolon (or of the source). */
  start: number;
  end: number;
}

/** The statements of a query's significant tokens, split at semicolons; empty ones are left out. */
export function splitStatements(significant: readonly Token[], sourceLength: number): StatementTokens[] {
  const statements: StatementTokens[] = [];
  let current: Token[] = [];
  for (const token of significant) {
    if (isPunct(token, ';')) {
      if (current.length > 0) statements.push({ tokens: current, start: current[0]!.start, end: token.end });
      current = [];
    } else {
      current.push(token);
    }
  }
  if (current.length > 0) statements.push({ tokens: current, start: current[0]!.start, end: sourceLength });
  return statements;
}

/** Whether a statement may change the database (then a snapshot is due after it). */
export function mayWrite(tokens: readonly Token[]): boolean {
  const first = tokens.find((t) => t.kind === 'word');
  if (first === undefined) return false;
  const verb = first.text.toLowerCase();
  if (READ_ONLY_STARTS.has(verb)) return false;
  if (verb === 'with') return tokens.some((t) => WRITE_WORDS.has(wordOf(t) ?? ''));
  return true;
}

/**
 * The session's own table, view, index or trigger a statement would drop, alter or hide (a temporary table
 * or view of the same name would stand in for it), if any.
 */
export function ownObjectChanged(tokens: readonly Token[]): string | undefined {
  const word = (i: number) => wordOf(tokens[i]);
  const verb = word(0);
  const temporary = verb === 'create' && (word(1) === 'temp' || word(1) === 'temporary') ? 1 : 0;
  if ((verb !== 'drop' && verb !== 'alter' && !temporary) || !['table', 'view', 'index', 'trigger'].includes(word(1 + temporary) ?? '')) return undefined;
  let at = 2 + temporary;
  if (word(at) === 'if' && word(at + 1) === 'not' && word(at + 2) === 'exists') at += 3;
  else if (word(at) === 'if' && word(at + 1) === 'exists') at += 2;
  if (tokens[at + 1]?.text === '.') at += 2;
  const name = tokens[at];
  if (!name) return undefined;
  const bare = (name.kind === 'word' ? name.text : name.text.slice(1, -1)).toLowerCase();
  return OWN_SCHEMA_OBJECTS.includes(bare) ? bare : undefined;
}

/**
 * The tables a statement reads: the (possibly qualified) names after FROM and JOIN, lower-cased,
 * without repeats. Table functions and subqueries are not names, so they are left out.
 */
export function tablesRead(tokens: readonly Token[]): string[] {
  const tables = new Set<string>();
  for (let k = 0; k < tokens.length; k++) {
    const w = wordOf(tokens[k]);
    if ((w !== 'from' && w !== 'join') || !isNameToken(tokens[k + 1])) continue;
    const parts = [identifierName(tokens[k + 1]!)!];
    let last = k + 1;
    while (isPunct(tokens[last + 1], '.') && isNameToken(tokens[last + 2])) {
      parts.push(identifierName(tokens[last + 2]!)!);
      last += 2;
    }
    if (!isPunct(tokens[last + 1], '(')) tables.add(parts.join('.').toLowerCase());
  }
  return [...tables];
}
