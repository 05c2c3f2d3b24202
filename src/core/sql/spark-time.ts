/**
 * Spark's date and time functions over the values audit logs hold, in a UTC session.
 * A date/time argument may be a number of epoch milliseconds (the `timestamp` column), ISO text
 * (`2024-01-15T10:00:00.000Z`, the `event_time` column), `yyyy-MM-dd HH:mm:ss[.SSS]` or
 * `yyyy-MM-dd` text; anything else reads as NULL, as Spark's cast does. Results are text as Spark
 * prints them: a DATE as `yyyy-MM-dd`, a TIMESTAMP as `yyyy-MM-dd HH:mm:ss[.fraction]`.
 * Spark's functions that take or give *seconds* keep doing so (from_unixtime, unix_timestamp,
 * to_timestamp of a number).
 */
import type { Database, SqlValue } from 'sql.js';
import { registerScalar } from './udf';
import { own } from '../own';

const DAY_MS = 86_400_000;
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const DATE_TEXT = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const TIMESTAMP_TEXT = /^(\d{4})-(\d{1,2})-(\d{1,2})[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/;

/** Epoch milliseconds of a date/time value, or null. */
export function toMillis(value: SqlValue): number | null {
  if (value === null || value instanceof Uint8Array) return null;
  if (typeof value === 'number') return representable(value) ? Math.trunc(value) : null;
  const s = value.trim();
  const date = DATE_TEXT.exec(s);
  if (date) return utc(+date[1]!, +date[2]!, +date[3]!, 0, 0, 0, 0);
  const t = TIMESTAMP_TEXT.exec(s);
  if (!t) return null;
  const ms = t[7] ? Math.floor(Number(`0.${t[7]}`) * 1000 + 1e-6) : 0;
  const local = utc(+t[1]!, +t[2]!, +t[3]!, +t[4]!, +t[5]!, t[6] ? +t[6] : 0, ms);
  return local === null ? null : local - offsetMinutes(t[8]) * 60_000;
}

function offsetMinutes(zone: string | undefined): number {
  if (!zone || zone === 'Z' || zone === 'UTC') return 0;
  const digits = zone.replace(':', '');
  const minutes = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5));
  return zone.startsWith('-') ? -minutes : minutes;
}

/** Date.UTC, or null when a field is out of range (Spark reads 2024-02-30 as NULL). */
function utc(year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number): number | null {
  const value = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const d = new Date(value);
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return null;
  return value;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** An instant a date can show: finite and inside JavaScript's (and about Spark's) range. */
function representable(ms: number): boolean {
  return Number.isFinite(ms) && !Number.isNaN(new Date(ms).getTime());
}

/** `yyyy-MM-dd`; null for an instant out of range (Spark prints NULL, never a broken date). */
export function formatDate(ms: number): string | null {
  if (!representable(ms)) return null;
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** `yyyy-MM-dd HH:mm:ss`, plus the fraction without trailing zeros when there is one, as Spark prints. */
export function formatTimestamp(ms: number): string | null {
  if (!representable(ms)) return null;
  const d = new Date(ms);
  const base = `${formatDate(ms)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const fraction = d.getUTCMilliseconds();
  return fraction === 0 ? base : `${base}.${pad(fraction, 3).replace(/0+$/, '')}`;
}

type PatternPart = { letter: string; count: number } | { literal: string };

/** Splits a Spark datetime pattern (`yyyy-MM-dd'T'HH`) into letter runs and literal text. */
function patternParts(pattern: string): PatternPart[] {
  const parts: PatternPart[] = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === "'") {
      const close = pattern.indexOf("'", i + 1);
      if (close < 0) throw new Error(`unterminated quote in datetime pattern ${JSON.stringify(pattern)}`);
      parts.push({ literal: close === i + 1 ? "'" : pattern.slice(i + 1, close) });
      i = close + 1;
    } else if (/[A-Za-z]/.test(c)) {
      let j = i;
      while (pattern[j] === c) j++;
      parts.push({ letter: c, count: j - i });
      i = j;
    } else {
      parts.push({ literal: c });
      i++;
    }
  }
  return parts;
}

function unsupported(letter: string, pattern: string): Error {
  return new Error(`the datetime pattern letter '${letter}' (in ${JSON.stringify(pattern)}) is not supported; use y, M, d, H, h, m, s, S, a, E or D`);
}

export function formatPattern(ms: number, pattern: string): string | null {
  if (!representable(ms)) return null;
  const d = new Date(ms);
  return patternParts(pattern)
    .map((part) => {
      if ('literal' in part) return part.literal;
      const { letter, count } = part;
      switch (letter) {
        case 'y':
          return count === 2 ? pad(d.getUTCFullYear() % 100) : pad(d.getUTCFullYear(), count);
        case 'M':
        case 'L':
          return count >= 4 ? MONTHS[d.getUTCMonth()]! : count === 3 ? MONTHS[d.getUTCMonth()]!.slice(0, 3) : pad(d.getUTCMonth() + 1, count);
        case 'd':
          return pad(d.getUTCDate(), count);
        case 'D':
          return pad(Math.floor((ms - Date.UTC(d.getUTCFullYear(), 0, 1)) / DAY_MS) + 1, count);
        case 'H':
          return pad(d.getUTCHours(), count);
        case 'h':
          return pad(d.getUTCHours() % 12 || 12, count);
        case 'm':
          return pad(d.getUTCMinutes(), count);
        case 's':
          return pad(d.getUTCSeconds(), count);
        case 'S':
          return pad(d.getUTCMilliseconds(), 3).padEnd(count, '0').slice(0, count);
        case 'a':
          return d.getUTCHours() < 12 ? 'AM' : 'PM';
        case 'E':
          return count >= 4 ? WEEKDAYS[d.getUTCDay()]! : WEEKDAYS[d.getUTCDay()]!.slice(0, 3);
        default:
          throw unsupported(letter, pattern);
      }
    })
    .join('');
}

const FIELD_PATTERNS: Readonly<Record<string, (count: number) => string>> = {
  y: (n) => (n === 2 ? '(\\d{2})' : n >= 4 ? `(\\d{${n}})` : '(\\d{1,4})'),
  M: (n) => (n >= 4 ? `(${MONTHS.join('|')})` : n === 3 ? `(${MONTHS.map((m) => m.slice(0, 3)).join('|')})` : n === 2 ? '(\\d{2})' : '(\\d{1,2})'),
  d: (n) => (n === 2 ? '(\\d{2})' : '(\\d{1,2})'),
  H: (n) => (n === 2 ? '(\\d{2})' : '(\\d{1,2})'),
  m: (n) => (n === 2 ? '(\\d{2})' : '(\\d{1,2})'),
  s: (n) => (n === 2 ? '(\\d{2})' : '(\\d{1,2})'),
  S: (n) => `(\\d{${n}})`,
};

/** Parses text with a Spark datetime pattern (letters y M d H m s S); null when it does not fit. */
export function parsePattern(value: string, pattern: string): number | null {
  const fields: { letter: string; count: number }[] = [];
  const source = patternParts(pattern)
    .map((part) => {
      if ('literal' in part) return part.literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const field = own(FIELD_PATTERNS, part.letter);
      if (!field) throw unsupported(part.letter, pattern);
      fields.push(part);
      return field(part.count);
    })
    .join('');
  const match = new RegExp(`^${source}$`).exec(value);
  if (!match) return null;
  const f = { y: 1970, M: 1, d: 1, H: 0, m: 0, s: 0, S: 0 };
  fields.forEach((field, i) => {
    const raw = match[i + 1]!;
    const key = field.letter as keyof typeof f;
    if (key === 'M' && field.count >= 3) f.M = MONTHS.findIndex((m) => m.startsWith(raw)) + 1;
    else if (key === 'S') f.S = Math.floor(Number(`0.${raw}`) * 1000 + 1e-6);
    else if (key === 'y' && field.count === 2) f.y = 2000 + Number(raw);
    else f[key] = Number(raw);
  });
  return utc(f.y, f.M, f.d, f.H, f.m, f.s, f.S);
}

/** A `date_trunc` unit → the timestamp truncated to it; undefined for an unknown unit (Spark: NULL). */
function truncate(unit: string, ms: number): number | undefined {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  switch (unit.toUpperCase()) {
    case 'YEAR':
    case 'YYYY':
    case 'YY':
      return Date.UTC(y, 0, 1);
    case 'QUARTER':
      return Date.UTC(y, d.getUTCMonth() - (d.getUTCMonth() % 3), 1);
    case 'MONTH':
    case 'MON':
    case 'MM':
      return Date.UTC(y, d.getUTCMonth(), 1);
    case 'WEEK': {
      const day = Math.floor(ms / DAY_MS) * DAY_MS;
      return day - ((d.getUTCDay() + 6) % 7) * DAY_MS;
    }
    case 'DAY':
    case 'DD':
      return Math.floor(ms / DAY_MS) * DAY_MS;
    case 'HOUR':
      return Math.floor(ms / 3_600_000) * 3_600_000;
    case 'MINUTE':
      return Math.floor(ms / 60_000) * 60_000;
    case 'SECOND':
      return Math.floor(ms / 1000) * 1000;
    case 'MILLISECOND':
    case 'MICROSECOND':
      return ms;
    default:
      return undefined;
  }
}


const withMillis = <T>(value: SqlValue, use: (ms: number) => T): T | null => {
  const ms = toMillis(value);
  return ms === null ? null : use(ms);
};

const field = (read: (d: Date) => number) => (value: SqlValue) => withMillis(value, (ms) => read(new Date(ms)));

/** SQLite's own time-value for an instant (`YYYY-MM-DD HH:MM:SS.SSS`), what its date functions read for 'now'. */
function sqliteTimeValue(ms: number): string {
  return new Date(ms).toISOString().slice(0, 23).replace('T', ' ');
}

/** `now` gives the running statement's instant (see StatementClock): every "now" of the dialect reads it. */
export function registerTimeFunctions(db: Database, now: () => number): void {
  registerScalar(db, 'spark_current_date', 0, 0, () => formatDate(now()));
  registerScalar(db, 'spark_current_timestamp', 0, 0, () => formatTimestamp(now()));
  registerScalar(db, 'now', 0, 0, () => formatTimestamp(now()));
  registerScalar(db, 'spark_current_time', 0, 0, () => formatTimestamp(now())?.slice(11, 19) ?? null);
  registerScalar(db, 'spark_sqlite_now', 0, 0, () => sqliteTimeValue(now()));

  registerScalar(db, 'from_unixtime', 1, 2, (seconds, pattern = 'yyyy-MM-dd HH:mm:ss') => {
    if (seconds === null || pattern === null || seconds === '' || Number.isNaN(Number(seconds))) return null;
    return formatPattern(Math.floor(Number(seconds)) * 1000, String(pattern));
  });
  registerScalar(db, 'unix_timestamp', 0, 2, (...args) => {
    if (args.length === 0) return Math.floor(now() / 1000);
    const [value, pattern] = args;
    const ms = pattern === undefined || typeof value !== 'string' ? toMillis(value ?? null) : pattern === null ? null : parsePattern(value, String(pattern));
    return ms === null ? null : Math.floor(ms / 1000);
  });
  registerScalar(db, 'to_timestamp', 1, 2, (value, pattern) => {
    if (value === null) return null;
    if (typeof value === 'number') return formatTimestamp(Math.round(value * 1000)); // Spark casts a number as seconds
    const ms = pattern === undefined ? toMillis(value) : pattern === null ? null : parsePattern(String(value), String(pattern));
    return ms === null ? null : formatTimestamp(ms);
  });
  registerScalar(db, 'to_date', 1, 2, (value, pattern) => {
    if (value === null) return null;
    const ms = pattern === undefined || typeof value !== 'string' ? toMillis(value) : pattern === null ? null : parsePattern(value, String(pattern));
    return ms === null ? null : formatDate(ms);
  });
  registerScalar(db, 'date_format', 2, 2, (value, pattern) => (pattern === null ? null : withMillis(value, (ms) => formatPattern(ms, String(pattern)))));
  registerScalar(db, 'date_trunc', 2, 2, (unit, value) => {
    if (unit === null) return null;
    return withMillis(value, (ms) => {
      const truncated = truncate(String(unit), ms);
      return truncated === undefined ? null : formatTimestamp(truncated);
    });
  });
  registerScalar(db, 'datediff', 2, 2, (end, start) => {
    const a = toMillis(end);
    const b = toMillis(start);
    return a === null || b === null ? null : Math.floor(a / DAY_MS) - Math.floor(b / DAY_MS);
  });
  const shiftDays = (sign: number) => (value: SqlValue, days: SqlValue) =>
    days === null ? null : withMillis(value, (ms) => formatDate(Math.floor(ms / DAY_MS) * DAY_MS + sign * Math.trunc(Number(days)) * DAY_MS));
  registerScalar(db, 'date_add', 2, 2, shiftDays(1));
  registerScalar(db, 'date_sub', 2, 2, shiftDays(-1));

  registerScalar(db, 'year', 1, 1, field((d) => d.getUTCFullYear()));
  registerScalar(db, 'month', 1, 1, field((d) => d.getUTCMonth() + 1));
  registerScalar(db, 'day', 1, 1, field((d) => d.getUTCDate()));
  registerScalar(db, 'dayofmonth', 1, 1, field((d) => d.getUTCDate()));
  registerScalar(db, 'dayofweek', 1, 1, field((d) => d.getUTCDay() + 1));
  registerScalar(db, 'hour', 1, 1, field((d) => d.getUTCHours()));
  registerScalar(db, 'minute', 1, 1, field((d) => d.getUTCMinutes()));
  registerScalar(db, 'second', 1, 1, field((d) => d.getUTCSeconds()));

  // Written by the dialect for `<date/time> ± INTERVAL …` (a DATE plus whole days stays a DATE),
  // `DATE ± n` and comparisons with a date/time.
  registerScalar(db, 'spark_time_add', 4, 4, (value, amount, unit, keepsDate) => {
    if (amount === null) return null;
    return withMillis(value, (ms) => {
      const shifted = addUnits(ms, String(unit), Number(amount));
      return Number(keepsDate) ? formatDate(shifted) : formatTimestamp(shifted);
    });
  });
  registerScalar(db, 'spark_date_add', 2, 2, (value, days) =>
    days === null ? null : withMillis(value, (ms) => formatDate(Math.floor(ms / DAY_MS) * DAY_MS + Math.trunc(Number(days)) * DAY_MS)),
  );
  registerScalar(db, 'spark_epoch_ms', 1, 1, (value) => toMillis(value));
  registerMoreTimeFunctions(db);
}

const UNIT_MS: Readonly<Record<string, number>> = {
  MICROSECOND: 0.001, MILLISECOND: 1, SECOND: 1000, MINUTE: 60_000, HOUR: 3_600_000, DAY: DAY_MS, WEEK: 7 * DAY_MS,
};
const UNIT_MONTHS: Readonly<Record<string, number>> = { MONTH: 1, QUARTER: 3, YEAR: 12 };

const UNIT_SHORT: Readonly<Record<string, string>> = { MS: 'MILLISECOND', MIN: 'MINUTE', SEC: 'SECOND', MON: 'MONTH', D: 'DAY', H: 'HOUR', Y: 'YEAR', W: 'WEEK' };

/** A unit's canonical name: singular, upper case, short forms spelled out (`mins` → MINUTE). */
function unitName(unit: string): string {
  const upper = unit.toUpperCase();
  if (UNIT_SHORT[upper]) return UNIT_SHORT[upper]!;
  const singular = upper.length > 1 ? upper.replace(/S$/, '') : upper;
  return UNIT_SHORT[singular] ?? singular;
}

/** Adds months the way Spark's add_months does: the day is kept, or clamped to the month's last day. */
export function addMonths(ms: number, months: number): number {
  const d = new Date(ms);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  return Date.UTC(target.getUTCFullYear(), target.getUTCMonth(), Math.min(d.getUTCDate(), lastDay)) + (ms - Math.floor(ms / DAY_MS) * DAY_MS);
}

function addUnits(ms: number, unit: string, amount: number): number {
  const name = unitName(unit);
  const months = UNIT_MONTHS[name];
  if (months !== undefined) return addMonths(ms, amount * months);
  const unitMs = UNIT_MS[name];
  if (unitMs === undefined) throw new Error(`unknown unit ${unit}`);
  return ms + Math.trunc(amount * unitMs);
}

/** Whole months from a to b, as java.time's ChronoUnit.MONTHS.between counts them (truncated). */
function monthsBetween(a: number, b: number): number {
  const x = new Date(a);
  const y = new Date(b);
  let months = (y.getUTCFullYear() - x.getUTCFullYear()) * 12 + (y.getUTCMonth() - x.getUTCMonth());
  const rest = (d: Date, ms: number): number => d.getUTCDate() * DAY_MS + (ms - Math.floor(ms / DAY_MS) * DAY_MS);
  if (months > 0 && rest(y, b) < rest(x, a)) months--;
  else if (months < 0 && rest(y, b) > rest(x, a)) months++;
  return months;
}

/** Spark's timestampdiff(unit, start, end): the whole units from start to end, truncated toward zero. */
export function timestampDiff(unit: string, start: number, end: number): number {
  const name = unitName(unit);
  const months = UNIT_MONTHS[name];
  if (months !== undefined) return Math.trunc(monthsBetween(start, end) / months);
  const unitMs = UNIT_MS[name];
  if (unitMs === undefined) throw new Error(`timestampdiff: unknown unit ${unit}`);
  return Math.trunc((end - start) / unitMs);
}

/** Spark's extract(field FROM t) / date_part('field', t). */
function extractField(unit: string, ms: number): number {
  const d = new Date(ms);
  switch (unitName(unit)) {
    case 'YEAR': case 'YEARS': case 'YR': case 'YRS': return d.getUTCFullYear();
    case 'QUARTER': case 'QTR': return Math.floor(d.getUTCMonth() / 3) + 1;
    case 'MONTH': return d.getUTCMonth() + 1;
    case 'WEEK': case 'WEEKS': return isoWeek(ms);
    case 'DAY': case 'DAYS': case 'DAYOFMONTH': return d.getUTCDate();
    case 'DAYOFWEEK': case 'DOW': return d.getUTCDay() + 1;
    case 'DAYOFWEEK_ISO': case 'DOW_ISO': return ((d.getUTCDay() + 6) % 7) + 1;
    case 'DOY': return Math.floor((ms - Date.UTC(d.getUTCFullYear(), 0, 1)) / DAY_MS) + 1;
    case 'HOUR': case 'HR': case 'HRS': return d.getUTCHours();
    case 'MINUTE': case 'MINS': return d.getUTCMinutes();
    case 'SECOND': return d.getUTCSeconds() + d.getUTCMilliseconds() / 1000;
    default: throw new Error(`extract: unknown field ${unit}`);
  }
}

function isoWeek(ms: number): number {
  const day = Math.floor(ms / DAY_MS);
  const weekday = (new Date(ms).getUTCDay() + 6) % 7; // Monday 0
  const thursday = day - weekday + 3;
  const yearStart = Math.floor(Date.UTC(new Date(thursday * DAY_MS).getUTCFullYear(), 0, 1) / DAY_MS);
  return Math.floor((thursday - yearStart) / 7) + 1;
}

/** A zone's offset from UTC at an instant, in ms (IANA names such as America/New_York, or UTC). */
function zoneOffset(ms: number, zone: string): number {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(ms);
  } catch {
    throw new Error(`unknown time zone ${JSON.stringify(zone)}`);
  }
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - (ms - (((ms % 1000) + 1000) % 1000));
}

/**
 * Spark's months_between(end, start): whole months when both days are the same or both are the
 * last of their month; otherwise months plus the difference in days and time over 31 days,
 * rounded to 8 digits unless roundOff is false.
 */
function monthsBetweenSpark(end: number, start: number, roundOff: boolean): number {
  const a = new Date(end);
  const b = new Date(start);
  const months = (a.getUTCFullYear() - b.getUTCFullYear()) * 12 + (a.getUTCMonth() - b.getUTCMonth());
  const lastDay = (d: Date): boolean => d.getUTCDate() === new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  if (a.getUTCDate() === b.getUTCDate() || (lastDay(a) && lastDay(b))) return months;
  const timeOfDay = (ms: number): number => ms - Math.floor(ms / DAY_MS) * DAY_MS;
  const seconds = (a.getUTCDate() - b.getUTCDate()) * 86_400 + (timeOfDay(end) - timeOfDay(start)) / 1000;
  const value = months + seconds / (31 * 86_400);
  return roundOff ? Math.round(value * 1e8) / 1e8 : value;
}

/** Spark's tumbling window: [start, end) aligned to the epoch (plus the start offset). */
export function windowBounds(ms: number, durationMs: number, offsetMs = 0): { start: number; end: number } {
  const start = ms - ((((ms - offsetMs) % durationMs) + durationMs) % durationMs);
  return { start, end: start + durationMs };
}

const WINDOW_UNITS: Readonly<Record<string, number>> = { WEEK: 7 * DAY_MS, DAY: DAY_MS, HOUR: 3_600_000, MINUTE: 60_000, SECOND: 1000, MILLISECOND: 1 };

/** A window duration ('10 minutes', '1 hour 30 minutes', 'interval 1 day') in ms; undefined when unreadable. */
export function parseDuration(text: string): number | undefined {
  const words = text.trim().replace(/^interval\s+/i, '').split(/\s+/);
  if (words.length % 2 !== 0) return undefined;
  let total = 0;
  for (let i = 0; i < words.length; i += 2) {
    const unit = WINDOW_UNITS[unitName(words[i + 1]!)];
    if (!/^\d+$/.test(words[i]!) || unit === undefined) return undefined;
    total += Number(words[i]) * unit;
  }
  return total > 0 ? total : undefined;
}

function windowDuration(text: SqlValue): number {
  const ms = parseDuration(String(text));
  if (ms === undefined) throw new Error(`window: cannot read the duration ${JSON.stringify(text)}`);
  return ms;
}

function registerMoreTimeFunctions(db: Database): void {
  registerScalar(db, 'timestamp_millis', 1, 1, (value) => (value === null ? null : formatTimestamp(Math.trunc(Number(value)))));
  registerScalar(db, 'timestamp_seconds', 1, 1, (value) => (value === null ? null : formatTimestamp(Math.round(Number(value) * 1000))));
  registerScalar(db, 'unix_millis', 1, 1, (value) => toMillis(value));
  registerScalar(db, 'unix_seconds', 1, 1, (value) => withMillis(value, (ms) => Math.floor(ms / 1000)));
  registerScalar(db, 'spark_timestampdiff', 3, 3, (unit, start, end) => {
    const a = toMillis(start);
    const b = toMillis(end);
    return unit === null || a === null || b === null ? null : timestampDiff(String(unit), a, b);
  });
  registerScalar(db, 'spark_timestampadd', 3, 3, (unit, amount, value) =>
    unit === null || amount === null ? null : withMillis(value, (ms) => formatTimestamp(addUnits(ms, String(unit), Number(amount)))),
  );
  registerScalar(db, 'spark_extract', 2, 2, (unit, value) => (unit === null ? null : withMillis(value, (ms) => extractField(String(unit), ms))));
  registerScalar(db, 'add_months', 2, 2, (value, months) => (months === null ? null : withMillis(value, (ms) => formatDate(addMonths(ms, Math.trunc(Number(months)))))));
  registerScalar(db, 'last_day', 1, 1, (value) => withMillis(value, (ms) => formatDate(addMonths(Date.UTC(new Date(ms).getUTCFullYear(), new Date(ms).getUTCMonth(), 1), 1) - DAY_MS)));
  registerScalar(db, 'make_date', 3, 3, (y, m, d) => {
    if (y === null || m === null || d === null) return null;
    const ms = toMillis(`${String(y).padStart(4, '0')}-${m}-${d}`);
    return ms === null ? null : formatDate(ms);
  });
  // Spark's time-zone shifts: the UTC instant's wall-clock time in a zone, and back.
  registerScalar(db, 'from_utc_timestamp', 2, 2, (value, zone) => (zone === null ? null : withMillis(value, (ms) => formatTimestamp(ms + zoneOffset(ms, String(zone))))));
  registerScalar(db, 'to_utc_timestamp', 2, 2, (value, zone) =>
    zone === null
      ? null
      : withMillis(value, (wall) => {
          let utcMs = wall - zoneOffset(wall, String(zone));
          utcMs = wall - zoneOffset(utcMs, String(zone));
          return formatTimestamp(utcMs);
        }),
  );
  registerScalar(db, 'months_between', 2, 3, (end, start, roundOff = 1) => {
    const a = toMillis(end);
    const b = toMillis(start);
    return a === null || b === null ? null : monthsBetweenSpark(a, b, Number(roundOff) !== 0);
  });
  registerScalar(db, 'quarter', 1, 1, field((d) => Math.floor(d.getUTCMonth() / 3) + 1));
  registerScalar(db, 'dayofyear', 1, 1, (value) => withMillis(value, (ms) => extractField('DOY', ms)));
  registerScalar(db, 'weekofyear', 1, 1, (value) => withMillis(value, isoWeek));
  registerScalar(db, 'weekday', 1, 1, field((d) => (d.getUTCDay() + 6) % 7));
  // The slide (third argument) equals the duration: the dialect refuses sliding windows.
  const window = (part: 'start' | 'end' | 'both') => (value: SqlValue, duration: SqlValue, _slide: SqlValue = null, start: SqlValue = null) => {
    const size = windowDuration(duration);
    const offset = start === null || String(start).trim() === '0' ? 0 : windowDuration(start);
    return withMillis(value, (ms) => {
      const bounds = windowBounds(ms, size, offset);
      if (part === 'both') return JSON.stringify({ start: formatTimestamp(bounds.start), end: formatTimestamp(bounds.end) });
      return formatTimestamp(bounds[part]);
    });
  };
  registerScalar(db, 'spark_window', 2, 4, window('both'));
  registerScalar(db, 'spark_window_start', 2, 4, window('start'));
  registerScalar(db, 'spark_window_end', 2, 4, window('end'));
}
