/**
 * Hot paths: the JSON values that cells and detections read on most rows (`userIdentity.email`,
 * `response.statusCode`), kept in `audit_logs` as columns of their own, filled as each line loads
 * and kept right by triggers when a statement changes the JSON. A statement that reads
 * `audit_logs` alone reads the column instead of parsing JSON on every row; any other statement (a
 * CTE, a subquery or a table of the user's in FROM) reads the JSON, since only `audit_logs` has
 * these columns. A `SELECT *` over `audit_logs` alone lists the other columns (see starColumns);
 * any other result that holds them does not show them (see isHotColumn).
 */
import { identifierName, isNameToken, isPunct, isWord, wordOf, type Token } from '../../../shared/sql/lexer';
import { jsonRead, type JsonReadForm } from './json-access';
import { sqliteIdentifier } from './lex';
import { AUDIT_COLUMNS } from '../../../shared/auditRecord';

export interface HotColumn {
  /** The column's name in `audit_logs`. */
  name: string;
  /** The JSON column it reads, and the path in it (read as is: see json-access). */
  column: 'userIdentity' | 'response';
  path: readonly string[];
}

export const HOT_COLUMNS: readonly HotColumn[] = [
  { name: '_hot_user_email', column: 'userIdentity', path: ['email'] },
  { name: '_hot_status_code', column: 'response', path: ['statusCode'] },
];

const HOT_NAMES: ReadonlySet<string> = new Set(HOT_COLUMNS.map((hot) => hot.name));
const HOT_SOURCES: ReadonlySet<string> = new Set(HOT_COLUMNS.map((hot) => hot.column.toLowerCase()));

/** Whether a result column is a hot column (the table's own, hidden from results). */
export function isHotColumn(name: string): boolean {
  return HOT_NAMES.has(name);
}

/** A nested path as the translation found it: the JSON column (`a.userIdentity`), its qualifier (`a.`) and bare name, and the path. */
export interface JsonPathRead {
  column: string;
  qualifier: string;
  jsonColumn: string;
  path: readonly string[];
}

/**
 * What reads `read` in `form` from a hot column instead of the JSON, if one holds its path. The
 * hot column holds the value as is; a top-level output value is the same value unless it is an
 * object or array (JSON text that starts with `{` or `[`) or a number past 64 bits (a REAL): then,
 * rarely, the JSON is read. A `requestParams` key reads as a map, which no hot column holds.
 */
export function hotColumnFor(read: JsonPathRead, form: JsonReadForm): string | undefined {
  if (form === 'map') return undefined;
  const hot = HOT_COLUMNS.find((h) => h.column.toLowerCase() === read.jsonColumn.toLowerCase() && h.path.length === read.path.length && h.path.every((key, i) => key === read.path[i]));
  if (!hot) return undefined;
  const value = `${read.qualifier}${hot.name}`;
  if (form === 'value') return value;
  return `CASE WHEN ${value} IS NULL OR typeof(${value}) = 'integer' OR (typeof(${value}) = 'text' AND substr(${value}, 1, 1) NOT IN ('{', '[')) THEN ${value} ELSE ${jsonRead('marked', read.column, read.path)} END`;
}

/**
 * The columns a `*` or `t.*` item of a SELECT list stands for in a statement over `audit_logs`
 * alone, the hot columns left out (so SQLite never reads them for the result), written after the
 * qualifier the translation already wrote; undefined when the token is not such an item.
 */
export function starColumns(sig: readonly Token[], k: number): string | undefined {
  if (sig[k]?.kind !== 'operator' || sig[k]!.text !== '*') return undefined;
  const qualified = isPunct(sig[k - 1], '.') && isNameToken(sig[k - 2]);
  const before = sig[qualified ? k - 3 : k - 1];
  const itemStarts = isWord(before, 'select', 'distinct', 'all') || isPunct(before, ',');
  const itemEnds = isPunct(sig[k + 1], ',') || isWord(sig[k + 1], 'from');
  if (!itemStarts || !itemEnds) return undefined;
  const qualifier = qualified ? `${sig[k - 2]!.kind === 'word' ? sig[k - 2]!.text : sqliteIdentifier(identifierName(sig[k - 2]!)!)}.` : '';
  return AUDIT_COLUMNS.join(`, ${qualifier}`);
}

/**
 * Per significant token: whether its statement reads `audit_logs` and nothing else. Every FROM,
 * JOIN and UPDATE must name `audit_logs` itself (no subquery, table function, comma join or other
 * table), the statement has no WITH, and it gives no value a JSON column's name (`AS response`).
 * Anything else answers false: the statement then reads the JSON, which is always right.
 */
export function statementsReadingAuditLogsOnly(sig: readonly Token[]): (index: number) => boolean {
  const answers: boolean[] = new Array<boolean>(sig.length).fill(false);
  let start = 0;
  for (let k = 0; k <= sig.length; k++) {
    if (k < sig.length && !isPunct(sig[k], ';')) continue;
    answers.fill(readsAuditLogsOnly(sig, start, k), start, k);
    start = k + 1;
  }
  return (index) => answers[index] ?? false;
}

function readsAuditLogsOnly(sig: readonly Token[], first: number, end: number): boolean {
  let sources = 0;
  for (let k = first; k < end; k++) {
    const word = wordOf(sig[k]);
    if (word === 'with') return false;
    if (word === 'as' && isNameToken(sig[k + 1]) && HOT_SOURCES.has(identifierName(sig[k + 1]!)!.toLowerCase())) return false;
    if (word !== 'from' && word !== 'join' && word !== 'update') continue;
    if (!isAuditLogs(sig[k + 1]) || isPunct(sig[k + 2], '.') || joinsByComma(sig, k + 2)) return false;
    sources++;
  }
  return sources > 0;
}

function isAuditLogs(token: Token | undefined): boolean {
  return isNameToken(token) && identifierName(token!)!.toLowerCase() === 'audit_logs';
}

/** Whether a comma follows the table name at `at`, after an optional alias: another table follows. */
function joinsByComma(sig: readonly Token[], at: number): boolean {
  if (isPunct(sig[at], ',')) return true;
  if (isWord(sig[at], 'as')) return isPunct(sig[at + 2], ',');
  return isNameToken(sig[at]) && isPunct(sig[at + 1], ',');
}
