/**
 * Hot paths: the JSON values that cells and detections read most (`userIdentity.email`,
 * `response.statusCode`, `requestParams.user`), kept in `audit_logs` as columns of their own,
 * filled as each line loads and kept right by triggers when a statement changes the JSON. A
 * statement that reads `audit_logs` alone reads the column instead of parsing JSON on every row;
 * any other statement (a CTE, a subquery or a table of the user's in FROM) reads the JSON, since
 * only `audit_logs` has these columns. `SELECT *` does not show them (see isHotColumn).
 */
import { identifierName, isNameToken, isPunct, isWord, wordOf, type Token } from '../../../shared/sql/lexer';
import type { JsonReadForm } from './json-access';

export interface HotColumn {
  /** The column's name in `audit_logs`. */
  name: string;
  /** The JSON column it reads, and the path in it. */
  column: 'userIdentity' | 'response' | 'requestParams';
  path: readonly string[];
  /** How the dialect reads the path where the column stands in for it. */
  form: JsonReadForm;
}

export const HOT_COLUMNS: readonly HotColumn[] = [
  { name: '_hot_user_email', column: 'userIdentity', path: ['email'], form: 'value' },
  { name: '_hot_user_email_shown', column: 'userIdentity', path: ['email'], form: 'marked' },
  { name: '_hot_status_code', column: 'response', path: ['statusCode'], form: 'value' },
  { name: '_hot_request_user', column: 'requestParams', path: ['user'], form: 'map' },
];

const HOT_NAMES: ReadonlySet<string> = new Set(HOT_COLUMNS.map((hot) => hot.name));
const HOT_SOURCES: ReadonlySet<string> = new Set(HOT_COLUMNS.map((hot) => hot.column.toLowerCase()));

/** Whether a result column is a hot column (the table's own, hidden from results). */
export function isHotColumn(name: string): boolean {
  return HOT_NAMES.has(name);
}

/** The hot column (with the chain's qualifier) that holds `column`'s `path` read as `form`, if any. */
export function hotColumnFor(qualifier: string, column: string, path: readonly string[], form: JsonReadForm): string | undefined {
  const hot = HOT_COLUMNS.find((h) => h.form === form && h.column.toLowerCase() === column.toLowerCase() && h.path.length === path.length && h.path.every((key, i) => key === path[i]));
  return hot && `${qualifier}${hot.name}`;
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
