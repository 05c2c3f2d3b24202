/**
 * Spark's regular-expression functions: `regexp` (for `REGEXP`/`RLIKE`), regexp_like,
 * regexp_replace, regexp_extract(_all) and split, plus the compiled-pattern cache str_to_map shares.
 * A query calls them once per row with the same pattern, so each function keeps the pattern it
 * compiled last, and `regexp`, regexp_like and regexp_replace remember their answers for the
 * values they have seen (addresses, emails and user agents repeat from row to row).
 */
import type { Database, SqlValue } from 'sql.js';
import { text } from './spark-values';
import { registerScalar } from './udf';

const MAX_CACHED_PATTERNS = 64;
/** Answers one function remembers for its current pattern before it starts over. */
const MAX_REMEMBERED_ANSWERS = 4096;
/** Longer values are not remembered: they seldom repeat, and a key holds the whole value. */
const MAX_REMEMBERED_VALUE_LENGTH = 512;

export type PatternCompiler = (source: string, flags: string, fn: string) => RegExp;

/**
 * Compiles a function's pattern. An invalid one fails as `<fn>: invalid regular expression '<p>'
 * (<reason>)`, which the dialect's error mapping points at in the user's SQL. Give each function
 * its own: the pattern it used last is found by one comparison.
 */
export function patternCache(): PatternCompiler {
  const cache = new Map<string, RegExp>();
  let lastSource: string | undefined;
  let lastFlags: string | undefined;
  let last: RegExp | undefined;
  return (source, flags, fn) => {
    if (source === lastSource && flags === lastFlags && last) return last;
    const key = `${flags}/${source}`;
    let compiled = cache.get(key);
    if (!compiled) {
      // Java's and JavaScript's regular expressions agree on the common subset audit queries use.
      try {
        compiled = new RegExp(source, flags);
      } catch (error) {
        const reason = error instanceof Error ? error.message.replace(/^Invalid regular expression: \/.*\/\w*: /s, '') : String(error);
        throw new Error(`${fn}: invalid regular expression '${source}' (${reason})`);
      }
      if (cache.size >= MAX_CACHED_PATTERNS) cache.clear();
      cache.set(key, compiled);
    }
    [lastSource, lastFlags, last] = [source, flags, compiled];
    return compiled;
  };
}

/**
 * The answers of one pure function of a text value, for one setting of its other arguments (a
 * compiled pattern and, for regexp_replace, a replacement): a new setting forgets them.
 */
export class AnswerMemo<A> {
  private pattern: RegExp | undefined;
  private detail: string | undefined;
  private readonly answers = new Map<string, A>();

  answer(pattern: RegExp, detail: string, value: string, compute: (value: string) => A): A {
    if (value.length > MAX_REMEMBERED_VALUE_LENGTH) return compute(value);
    if (pattern !== this.pattern || detail !== this.detail) {
      this.answers.clear();
      [this.pattern, this.detail] = [pattern, detail];
    }
    let known = this.answers.get(value);
    if (known === undefined && !this.answers.has(value)) {
      known = compute(value);
      if (this.answers.size >= MAX_REMEMBERED_ANSWERS) this.answers.clear();
      this.answers.set(value, known);
    }
    return known as A;
  }
}

/** A function that tests a value against a pattern (`REGEXP`, `RLIKE`, regexp_like): NULL when either is. */
function matcher(fn: string): (value: SqlValue, p: SqlValue) => boolean | null {
  const pattern = patternCache();
  const memo = new AnswerMemo<boolean>();
  return (value, p) => {
    if (p === null || value === null) return null;
    const regex = pattern(text(p), 'u', fn);
    return memo.answer(regex, '', text(value), (s) => regex.test(s));
  };
}

function registerReplace(db: Database): void {
  const pattern = patternCache();
  const memo = new AnswerMemo<string>();
  registerScalar(db, 'regexp_replace', 3, 4, (value, p, replacement, position = 1) => {
    if (value === null || p === null || replacement === null || position === null) return null;
    const regex = pattern(text(p), 'gu', 'regexp_replace');
    const by = text(replacement);
    const from = Math.max(0, Number(position) - 1);
    if (from === 0) return memo.answer(regex, by, text(value), (s) => s.replace(regex, by));
    const s = text(value);
    return s.slice(0, from) + s.slice(from).replace(regex, by);
  });
}

export function registerRegexFunctions(db: Database): void {
  // `x REGEXP p` calls regexp(p, x); regexp_like takes the value first.
  const rlike = matcher('rlike');
  registerScalar(db, 'regexp', 2, 2, (p, value) => rlike(value, p));
  registerScalar(db, 'regexp_like', 2, 2, matcher('regexp_like'));
  registerReplace(db);

  const extractPattern = patternCache();
  registerScalar(db, 'regexp_extract', 2, 3, (value, p, index = 1) => {
    if (value === null || p === null || index === null) return null;
    const groups = extractPattern(text(p), 'u', 'regexp_extract').exec(text(value));
    const i = Number(index);
    if (!groups) return '';
    if (i < 0 || i >= groups.length) throw new Error(`regexp_extract: the regex has ${groups.length - 1} group(s), so index ${i} is out of range`);
    return groups[i] ?? '';
  });
  const extractAllPattern = patternCache();
  registerScalar(db, 'regexp_extract_all', 2, 3, (value, p, index = 1) => {
    if (value === null || p === null || index === null) return null;
    const i = Number(index);
    return JSON.stringify([...text(value).matchAll(extractAllPattern(text(p), 'gu', 'regexp_extract_all'))].map((m) => m[i] ?? ''));
  });

  const splitPattern = patternCache();
  registerScalar(db, 'split', 2, 3, (value, p, limit = -1) => {
    if (value === null || p === null || limit === null) return null;
    return JSON.stringify(splitJava(text(value), splitPattern(text(p), 'gu', 'split'), Number(limit)));
  });
}

/** Java's String.split(regex, limit), which Spark's split follows (an empty leading match is dropped). */
function splitJava(s: string, regex: RegExp, limit: number): string[] {
  const parts: string[] = [];
  let start = 0;
  regex.lastIndex = 0;
  for (let match = regex.exec(s); match; match = regex.exec(s)) {
    if (limit > 0 && parts.length === limit - 1) break;
    if (match[0].length === 0) {
      if (match.index >= s.length) break;
      if (match.index === 0) {
        regex.lastIndex++;
        continue;
      }
    }
    parts.push(s.slice(start, match.index));
    start = match.index + match[0].length;
    if (match[0].length === 0) regex.lastIndex++;
  }
  parts.push(s.slice(start));
  if (limit === 0) while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}
