/**
 * The prefilter on raw bytes: decides whether a line may hold a matching record before the line
 * is decoded, let alone parsed. The anchors (the services or a field's values, `\u`), one of
 * which every admitted line holds, are searched once per buffer (natively); the reader passes
 * over the lines before the next one unread, and lines only compare positions; the other needles
 * (actions, LIKE fragments, other fields' values) are searched only inside a line that holds an
 * anchor. A valid UTF-8 line holds a text exactly when its bytes hold the text's UTF-8 encoding,
 * so the answer is the text test's.
 *
 * With many anchors (a detection run names most services), one search per anchor costs more than
 * the lines it passes over: then the one anchor searched is the key `"serviceName"`, and a line's
 * service and action are read where their keys stand. Without `\u` in the line, a key can only
 * be spelled so; when each occurrence of both keys is followed by `:"` and a value without
 * escapes, the record's serviceName and actionName are among those values, and the line is tested
 * with them (a line with neither field matches no statement naming one). Any other line is tested
 * on its text.
 */
import type { LineSelector } from '../../jsonl';
import { JSON_UNICODE_ESCAPE, type CompiledPrefilter } from './prefilter';

const SERVICE_KEY = Buffer.from('"serviceName"', 'utf8');
const ACTION_KEY = Buffer.from('"actionName"', 'utf8');
const QUOTE = 0x22;
const COLON = 0x3a;
const BACKSLASH = 0x5c;
/** From this many anchors on (when every statement names its services), the service is read at its key instead. */
const NAME_READ_MIN_ANCHORS = 5;

export class ByteLineFilter implements LineSelector {
  /** Lines the filter turned away, never decoded or parsed. */
  skipped = 0;
  private readonly anchors: Buffer[];
  private readonly anchorSlot: Map<string, number>;
  private readonly others: Map<string, Buffer>;
  private buffer: Buffer | undefined;
  /** Per anchor: where it occurs in `buffer`, ascending, and how far lines have consumed them. */
  private positions: number[][] = [];
  private cursors: number[] = [];
  /** Whether the line being tested holds each anchor. */
  private readonly held: boolean[];
  /** The line being tested, for the other needles. */
  private line: Buffer = Buffer.alloc(0);
  private readonly has: (needle: string) => boolean;

  /** Whether a line's service is read at its key (the anchors are then that key and `\u`). */
  private readonly readsService: boolean;
  private readonly lineServices: string[] = [];
  private readonly lineActions: string[] = [];

  constructor(private readonly prefilter: CompiledPrefilter) {
    this.readsService = prefilter.servicesNamed && prefilter.anchors.length >= NAME_READ_MIN_ANCHORS;
    const anchors = this.readsService ? [SERVICE_KEY.toString('utf8'), JSON_UNICODE_ESCAPE] : prefilter.anchors;
    this.anchors = anchors.map((text) => Buffer.from(text, 'utf8'));
    this.anchorSlot = new Map(anchors.map((text, i) => [text, i]));
    this.others = new Map(prefilter.needles.filter((text) => !this.anchorSlot.has(text)).map((text) => [text, Buffer.from(text, 'utf8')]));
    this.held = this.anchors.map(() => false);
    this.has = (needle) => {
      const slot = this.anchorSlot.get(needle);
      if (slot !== undefined) return this.held[slot] === true;
      const bytes = this.others.get(needle);
      return bytes !== undefined && this.line.includes(bytes);
    };
  }

  nextCandidate(buffer: Buffer, from: number): number {
    if (buffer !== this.buffer) this.index(buffer);
    let next = buffer.length;
    for (let i = 0; i < this.anchors.length; i++) {
      const found = this.positions[i]!;
      let cursor = this.cursors[i]!;
      while (cursor < found.length && found[cursor]! < from) cursor++;
      this.cursors[i] = cursor;
      if (cursor < found.length && found[cursor]! < next) next = found[cursor]!;
    }
    return next;
  }

  passedOver(lines: number): void {
    this.skipped += lines;
  }

  accepts(buffer: Buffer, start: number, end: number): boolean {
    const accepted = start === 0 && end === buffer.length ? this.acceptsWhole(buffer) : this.acceptsWithin(buffer, start, end);
    if (!accepted) this.skipped++;
    return accepted;
  }

  /** A buffer that is one line (joined across chunks): search it directly. */
  private acceptsWhole(line: Buffer): boolean {
    return this.prefilter.mayMatch((needle) => line.includes(needle));
  }

  private acceptsWithin(buffer: Buffer, start: number, end: number): boolean {
    if (buffer !== this.buffer) this.index(buffer);
    let anchored = false;
    for (let i = 0; i < this.anchors.length; i++) {
      const found = this.positions[i]!;
      let cursor = this.cursors[i]!;
      // Lines come in ascending order within a buffer, so each cursor only moves forward.
      while (cursor < found.length && found[cursor]! < start) cursor++;
      this.cursors[i] = cursor;
      // A needle that starts inside the line but runs past its end is not in it.
      this.held[i] = cursor < found.length && found[cursor]! + this.anchors[i]!.length <= end;
      anchored ||= this.held[i]!;
    }
    if (!anchored) return false;
    this.line = buffer.subarray(start, end);
    if (this.readsService && !this.held[1] && this.readServices(buffer, end) && readValues(this.line, ACTION_KEY, this.lineActions)) {
      return this.prefilter.mayMatchNames(this.lineServices, this.lineActions, this.has);
    }
    return this.readsService ? this.acceptsWhole(this.line) : this.prefilter.mayMatch(this.has);
  }

  /** The values at each `"serviceName"` key of the line ending at `end`, found by the anchor's search (from its cursor on); see readValue. */
  private readServices(buffer: Buffer, end: number): boolean {
    this.lineServices.length = 0;
    const found = this.positions[0]!;
    for (let cursor = this.cursors[0]!; cursor < found.length && found[cursor]! < end; cursor++) {
      if (!readValue(buffer, found[cursor]! + SERVICE_KEY.length, end, this.lineServices)) return false;
    }
    return true;
  }

  private index(buffer: Buffer): void {
    this.buffer = buffer;
    this.positions = this.anchors.map((bytes) => {
      const found: number[] = [];
      for (let at = buffer.indexOf(bytes); at >= 0; at = buffer.indexOf(bytes, at + 1)) found.push(at);
      return found;
    });
    this.cursors = this.anchors.map(() => 0);
  }
}

/** The values at each occurrence of `key` in `line` into `into`; see readValue. */
function readValues(line: Buffer, key: Buffer, into: string[]): boolean {
  into.length = 0;
  for (let at = line.indexOf(key); at >= 0; at = line.indexOf(key, at + key.length)) {
    if (!readValue(line, at + key.length, line.length, into)) return false;
  }
  return true;
}

/**
 * The string value after a key ending at `afterKey` (before `end`) into `into`; false when it is
 * not exactly `:"<text without escapes>"`, and the line must be tested on its text.
 */
function readValue(buffer: Buffer, afterKey: number, end: number, into: string[]): boolean {
  const valueStart = afterKey + 2;
  if (valueStart > end || buffer[afterKey] !== COLON || buffer[afterKey + 1] !== QUOTE) return false;
  const valueEnd = buffer.indexOf(QUOTE, valueStart);
  if (valueEnd < 0 || valueEnd >= end) return false;
  for (let i = valueStart; i < valueEnd; i++) if (buffer[i] === BACKSLASH) return false;
  into.push(buffer.toString('utf8', valueStart, valueEnd));
  return true;
}
