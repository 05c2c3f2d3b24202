/**
 * A JSON scanner that checks one line's syntax and reports where its keys and values are, so a
 * finding can point at the exact key or value. Iterative (an explicit stack), so input nested
 * 10,000 deep costs memory, not call stack. It records positions only down to `trackDepth`
 * (the record's fields and the members of requestParams, userIdentity and response), but checks
 * syntax, duplicate keys and over-large integers at every depth.
 */

export type ValueKind = 'object' | 'array' | 'string' | 'number' | 'true' | 'false' | 'null';

/** One object member: offsets are UTF-16 indexes into the line, end exclusive. */
export interface ScannedMember {
  /** Keys from the top-level object down to this member. */
  path: readonly string[];
  keyStart: number;
  keyEnd: number;
  valueStart: number;
  valueEnd: number;
  kind: ValueKind;
}

export interface ScannedDuplicate {
  /** Path of the repeated key (its parent's keys, then the key). */
  path: readonly string[];
  keyStart: number;
  keyEnd: number;
}

/** An integer literal beyond ±(2^53 - 1): most JSON readers (JSON.parse included) round it. */
export interface ScannedBigInteger {
  /** Path when the number is a tracked member's value; undefined deeper or inside arrays. */
  path?: readonly string[];
  start: number;
  end: number;
  text: string;
}

export interface ScanError {
  offset: number;
  message: string;
  /** True when the text ends before the value does (a truncated line). */
  truncated: boolean;
  /** True when the offending character is a raw NUL. */
  nul: boolean;
}

export interface ScanResult {
  /** Kind of the top-level value, when one starts. */
  rootKind?: ValueKind;
  members: ScannedMember[];
  duplicates: ScannedDuplicate[];
  bigIntegers: ScannedBigInteger[];
  error?: ScanError;
}

interface Frame {
  isObject: boolean;
  /** Path of this container, or null once below the tracked depth or inside an array. */
  path: string[] | null;
  keys?: Set<string>;
  /** The member whose value this container is (its valueEnd is set when the container closes). */
  member?: ScannedMember;
  /** The key of the member being read (objects only). */
  key?: string;
  keyStart: number;
  keyEnd: number;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
/** A run of string characters that need no attention (the regex engine skips them far faster). */
const PLAIN_RUN = /[^"\\\u0000-\u001f]*/y;

const enum State {
  Value,
  KeyOrClose,
  Key,
  Colon,
  CommaOrClose,
  End,
}

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isHex(c: number): boolean {
  return isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

function describeChar(text: string, offset: number): string {
  if (offset >= text.length) return 'end of line';
  const c = text.charCodeAt(offset);
  if (c === 0) return 'NUL byte';
  if (c < 0x20) return `control character U+${c.toString(16).padStart(4, '0').toUpperCase()}`;
  return `'${text[offset]}'`;
}

export function scanJson(text: string, trackDepth = 2): ScanResult {
  const result: ScanResult = { members: [], duplicates: [], bigIntegers: [] };
  const stack: Frame[] = [];
  const n = text.length;
  let i = 0;
  let state = State.Value as State;

  const fail = (offset: number, expected: string): ScanResult => {
    const truncated = offset >= n;
    const nul = !truncated && text.charCodeAt(offset) === 0;
    const message = truncated
      ? `the line ends before the JSON value does (truncated?); expected ${expected}`
      : `expected ${expected}, found ${describeChar(text, offset)}`;
    result.error = { offset, message, truncated, nul };
    return result;
  };

  /** Reads a string starting at the quote at `i`; returns the index after the closing quote, or -1. */
  let stringError = 0;
  const readString = (start: number): number => {
    let j = start + 1;
    while (j < n) {
      PLAIN_RUN.lastIndex = j;
      PLAIN_RUN.test(text);
      j = PLAIN_RUN.lastIndex;
      if (j >= n) break;
      const c = text.charCodeAt(j);
      if (c === 0x22) return j + 1;
      if (c === 0x5c) {
        const e = text.charCodeAt(j + 1);
        if (e === 0x75) {
          for (let k = 2; k < 6; k++) {
            if (!isHex(text.charCodeAt(j + k))) {
              stringError = j + k;
              return -1;
            }
          }
          j += 6;
        } else if (e === 0x22 || e === 0x5c || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) {
          j += 2;
        } else {
          stringError = j + 1;
          return -1;
        }
      } else if (c < 0x20) {
        stringError = j;
        return -1;
      } else {
        j++;
      }
    }
    stringError = n;
    return -1;
  };

  /** Reads a number at `i`; returns the end index, or -1 (error offset in stringError). */
  let numberIsInteger = true;
  const readNumber = (start: number): number => {
    let j = start;
    numberIsInteger = true;
    if (text.charCodeAt(j) === 0x2d) j++;
    if (text.charCodeAt(j) === 0x30) j++;
    else if (isDigit(text.charCodeAt(j))) while (isDigit(text.charCodeAt(j))) j++;
    else return ((stringError = j), -1);
    if (text.charCodeAt(j) === 0x2e) {
      numberIsInteger = false;
      j++;
      if (!isDigit(text.charCodeAt(j))) return ((stringError = j), -1);
      while (isDigit(text.charCodeAt(j))) j++;
    }
    const e = text.charCodeAt(j);
    if (e === 0x65 || e === 0x45) {
      numberIsInteger = false;
      j++;
      const s = text.charCodeAt(j);
      if (s === 0x2b || s === 0x2d) j++;
      if (!isDigit(text.charCodeAt(j))) return ((stringError = j), -1);
      while (isDigit(text.charCodeAt(j))) j++;
    }
    return j;
  };

  const memberFor = (start: number, kind: ValueKind): ScannedMember | undefined => {
    const parent = stack[stack.length - 1];
    if (!parent || !parent.isObject || parent.path === null || parent.path.length >= trackDepth) return undefined;
    const member: ScannedMember = {
      path: [...parent.path, parent.key ?? ''],
      keyStart: parent.keyStart,
      keyEnd: parent.keyEnd,
      valueStart: start,
      valueEnd: start,
      kind,
    };
    result.members.push(member);
    return member;
  };

  const afterValue = (): void => {
    state = stack.length === 0 ? State.End : State.CommaOrClose;
  };

  while (true) {
    while (i < n && isWhitespace(text.charCodeAt(i))) i++;
    if (state === State.End) {
      if (i < n) {
        result.error = { offset: i, message: `unexpected ${describeChar(text, i)} after the end of the JSON value`, truncated: false, nul: text.charCodeAt(i) === 0 };
      }
      return result;
    }
    if (i >= n) {
      const expected = state === State.Value ? 'a value' : state === State.Colon ? "':'" : state === State.Key ? 'a key' : state === State.KeyOrClose ? "a key or '}'" : stack[stack.length - 1]!.isObject ? "',' or '}'" : "',' or ']'";
      return fail(n, expected);
    }
    const c = text.charCodeAt(i);
    switch (state) {
      case State.Value: {
        const parent = stack[stack.length - 1];
        if (c === 0x7b || c === 0x5b) {
          const isObject = c === 0x7b;
          const kind: ValueKind = isObject ? 'object' : 'array';
          if (stack.length === 0) result.rootKind = kind;
          const member = memberFor(i, kind);
          let path: string[] | null = null;
          if (stack.length === 0) path = [];
          else if (member && isObject) path = member.path as string[];
          stack.push({ isObject, path, member, keyStart: 0, keyEnd: 0 });
          i++;
          if (isObject) state = State.KeyOrClose;
          else {
            while (i < n && isWhitespace(text.charCodeAt(i))) i++;
            if (text.charCodeAt(i) === 0x5d) {
              stack.pop();
              i++;
              if (member) member.valueEnd = i;
              afterValue();
            } else state = State.Value;
          }
          continue;
        }
        let end: number;
        let kind: ValueKind;
        if (c === 0x22) {
          end = readString(i);
          if (end < 0) return fail(stringError, stringError >= n ? "'\"' to close the string" : 'a valid string character');
          kind = 'string';
        } else if (c === 0x2d || isDigit(c)) {
          end = readNumber(i);
          if (end < 0) return fail(stringError, 'a digit');
          kind = 'number';
          if (numberIsInteger && end - i >= 16) {
            const digits = text.slice(i, end);
            const magnitude = BigInt(digits.startsWith('-') ? digits.slice(1) : digits);
            if (magnitude > MAX_SAFE) {
              const tracked = parent?.isObject && parent.path !== null && parent.path.length < trackDepth ? [...parent.path, parent.key ?? ''] : undefined;
              result.bigIntegers.push({ path: tracked, start: i, end, text: digits });
            }
          }
        } else if (text.startsWith('true', i)) {
          end = i + 4;
          kind = 'true';
        } else if (text.startsWith('false', i)) {
          end = i + 5;
          kind = 'false';
        } else if (text.startsWith('null', i)) {
          end = i + 4;
          kind = 'null';
        } else {
          return fail(i, 'a JSON value');
        }
        if (stack.length === 0) result.rootKind = kind;
        const member = memberFor(i, kind);
        if (member) member.valueEnd = end;
        i = end;
        afterValue();
        continue;
      }
      case State.KeyOrClose:
      case State.Key: {
        const frame = stack[stack.length - 1]!;
        if (c === 0x7d && state === State.KeyOrClose) {
          stack.pop();
          i++;
          if (frame.member) frame.member.valueEnd = i;
          afterValue();
          continue;
        }
        if (c !== 0x22) return fail(i, state === State.KeyOrClose ? "a key or '}'" : 'a key');
        const end = readString(i);
        if (end < 0) return fail(stringError, stringError >= n ? "'\"' to close the key" : 'a valid string character');
        const raw = text.slice(i + 1, end - 1);
        const key = raw.includes('\\') ? (JSON.parse(text.slice(i, end)) as string) : raw;
        frame.keys ??= new Set();
        if (frame.keys.has(key)) {
          result.duplicates.push({ path: [...(frame.path ?? []), key], keyStart: i, keyEnd: end });
        } else frame.keys.add(key);
        frame.key = key;
        frame.keyStart = i;
        frame.keyEnd = end;
        i = end;
        state = State.Colon;
        continue;
      }
      case State.Colon:
        if (c !== 0x3a) return fail(i, "':'");
        i++;
        state = State.Value;
        continue;
      case State.CommaOrClose: {
        const frame = stack[stack.length - 1]!;
        if (c === 0x2c) {
          i++;
          state = frame.isObject ? State.Key : State.Value;
          continue;
        }
        if ((frame.isObject && c === 0x7d) || (!frame.isObject && c === 0x5d)) {
          stack.pop();
          i++;
          if (frame.member) frame.member.valueEnd = i;
          afterValue();
          continue;
        }
        return fail(i, frame.isObject ? "',' or '}'" : "',' or ']'");
      }
    }
  }
}
