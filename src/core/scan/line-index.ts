/**
 * Where one file's lines are, by what they hold: for each (serviceName, actionName) the scan saw,
 * the line numbers, byte offsets and lengths of its lines, kept compactly (delta-encoded varints
 * in base64) in the scan cache. A load that knows which names its queries read then reads only
 * those lines' bytes. Lines whose names only SQLite can tell (a `\u` escape, a repeated key, a
 * name that is not a string) and lines that are not records are kept apart and always read, so a
 * load by the index rejects and loads exactly what reading the whole file would.
 */

import { IdentityIndexBuilder, type IdentityIndex, type IndexedPath } from './identity-index';

/** One non-blank line: 1-based number, byte offset of its first byte, byte length without its line break. */
export interface IndexedLine {
  line: number;
  offset: number;
  length: number;
}

export interface LineIndex {
  /** Non-blank lines in the file. */
  lines: number;
  /** Group key (see `groupKey`, `ALWAYS_READ`) → encoded lines, ascending. */
  groups: Record<string, string>;
  /** Which lines hold which identities (see identity-index). */
  identities?: IdentityIndex;
}

/** Lines any load must read: not records, or records whose names only SQLite can read. */
export const ALWAYS_READ = '*';

/** The group of a record with these names. */
export function groupKey(service: string, action: string | null): string {
  return JSON.stringify([service, action]);
}

function parseGroupKey(key: string): [string, string | null] {
  return JSON.parse(key) as [string, string | null];
}

/** The group a parsed record's line belongs to. */
export function groupOf(text: string, record: Record<string, unknown>): string {
  const service = record.serviceName;
  const action = record.actionName ?? null;
  if (typeof service !== 'string' || (action !== null && typeof action !== 'string')) return ALWAYS_READ;
  // JSON.parse keeps a repeated key's last value, SQLite its first; escapes are SQLite's to read.
  if (text.includes('\\u') || repeats(text, '"serviceName"') || repeats(text, '"actionName"')) return ALWAYS_READ;
  return groupKey(service, action);
}

function repeats(text: string, key: string): boolean {
  const first = text.indexOf(key);
  return first >= 0 && text.indexOf(key, first + 1) >= 0;
}

export class LineIndexBuilder {
  private readonly groups = new Map<string, IndexedLine[]>();
  private readonly identities = new IdentityIndexBuilder();
  private lines = 0;
  /** A line the index cannot describe (over-long, not UTF-8): the file is then read whole. */
  private unusable = false;

  /** Adds a line in file order; `identities` are its values of the indexed fields (for a line not always read). */
  add(group: string, line: IndexedLine, identities?: Partial<Record<IndexedPath, string>>): void {
    this.lines++;
    if (identities && group !== ALWAYS_READ) this.identities.add(line.line, identities);
    let list = this.groups.get(group);
    if (!list) this.groups.set(group, (list = []));
    list.push(line);
  }

  markUnusable(): void {
    this.unusable = true;
  }

  build(): LineIndex | undefined {
    if (this.unusable) return undefined;
    const groups: Record<string, string> = {};
    for (const [key, lines] of this.groups) groups[key] = encodeLines(lines);
    return { lines: this.lines, groups, identities: this.identities.build() };
  }
}

/** The lines of the groups `wanted` admits, plus those always read, in file order. */
export function selectLines(index: LineIndex, wanted: (service: string, action: string | null) => boolean): IndexedLine[] {
  const selected: IndexedLine[] = [];
  for (const [key, encoded] of Object.entries(index.groups)) {
    if (key === ALWAYS_READ || wanted(...parseGroupKey(key))) for (const line of decodeLines(encoded)) selected.push(line);
  }
  return selected.sort((a, b) => a.offset - b.offset);
}

/**
 * The index restricted to lines among `kept` and those always read: a load that reads by it reads
 * nothing else (and a file it leaves no line in is not opened). `lines` still counts the file's
 * lines, so what a load passes over is counted as before.
 */
export function narrowLineIndex(index: LineIndex, kept: ReadonlySet<number>): LineIndex {
  const groups: Record<string, string> = {};
  for (const [key, encoded] of Object.entries(index.groups)) {
    if (key !== ALWAYS_READ && kept.size === 0) continue;
    const lines = key === ALWAYS_READ ? undefined : decodeLines(encoded, (line) => kept.has(line));
    if (lines === undefined) groups[key] = encoded;
    else if (lines.length > 0) groups[key] = encodeLines(lines);
  }
  return { lines: index.lines, groups };
}

/** Bytes of the lines an index holds (what a load by it reads at most). */
export function indexedBytes(index: LineIndex): number {
  let bytes = 0;
  for (const encoded of Object.values(index.groups)) for (const line of decodeLines(encoded)) bytes += line.length;
  return bytes;
}

/**
 * Groups lines (in file order) into reads: lines less than `maxGap` bytes apart share one read,
 * so a GCS load makes one `Range` request for a run of nearby lines.
 */
export function planReads(lines: readonly IndexedLine[], maxGap: number): { start: number; end: number; lines: IndexedLine[] }[] {
  const reads: { start: number; end: number; lines: IndexedLine[] }[] = [];
  for (const line of lines) {
    const last = reads[reads.length - 1];
    if (last && line.offset - last.end <= maxGap) {
      last.end = Math.max(last.end, line.offset + line.length);
      last.lines.push(line);
    } else {
      reads.push({ start: line.offset, end: line.offset + line.length, lines: [line] });
    }
  }
  return reads;
}

/** Lines as base64 varints: per line, the line-number step, the gap after the previous line's end, and the length. */
export function encodeLines(lines: readonly IndexedLine[]): string {
  const bytes: number[] = [];
  let line = 0;
  let end = 0;
  for (const entry of lines) {
    pushVarint(bytes, entry.line - line);
    pushVarint(bytes, entry.offset - end);
    pushVarint(bytes, entry.length);
    line = entry.line;
    end = entry.offset + entry.length;
  }
  return Buffer.from(bytes).toString('base64');
}

/** The encoded lines, or only those whose number `keep` accepts. */
export function decodeLines(encoded: string, keep?: (line: number) => boolean): IndexedLine[] {
  const next = varintReader(encoded);
  const lines: IndexedLine[] = [];
  let line = 0;
  let end = 0;
  while (next.more()) {
    line += next();
    const offset = end + next();
    const length = next();
    if (!keep || keep(line)) lines.push({ line, offset, length });
    end = offset + length;
  }
  return lines;
}

/** Ascending whole numbers as base64 varints of their steps. */
export function encodeSteps(numbers: readonly number[]): string {
  const bytes: number[] = [];
  let last = 0;
  for (const value of numbers) {
    pushVarint(bytes, value - last);
    last = value;
  }
  return Buffer.from(bytes).toString('base64');
}

export function decodeSteps(encoded: string): number[] {
  const next = varintReader(encoded);
  const numbers: number[] = [];
  let value = 0;
  while (next.more()) numbers.push((value += next()));
  return numbers;
}

/** Reads base64 varints one after another; `byte` takes the next single byte as it is. */
export function varintReader(encoded: string): (() => number) & { more(): boolean; byte(): number } {
  const bytes = Buffer.from(encoded, 'base64');
  let at = 0;
  const next = (): number => {
    let value = 0;
    let scale = 1;
    for (;;) {
      if (at >= bytes.length) throw new Error('truncated line index');
      const byte = bytes[at++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 0x80;
    }
  };
  const byte = (): number => {
    if (at >= bytes.length) throw new Error('truncated line index');
    return bytes[at++]!;
  };
  return Object.assign(next, { more: () => at < bytes.length, byte });
}

export function pushVarint(out: number[], value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`cannot encode ${value} in a line index`);
  let rest = value;
  while (rest >= 0x80) {
    out.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  out.push(rest);
}
