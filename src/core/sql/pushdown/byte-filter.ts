/**
 * The prefilter on raw bytes: decides whether a line may hold a matching record before the line
 * is decoded, let alone parsed. Each needle is searched once per buffer (natively); lines then
 * only compare positions. A valid UTF-8 line holds a text exactly when its bytes hold the text's
 * UTF-8 encoding, so the answer is the text test's.
 */
import type { LineSelector } from '../../jsonl';
import type { CompiledPrefilter } from './prefilter';

export class ByteLineFilter implements LineSelector {
  /** Lines the filter turned away, never decoded or parsed. */
  skipped = 0;
  private readonly needles: { text: string; bytes: Buffer }[];
  private buffer: Buffer | undefined;
  /** Per needle: where it occurs in `buffer`, ascending, and how far lines have consumed them. */
  private positions: number[][] = [];
  private cursors: number[] = [];
  /** Whether the line being tested holds each needle. */
  private readonly held: boolean[];
  private readonly has: (needle: string) => boolean;

  constructor(private readonly prefilter: CompiledPrefilter) {
    this.needles = prefilter.needles.map((text) => ({ text, bytes: Buffer.from(text, 'utf8') }));
    this.held = this.needles.map(() => false);
    const slot = new Map(this.needles.map(({ text }, i) => [text, i]));
    this.has = (needle) => this.held[slot.get(needle) ?? -1] === true;
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
    for (let i = 0; i < this.needles.length; i++) {
      const found = this.positions[i]!;
      let cursor = this.cursors[i]!;
      // Lines come in ascending order within a buffer, so each cursor only moves forward.
      while (cursor < found.length && found[cursor]! < start) cursor++;
      this.cursors[i] = cursor;
      this.held[i] = cursor < found.length && found[cursor]! < end;
    }
    return this.prefilter.mayMatch(this.has);
  }

  private index(buffer: Buffer): void {
    this.buffer = buffer;
    this.positions = this.needles.map(({ bytes }) => {
      const found: number[] = [];
      for (let at = buffer.indexOf(bytes); at >= 0; at = buffer.indexOf(bytes, at + 1)) found.push(at);
      return found;
    });
    this.cursors = this.needles.map(() => 0);
  }
}
