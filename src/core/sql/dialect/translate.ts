/**
 * The Spark-style dialect shim: rewrites a query written for Databricks (Spark SQL over the
 * delivered JSON) into SQLite over the `audit_logs` table, token by token:
 * - nested paths on the JSON columns (`requestParams.spark_version`, `a.userIdentity.email`,
 *   requestParams.`script-SHA256`, any depth) and on the names a query gives to arrays, maps and
 *   structs (`req.securable.table`, see json-names.ts) become `json_extract(col, '$."k1"."k2"')`;
 *   a field name SQLite reserves after a dot (`t.table`) is quoted;
 * - "double-quoted" text is a string literal and `backticks` quote identifiers;
 * - an unaliased nested path in a SELECT list is named by its last segment, an unaliased
 *   COUNT(*) is named `count(1)`, as Spark names them;
 * - Spark's `<=>` (null-safe equality) becomes IS, `RLIKE` REGEXP, `get_json_object` json_extract;
 * - other unaliased SELECT items get the names Spark gives them (see naming.ts), and a top-level
 *   item that is an array, map or struct is marked as JSON for the results, and so is one that
 *   names such a value of a subquery or CTE, or reads an element or field that may be one;
 * - '…' and "…" strings are read with Spark's backslash escapes;
 * - calls SQLite cannot spell, subscripts, dates, times and intervals, generators, QUALIFY, and
 *   the features refused by name (see spark-syntax.ts).
 * Plain SQLite passes through unchanged, but for its backslashes in strings. The result maps every output offset back to the user's
 * SQL so errors can point at what the user wrote.
 */
import { SqlError } from './position';
import { matchingParens } from './edits';
import { isCollectionCall, sparkItemName } from './naming';
import { jsonValuedNames } from './json-names';
import { sparkSyntaxEdits } from './spark-syntax';
import { identifierName, isNameToken, isPunct, isWord, significant, sparkStringValue, type LexedSql, type Token } from '../../../shared/sql/lexer';
import { JSON_COLUMN_NAMES, MAP_COLUMN_NAMES } from '../../../shared/auditRecord';
import { lex, sqliteIdentifier, sqliteString, strictTokens } from './lex';
import { WRITE_WORDS } from '../query/statements';
import { jsonRead, type JsonReadForm } from './json-access';
import { hotColumnFor, starColumns, statementsReadingAuditLogsOnly } from './hot-columns';

/** Columns holding JSON text, on `audit_logs` and on the `system_access_audit` view (whose `identity_metadata` the record lacks). */
export const JSON_COLUMNS: ReadonlySet<string> = new Set([...JSON_COLUMN_NAMES, 'identity_metadata']);

/** Prefix that marks an object or array value of a top-level nested path (stripped by the engine). */
export const JSON_VALUE_MARK = '\u001e';

export interface Translation {
  /** The user's SQL. */
  source: string;
  /** The SQLite SQL to run. */
  sql: string;
  /** Maps an offset in `sql` to the offset in `source` it came from. */
  sourceOffset(offset: number): number;
  /** Lower-cased names the query gives to arrays, maps and structs (a `SELECT *` over them shows JSON). */
  jsonNames: ReadonlySet<string>;
  /**
   * Where each of the user's statements lies in `sql`, in order: from its first character to
   * the end of its semicolon (or of the SQL). Statements with no token are left out.
   */
  statements: readonly { start: number; end: number }[];
}

interface Piece {
  outStart: number;
  text: string;
  srcStart: number;
  srcEnd: number;
}

const CLAUSE_END = new Set(['from', 'where', 'group', 'having', 'order', 'limit', 'window', 'union', 'intersect', 'except']);

interface Chain {
  /** Indexes into the significant tokens, first and last token of the chain. */
  first: number;
  last: number;
  /** Replacement text when the chain is a nested JSON path: the JSON column, after its qualifier (`a.`, or nothing). */
  column: string;
  qualifier: string;
  jsonColumn: string;
  path: string[];
  /** One key into `requestParams`: a map of strings (see mapValue). */
  mapValue: boolean;
}

/** The JSON columns that hold a map of string values, as Databricks declares `requestParams`. */
const MAP_COLUMNS = MAP_COLUMN_NAMES;

/** Translates the user's SQL, given as text or as lexed once (then it is not lexed again). */
export function translateSparkSql(input: string | LexedSql): Translation {
  const source = typeof input === 'string' ? input : input.source;
  const tokens = typeof input === 'string' ? lex(source, { backslashEscapes: true }) : strictTokens(input);
  const sig = significant(tokens);
  const jsonNames = jsonValuedNames(sig, matchingParens(sig), JSON_COLUMNS);
  const chains = findJsonPaths(source, sig, jsonNames);
  const chainAt = new Map(chains.map((c) => [c.first, c]));
  const syntax = sparkSyntaxEdits(source, sig, (fragment) => translateSparkSql(fragment).sql);
  const untouched = (first: number, last: number): boolean => {
    for (let k = first; k <= last; k++) {
      if (chainAt.has(k) || syntax.before.has(k) || syntax.after.has(k) || syntax.replace.has(k) || sig[k]!.kind === 'string' || sig[k]!.kind === 'dquoted' || sig[k]!.kind === 'backtick') return false;
    }
    return true;
  };
  const writesAt = statementWrites(sig);
  const edits = selectListEdits(source, sig, chainAt, untouched, syntax.generatedColumns, jsonNames, writesAt);

  const pieces: Piece[] = [];
  let out = '';
  const emit = (text: string, srcStart: number, srcEnd: number): void => {
    pieces.push({ outStart: out.length, text, srcStart, srcEnd });
    out += text;
  };
  const emitAround = (texts: readonly string[] | undefined, at: number): void => {
    for (const text of texts ?? []) emit(text, at, at);
  };
  const sigIndex = new Map(sig.map((t, i) => [t, i]));
  const readsAuditLogsOnly = statementsReadingAuditLogsOnly(sig);
  const wrappedEnds = new Set(edits.wrapped.values());
  let chainEnd = -1; // source offset: tokens before it belong to an emitted chain
  const statements: { start: number; end: number }[] = [];
  let statementStart: number | undefined;
  for (const token of tokens) {
    if (token.end <= chainEnd) continue;
    const k = sigIndex.get(token);
    if (k === undefined) {
      emit(token.text, token.start, token.end);
      continue;
    }
    const endsStatement = isPunct(token, ';');
    if (!endsStatement) statementStart ??= out.length;
    if (edits.wrapped.has(k)) emit(edits.markedNames.has(k) ? 'spark_mark_json_text(' : 'spark_mark_json(', token.start, token.start);
    emitAround(syntax.before.get(k), token.start);
    const chain = chainAt.get(k);
    if (chain) {
      const replaced = syntax.replace.get(k);
      const form: JsonReadForm = chain.mapValue ? 'map' : edits.marked.has(k) ? 'marked' : 'value';
      const hot = readsAuditLogsOnly(k) ? hotColumnFor(chain, form) : undefined;
      const text = replaced !== undefined ? replaced : (hot ?? jsonRead(form, chain.column, chain.path));
      emit(text, sig[chain.first]!.start, sig[chain.last]!.end);
      chainEnd = sig[chain.last]!.end;
      emitAround(syntax.after.get(chain.last), chainEnd);
      const alias = edits.aliases.get(chain.last);
      if (alias !== undefined) emit(` AS ${sqliteIdentifier(alias)}`, sig[chain.last]!.end, sig[chain.last]!.end);
      continue;
    }
    const star = readsAuditLogsOnly(k) && !writesAt(k) ? starColumns(sig, k) : undefined;
    if (star !== undefined) {
      emit(star, token.start, token.end);
      continue;
    }
    const reservedField = token.kind === 'word' && isPunct(sig[k - 1], '.') && SQLITE_RESERVED.has(token.text.toLowerCase());
    emit(syntax.replace.get(k) ?? (reservedField ? sqliteIdentifier(token.text) : translateToken(token)), token.start, token.end);
    emitAround(syntax.after.get(k), token.end);
    if (wrappedEnds.has(k)) emit(')', token.end, token.end);
    const alias = edits.aliases.get(k);
    if (alias !== undefined) emit(` AS ${sqliteIdentifier(alias)}`, token.end, token.end);
    if (endsStatement && statementStart !== undefined) statements.push(statementSpan(out, statementStart, out.length));
    if (endsStatement) statementStart = undefined;
  }
  if (statementStart !== undefined) statements.push(statementSpan(out, statementStart, out.length));
  return { source, sql: out, sourceOffset: (offset) => sourceOffset(pieces, offset, source.length), jsonNames, statements };
}

/** A statement's span in the output, from its first character that is not a space. */
function statementSpan(out: string, start: number, end: number): { start: number; end: number } {
  let first = start;
  while (first < end && /\s/.test(out[first]!)) first++;
  return { start: first, end };
}

/** Words SQLite reads as keywords even after a dot: `t.table` names a column there only when quoted. */
const SQLITE_RESERVED: ReadonlySet<string> = new Set([
  'all', 'alter', 'and', 'as', 'autoincrement', 'between', 'case', 'check', 'collate', 'commit', 'constraint', 'create', 'default', 'deferrable',
  'delete', 'distinct', 'drop', 'else', 'escape', 'except', 'exists', 'foreign', 'from', 'group', 'having', 'in', 'index', 'insert', 'intersect',
  'into', 'is', 'isnull', 'join', 'limit', 'not', 'nothing', 'notnull', 'null', 'on', 'or', 'order', 'primary', 'references', 'returning',
  'select', 'set', 'table', 'then', 'to', 'transaction', 'union', 'unique', 'update', 'using', 'values', 'when', 'where',
]);

/** Spark spellings with a SQLite equivalent (the `regexp` function comes from functions.ts). */
const RENAMED_WORDS: ReadonlyMap<string, string> = new Map([
  ['rlike', 'REGEXP'],
  ['get_json_object', 'json_extract'],
]);

function translateToken(token: Token): string {
  switch (token.kind) {
    case 'word':
      return RENAMED_WORDS.get(token.text.toLowerCase()) ?? token.text;
    case 'operator':
      return token.text === '<=>' ? ' IS ' : token.text;
    case 'string':
    case 'dquoted':
      return sqliteString(sparkStringValue(token));
    case 'backtick':
      return sqliteIdentifier(identifierName(token)!);
    default:
      return token.text;
  }
}

/** Every dotted name chain (a.b.c) that reaches into a JSON column or a name given to JSON (`req.securable.table`). */
function findJsonPaths(source: string, sig: readonly Token[], jsonNames: ReadonlySet<string>): Chain[] {
  const chains: Chain[] = [];
  for (let k = 0; k < sig.length; k++) {
    if (!isNameToken(sig[k]) || isPunct(sig[k - 1], '.')) continue;
    let last = k;
    while (isPunct(sig[last + 1], '.') && isNameToken(sig[last + 2])) last += 2;
    const names: string[] = [];
    for (let j = k; j <= last; j += 2) names.push(identifierName(sig[j]!)!);
    const nextIsCall = isPunct(sig[last + 1], '(');
    const at = names.findIndex((name, i) => i <= 2 && i < names.length - 1 && (JSON_COLUMNS.has(name.toLowerCase()) || jsonNames.has(name.toLowerCase())));
    if (at >= 0 && !nextIsCall) {
      names.forEach((key, i) => {
        if (i > at && key.includes('"')) throw SqlError.at(source, sig[k + 2 * i]!.start, `a JSON path key cannot contain '"': ${key}`);
      });
      const parts = names.slice(0, at + 1).map((name, i) => (sig[k + 2 * i]!.kind === 'word' ? name : sqliteIdentifier(name)));
      const qualifier = parts.slice(0, at).map((part) => `${part}.`).join('');
      const path = names.slice(at + 1);
      chains.push({ first: k, last, column: parts.join('.'), qualifier, jsonColumn: names[at]!, path, mapValue: path.length === 1 && MAP_COLUMNS.has(names[at]!.toLowerCase()) });
    }
    k = last;
  }
  return chains;
}

interface SelectEdits {
  /** Significant index of an item's last token → alias to add after it. */
  aliases: Map<number, string>;
  /** First → last significant index of a top-level item holding an array, map or struct. */
  wrapped: Map<number, number>;
  /** Significant index of a chain's first token whose value is a top-level output column. */
  marked: Set<number>;
  /** First significant index of a wrapped item that names a subquery's or CTE's JSON value (marked only when it holds one). */
  markedNames: Set<number>;
}

/** Finds the SELECT-list items that Spark would name differently from SQLite. */
function selectListEdits(
  source: string,
  sig: readonly Token[],
  chainAt: ReadonlyMap<number, Chain>,
  untouched: (first: number, last: number) => boolean,
  generatedColumns: ReadonlyMap<number, string>,
  jsonNames: ReadonlySet<string>,
  writesAt: (index: number) => boolean,
): SelectEdits {
  const edits: SelectEdits = { aliases: new Map(), marked: new Set(), wrapped: new Map(), markedNames: new Set() };
  const match = matchingParens(sig);
  let depth = 0;
  // Per open SELECT list: its depth and the significant index where the current item starts.
  const lists: { depth: number; itemStart: number }[] = [];
  const closeItem = (end: number): void => {
    const list = lists[lists.length - 1]!;
    if (end === list.itemStart && generatedColumns.has(end)) {
      edits.aliases.set(end, generatedColumns.get(end)!);
      return;
    }
    inspectItem(sig, list.itemStart, end, list.depth === 0 && !writesAt(list.itemStart), chainAt, match, edits, jsonNames);
    const name = edits.aliases.get(end);
    if (name !== undefined && end >= list.itemStart && !edits.wrapped.has(list.itemStart) && untouched(list.itemStart, end) && name === source.slice(sig[list.itemStart]!.start, sig[end]!.end)) edits.aliases.delete(end);
  };
  for (let k = 0; k < sig.length; k++) {
    const token = sig[k]!;
    const list = lists[lists.length - 1];
    if (isPunct(token, '(')) {
      depth++;
    } else if (isPunct(token, ')')) {
      if (list && list.depth === depth) {
        closeItem(k - 1);
        lists.pop();
      }
      depth--;
    } else if (list && list.depth === depth && (isPunct(token, ';') || (isWord(token, ...CLAUSE_END) && !(isWord(token, 'window') && (isPunct(sig[k + 1], '(') || isPunct(sig[k + 1], '.') || isPunct(sig[k + 1], ',') || isWord(sig[k + 1], 'from')))))) {
      closeItem(k - 1);
      lists.pop();
    } else if (list && list.depth === depth && isPunct(token, ',')) {
      closeItem(k - 1);
      list.itemStart = k + 1;
    }
    if (isWord(token, 'select')) {
      let start = k + 1;
      if (isWord(sig[start], 'distinct', 'all')) start++;
      lists.push({ depth, itemStart: start });
    }
  }
  if (lists.length > 0) closeItem(sig.length - 1);
  return edits;
}

/**
 * Whether the statement holding a token stores what it selects (INSERT … SELECT, CREATE … AS
 * SELECT): its values must stay unmarked, since they are kept rather than shown.
 */
function statementWrites(sig: readonly Token[]): (index: number) => boolean {
  const writes: boolean[] = new Array<boolean>(sig.length);
  let start = 0;
  let depth = 0;
  let found = false;
  for (let k = 0; k <= sig.length; k++) {
    const token = sig[k];
    if (token === undefined || isPunct(token, ';')) {
      writes.fill(found, start, k + 1);
      start = k + 1;
      found = false;
      depth = 0;
      continue;
    }
    if (isPunct(token, '(')) depth++;
    else if (isPunct(token, ')')) depth--;
    else if (depth === 0 && token.kind === 'word' && WRITE_WORDS.has(token.text.toLowerCase())) found = true;
  }
  return (index) => writes[index] ?? false;
}

function inspectItem(
  sig: readonly Token[],
  start: number,
  end: number,
  topLevel: boolean,
  chainAt: ReadonlyMap<number, Chain>,
  match: ReadonlyMap<number, number>,
  edits: SelectEdits,
  jsonNames: ReadonlySet<string>,
): void {
  if (end < start) return;
  const chain = chainAt.get(start);
  if (chain) {
    const rest = end - chain.last;
    const hasAlias = (rest === 2 && isWord(sig[chain.last + 1], 'as')) || (rest === 1 && isNameToken(sig[end]));
    if (rest !== 0 && !hasAlias) return;
    if (topLevel) edits.marked.add(chain.first);
    if (rest === 0) edits.aliases.set(chain.last, chain.path[chain.path.length - 1]!);
    return;
  }
  const isCountStar =
    end - start === 3 && isWord(sig[start], 'count') && isPunct(sig[start + 1], '(') && sig[start + 2]!.text === '*' && isPunct(sig[end], ')');
  if (isCountStar) {
    edits.aliases.set(end, 'count(1)');
    return;
  }
  const aliasAt = aliasStart(sig, start, end);
  const exprEnd = aliasAt === undefined ? end : aliasAt - 1;
  if (exprEnd < start) return;
  if (topLevel && isCollectionCall(sig, start, exprEnd, match)) edits.wrapped.set(start, exprEnd);
  if (topLevel && (isJsonNameReference(sig, start, exprEnd, jsonNames) || isFieldOrElement(sig, start, exprEnd, match))) {
    edits.wrapped.set(start, exprEnd);
    edits.markedNames.add(start);
    if (aliasAt === undefined) edits.aliases.set(end, sparkItemName(sig, start, end, match) ?? identifierName(sig[end]!)!);
    return;
  }
  if (aliasAt !== undefined) return;
  const name = sparkItemName(sig, start, end, match);
  if (name !== undefined) edits.aliases.set(end, name);
}

/** Whether first..last is `name` or `t.name`, a name given to a JSON value. */
function isJsonNameReference(sig: readonly Token[], first: number, last: number, jsonNames: ReadonlySet<string>): boolean {
  if (!(first === last || (last === first + 2 && isNameToken(sig[first]) && isPunct(sig[first + 1], '.')))) return false;
  const name = sig[last]!.kind === 'bracket' ? undefined : identifierName(sig[last]!);
  return name !== undefined && isNameToken(sig[last]) && jsonNames.has(name.toLowerCase());
}

/**
 * Whether first..last reads an element or a field of a call's or a subscript's value
 * (`from_json(…)[0].t`, `split(a, ',')[0]`, `f(x).a`): its value may be an array or a struct.
 */
function isFieldOrElement(sig: readonly Token[], first: number, last: number, match: ReadonlyMap<number, number>): boolean {
  if (last === first + 1 && sig[first]!.kind === 'word' && MAP_COLUMNS.has(sig[first]!.text.toLowerCase())) return false; // requestParams['k'] is a string
  let j = last;
  let access = false;
  while (j > first) {
    const t = sig[j]!;
    if (isNameToken(t) && t.kind !== 'bracket' && isPunct(sig[j - 1], '.')) j -= 2;
    else if (t.kind === 'bracket' && sig[j - 1]!.end === t.start) {
      access = true;
      j -= 1;
    } else break;
    if (isPunct(sig[j], ')')) {
      access ||= j < last;
      const open = match.get(j);
      if (open === undefined) return false;
      j = isNameToken(sig[open - 1]) && open - 1 >= first ? open - 1 : open;
      break;
    }
  }
  return access && j === first;
}

/** Where an item's alias starts (`AS name` or a bare trailing name after an expression), if it has one. */
function aliasStart(sig: readonly Token[], start: number, end: number): number | undefined {
  if (end - 2 >= start && isWord(sig[end - 1], 'as') && isNameToken(sig[end])) return end - 1;
  const previous = sig[end - 1];
  if (sig[end]!.kind === 'bracket' && previous !== undefined && previous.end === sig[end]!.start) return undefined; // x[0] is a subscript
  if (isWord(sig[end - 2], 'interval') || isWord(sig[end - 3], 'interval')) return undefined; // INTERVAL 1 DAY
  if (end > start && isNameToken(sig[end]) && previous !== undefined && (isPunct(previous, ')') || previous.kind === 'string' || previous.kind === 'number' || previous.kind === 'dquoted' || (isNameToken(previous) && !isWord(previous, 'end', 'distinct') && !isPunct(sig[end - 2], '.')) || isWord(previous, 'end'))) {
    if (isWord(sig[end], 'end') || isWord(sig[end], 'null', 'true', 'false')) return undefined;
    return end;
  }
  return undefined;
}

function sourceOffset(pieces: readonly Piece[], offset: number, sourceLength: number): number {
  let lo = 0;
  let hi = pieces.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (pieces[mid]!.outStart <= offset) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  if (found < 0) return 0;
  const piece = pieces[found]!;
  const within = offset - piece.outStart;
  if (within >= piece.text.length) return piece.srcEnd === piece.srcStart ? piece.srcEnd : Math.min(sourceLength, piece.srcEnd);
  const verbatim = piece.srcEnd - piece.srcStart === piece.text.length;
  return verbatim ? piece.srcStart + within : piece.srcStart;
}
