/**
 * Every "now" of the dialect reads the statement's clock (see ../clock), never SQLite's wall clock:
 * - bare `current_date`, `current_timestamp`, `localtimestamp` and `current_time` (SQLite keywords)
 *   and `curdate()`, `localtimestamp()` become the spark_current_* calls;
 * - SQLite's date functions read 'now' (also when their time-value is left out) as the clock's
 *   instant: `datetime('now')`, `date('now', '-1 day')`, `strftime('%s')`, `julianday()`, ….
 * current_date(), current_timestamp(), now() and unix_timestamp() are renamed or registered elsewhere.
 */
import { isStringToken, sparkStringValue, type Token } from '../../../shared/sql/lexer';
import { argumentCommas, insertAfter, insertBefore, isPunct, isWord, type TokenEdits } from './edits';

const BARE_NOW: ReadonlyMap<string, string> = new Map([
  ['current_date', 'spark_current_date()'],
  ['current_timestamp', 'spark_current_timestamp()'],
  ['localtimestamp', 'spark_current_timestamp()'],
  ['current_time', 'spark_current_time()'],
]);

const CALLED_NOW: ReadonlyMap<string, string> = new Map([
  ['curdate', 'spark_current_date'],
  ['localtimestamp', 'spark_current_timestamp'],
]);

/** SQLite's functions whose time-value may be 'now', and the argument it stands at. */
const TIME_VALUE_AT: ReadonlyMap<string, number> = new Map([
  ['date', 0], ['time', 0], ['datetime', 0], ['julianday', 0], ['unixepoch', 0], ['strftime', 1], ['timediff', 0],
]);

const CLOCK_VALUE = 'spark_sqlite_now()';

export function nowEdits(sig: readonly Token[], match: ReadonlyMap<number, number>, edits: TokenEdits): void {
  sig.forEach((t, k) => {
    if (t.kind !== 'word' || isPunct(sig[k - 1], '.')) return;
    const name = t.text.toLowerCase();
    if (!isPunct(sig[k + 1], '(')) {
      const call = BARE_NOW.get(name);
      if (call && !edits.replace.has(k) && !isWord(sig[k - 1], 'as') && !isPunct(sig[k + 1], '.')) edits.replace.set(k, call);
      return;
    }
    const close = match.get(k + 1);
    if (close === undefined) return;
    const renamed = CALLED_NOW.get(name);
    if (renamed && close === k + 2) return void edits.replace.set(k, renamed);
    const timeValueAt = TIME_VALUE_AT.get(name);
    if (timeValueAt !== undefined) sqliteNow(sig, k + 1, close, timeValueAt, edits);
  });
}

/** In a SQLite date function's call, every 'now' argument, or the left-out time-value, reads the clock. */
function sqliteNow(sig: readonly Token[], open: number, close: number, timeValueAt: number, edits: TokenEdits): void {
  const commas = argumentCommas(sig, open, close);
  const bounds = [open, ...commas, close];
  const argumentCount = close === open + 1 ? 0 : commas.length + 1;
  for (let i = 0; i < argumentCount; i++) {
    const [first, last] = [bounds[i]! + 1, bounds[i + 1]! - 1];
    if (first === last && isStringToken(sig[first]) && sparkStringValue(sig[first]!).trim().toLowerCase() === 'now') edits.replace.set(first, CLOCK_VALUE);
  }
  if (argumentCount !== timeValueAt) return;
  if (argumentCount === 0) insertAfter(edits, open, CLOCK_VALUE);
  else insertBefore(edits, close, `, ${CLOCK_VALUE}`);
}
