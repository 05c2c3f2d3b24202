/**
 * Streaming JSON Lines reader: splits bytes into lines with their 1-based line number and byte
 * offset, without ever holding a whole file. Handles a BOM, CRLF and lone CR, blank lines and a last line
 * without newline. A line that is over-long or not valid UTF-8 is reported and skipped; every
 * other line still comes out.
 */
import { isUtf8 } from 'node:buffer';
import { throwIfCancelled } from '../errors';

export const DEFAULT_MAX_LINE_BYTES = 32 * 1024 * 1024;

export interface RawLine {
  kind: 'line';
  /** 1-based physical line number. */
  line: number;
  /** Byte offset of the line's first byte in the file (after a BOM it is 3 for line 1). */
  offset: number;
  /** The line's text, without its line ending. */
  text: string;
  /** Its UTF-8 bytes (a view of the chunk read), when asked for with `keepBytes` (the text is then decoded on first use). */
  bytes?: Buffer;
  /**
   * The line as SQLite's JSONB, when another thread has already checked that it is a strict JSON
   * object and converted it (see JsonbConverter); `bytes` and `text` are then absent and empty.
   */
  jsonb?: Uint8Array;
}

export interface LineProblem {
  kind: 'problem';
  line: number;
  offset: number;
  reason: string;
  /** The start of the offending line, for display (never executed or rendered as HTML). */
  preview: string;
  /** Set when the problem is the whole file (compressed, or not UTF-8 text): it is reported once, as line 1. */
  wholeFile?: true;
}

export type LineItem = RawLine | LineProblem;

/** Turns lines away on their raw bytes, before they are decoded or checked (see pushdown). */
export interface LineSelector {
  /** Whether the non-blank line at `buffer[start, end)` is wanted; lines come in file order. */
  accepts(buffer: Buffer, start: number, end: number): boolean;
  /**
   * Where, at or after `from` in `buffer`, the first text a wanted line must hold may be (or
   * `buffer.length`): the lines that end before it are passed over without asking `accepts`,
   * and the non-blank ones among them counted through `passedOver`. Positions come in file order.
   */
  nextCandidate?(buffer: Buffer, from: number): number;
  passedOver?(lines: number): void;
}

export interface ReadLinesOptions {
  maxLineBytes?: number;
  signal?: AbortSignal;
  /** Lines it turns away are not yielded at all (neither as lines nor as UTF-8 problems). */
  select?: LineSelector;
  /** Give each line's bytes too (a database takes them faster than a string). */
  keepBytes?: boolean;
}

const NEWLINE = 0x0a;
const CR = 0x0d;
const PREVIEW_BYTES = 200;

function isBlank(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const b = buf[i];
    if (b !== 0x20 && b !== 0x09 && b !== CR) return false;
  }
  return true;
}

function preview(buf: Buffer, start: number, end: number): string {
  return buf.toString('utf8', start, Math.min(end, start + PREVIEW_BYTES));
}

/**
 * Yields batches of lines (one batch per chunk of input) so callers pay no per-line async cost.
 * Blank lines are not yielded.
 */
export async function* readLineBatches(
  chunks: AsyncIterable<Uint8Array>,
  options: ReadLinesOptions = {},
): AsyncGenerator<LineItem[]> {
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const select = options.select;
  const keepBytes = options.keepBytes === true;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let lineNumber = 1;
  let lineOffset = 0;
  let fileOffset = 0;
  let skippingOverlong = false;
  let overlongPreview = '';

  const emit = (out: LineItem[], buf: Buffer, from: number, end: number): void => {
    let start = from;
    const e = end;
    if (lineNumber === 1 && e - start >= 3 && buf[start] === 0xef && buf[start + 1] === 0xbb && buf[start + 2] === 0xbf) {
      start += 3;
      lineOffset = 3;
    }
    if (e - start > maxLineBytes) {
      out.push({ kind: 'problem', line: lineNumber, offset: lineOffset, reason: overlongReason(e - start, maxLineBytes), preview: preview(buf, start, e) });
    } else if (!isBlank(buf, start, e) && (select === undefined || select.accepts(buf, start, e))) {
      if (!isUtf8(buf.subarray(start, e))) {
        out.push({ kind: 'problem', line: lineNumber, offset: lineOffset, reason: 'line is not valid UTF-8', preview: preview(buf, start, e) });
      } else {
        out.push(keepBytes ? lineOfBytes(lineNumber, lineOffset, buf.subarray(start, e)) : { kind: 'line', line: lineNumber, offset: lineOffset, text: buf.toString('utf8', start, e) });
      }
    }
  };

  // A lone CR ends a line too (as in Spark's reader and in editors); CRLF is one line break. When
  // a chunk ends on CR, an LF at the start of the next chunk belongs to the same break.
  let lfContinuesBreak = false;
  for await (const chunk of chunks) {
    throwIfCancelled(options.signal);
    const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (buf.length === 0) continue;
    const notText = fileOffset === 0 ? notJsonLinesText(buf) : undefined;
    if (notText !== undefined) {
      yield [{ kind: 'problem', line: 1, offset: 0, reason: notText, preview: '', wholeFile: true }];
      return;
    }
    const out: LineItem[] = [];
    let start = 0;
    const chunkBase = fileOffset;
    fileOffset += buf.length;
    if (lfContinuesBreak) {
      lfContinuesBreak = false;
      if (buf[0] === NEWLINE) {
        start = 1;
        lineOffset = chunkBase + 1;
      }
    }
    let nextCr = buf.indexOf(CR, start);
    /** The LF ending the line at `start`, when passing lines over has found it already. */
    let foundBreak: number | undefined;
    for (;;) {
      if (select?.nextCandidate && pending.length === 0 && !skippingOverlong && lineNumber > 1) {
        if (nextCr >= 0 && nextCr < start) nextCr = buf.indexOf(CR, start);
        // A lone CR ends a line too: only lines ended by LF alone are passed over unread.
        const candidate = Math.min(select.nextCandidate(buf, start), nextCr >= 0 ? nextCr : buf.length);
        const passed = passOverLines(buf, start, candidate, maxLineBytes);
        if (passed.lines > 0) {
          select.passedOver?.(passed.nonBlank);
          lineNumber += passed.lines;
          start = passed.next;
          lineOffset = chunkBase + start;
        }
        foundBreak = passed.nextBreak;
      }
      let brk = foundBreak ?? buf.indexOf(NEWLINE, start);
      foundBreak = undefined;
      if (nextCr >= 0 && nextCr < start) nextCr = buf.indexOf(CR, start);
      if (nextCr >= 0 && (brk < 0 || nextCr < brk)) brk = nextCr;
      if (brk < 0) break;
      let next = brk + 1;
      if (buf[brk] === CR) {
        if (next === buf.length) lfContinuesBreak = true;
        else if (buf[next] === NEWLINE) next++;
      }
      if (skippingOverlong) {
        const length = pendingBytes + (brk - start);
        out.push({ kind: 'problem', line: lineNumber, offset: lineOffset, reason: overlongReason(length, maxLineBytes), preview: overlongPreview });
        skippingOverlong = false;
        pendingBytes = 0;
      } else if (pending.length > 0) {
        pending.push(buf.subarray(start, brk));
        const joined = Buffer.concat(pending);
        pending = [];
        pendingBytes = 0;
        emit(out, joined, 0, joined.length);
      } else {
        emit(out, buf, start, brk);
      }
      lineNumber++;
      lineOffset = chunkBase + next;
      start = next;
    }
    if (start < buf.length) {
      const tail = buf.subarray(start);
      if (skippingOverlong) {
        pendingBytes += tail.length;
      } else if (pendingBytes + tail.length > maxLineBytes + 1) {
        const head = pending.length > 0 ? Buffer.concat([...pending, tail]) : tail;
        overlongPreview = preview(head, 0, head.length);
        skippingOverlong = true;
        pendingBytes += tail.length;
        pending = [];
      } else {
        // Copy: the caller may reuse the chunk's memory.
        pending.push(Buffer.from(tail));
        pendingBytes += tail.length;
      }
    }
    if (out.length > 0) yield out;
  }
  const out: LineItem[] = [];
  if (skippingOverlong) {
    out.push({ kind: 'problem', line: lineNumber, offset: lineOffset, reason: overlongReason(pendingBytes, maxLineBytes), preview: overlongPreview });
  } else if (pending.length > 0) {
    const joined = Buffer.concat(pending);
    emit(out, joined, 0, joined.length);
  }
  if (out.length > 0) yield out;
}

/**
 * The whole lines from `start` that end (with LF) before `limit` and are not over-long, which a
 * selector passes over unread: how many, how many of them are not blank, where the next begins
 * and the first LF at or after it (-1: none).
 */
function passOverLines(buf: Buffer, start: number, limit: number, maxLineBytes: number): { lines: number; nonBlank: number; next: number; nextBreak: number } {
  let lines = 0;
  let nonBlank = 0;
  let at = start;
  for (;;) {
    const brk = buf.indexOf(NEWLINE, at);
    if (brk < 0 || brk >= limit || brk - at > maxLineBytes) return { lines, nonBlank, next: at, nextBreak: brk };
    lines++;
    if (!isBlank(buf, at, brk)) nonBlank++;
    at = brk + 1;
  }
}

/**
 * A line given by its bytes, decoded only if its text is asked for: a database takes the bytes,
 * so most lines of a load are never turned into strings.
 */
export function lineOfBytes(line: number, offset: number, bytes: Buffer): RawLine {
  let text: string | undefined;
  return {
    kind: 'line',
    line,
    offset,
    get text(): string {
      text ??= bytes.toString('utf8');
      return text;
    },
    bytes,
  };
}

/**
 * What a file is when its first bytes show it is not UTF-8 JSON Lines: gzip, or UTF-16 (with a
 * byte-order mark, or a JSON object whose every other byte is NUL). Said once, not per line.
 */
export function notJsonLinesText(head: Buffer): string | undefined {
  const advice = 'it is not UTF-8 JSON Lines text, so none of its lines can be read';
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return `the file is gzip-compressed: ${advice}; decompress it first`;
  const le = (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0x7b && head[1] === 0x00);
  const be = (head[0] === 0xfe && head[1] === 0xff) || (head[0] === 0x00 && head[1] === 0x7b);
  if (head.length >= 2 && (le || be)) return `the file is UTF-16${le ? 'LE' : 'BE'} text: ${advice}; convert it to UTF-8 first`;
  return undefined;
}

function overlongReason(bytes: number, max: number): string {
  return `line is longer than the limit of ${max} bytes (${bytes} bytes or more); skipped`;
}

export type ParsedLine =
  | { kind: 'record'; line: number; offset: number; text: string; value: Record<string, unknown> }
  | LineProblem;

/** Parses one line: a JSON object is a record; anything else is a problem with a reason. */
export function parseLine(item: RawLine): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(item.text);
  } catch (error) {
    return { kind: 'problem', line: item.line, offset: item.offset, reason: jsonReason(item.text, error), preview: item.text.slice(0, PREVIEW_BYTES) };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const what = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    return { kind: 'problem', line: item.line, offset: item.offset, reason: `line is ${what}, not a JSON object`, preview: item.text.slice(0, PREVIEW_BYTES) };
  }
  return { kind: 'record', line: item.line, offset: item.offset, text: item.text, value: value as Record<string, unknown> };
}

/** A readable reason for a JSON.parse failure, naming the column when V8 gives a position. */
export function jsonReason(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const position = /position (\d+)/.exec(message);
  if (/Unexpected end of JSON input/.test(message) || (position && Number(position[1]) >= text.length)) {
    return 'invalid JSON: the line ends before the JSON value does (truncated?)';
  }
  if (position) return `invalid JSON at column ${Number(position[1]) + 1}: ${message.replace(/ in JSON at position.*$/, '').replace(/^.*?: /, '')}`;
  return `invalid JSON: ${message}`;
}
