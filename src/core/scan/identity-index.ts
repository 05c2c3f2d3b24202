/**
 * Which identities one file holds and on which lines: for each indexed field (the acting email,
 * the attempted user of a failed login, the source IP address, the session id) each value the
 * scan saw, with the numbers of the lines holding it (delta varints in base64), kept beside the
 * line index in the scan cache. Request ids, nearly one per line, are kept as a 24-bit hash per
 * line instead (a few bytes a line rather than the id's 36): a lookup may then take a line of
 * another id with the same hash (about one line in 16 million), which the query's own condition
 * drops. A load whose every statement filters one of these fields then reads only the lines
 * holding one of its values. A line whose identity fields only SQLite can
 * read (a `\u` escape, a repeated key, a value that is not a string) is not described here: the
 * scan puts it among the lines always read.
 */
import { decodeSteps, encodeSteps, pushVarint, varintReader } from './line-index';

/** The indexed fields, by their path in `audit_logs` (as a field filter names them). */
export const IDENTITY_PATHS = ['userIdentity.email', 'requestParams.user', 'sourceIPAddress', 'sessionId'] as const;
export type IdentityPath = (typeof IDENTITY_PATHS)[number];

/** Indexed by a hash of the value, not the value. */
const HASHED_PATH = 'requestId';
export type IndexedPath = IdentityPath | typeof HASHED_PATH;
const INDEXED_PATHS: readonly IndexedPath[] = [...IDENTITY_PATHS, HASHED_PATH];

/** path → value → encoded line numbers, ascending; `requestIds`: per line with a request id, its line step and hash (see HashedLines). */
export type IdentityIndex = Partial<Record<IdentityPath, Record<string, string>>> & { requestIds?: string };

/** Values longer than this are not worth an index entry: their lines are always read. */
export const MAX_INDEXED_VALUE_LENGTH = 256;

/** The keys on an indexed path: repeated in one object, JSON.parse (last wins) and SQLite (first wins) disagree. */
const IDENTITY_KEYS = ['userIdentity', 'email', 'requestParams', 'user', 'sourceIPAddress', 'sessionId', 'requestId'].map((key) => ({ key, inText: new RegExp(`"${key}"\\s*:`, 'g') }));

/** A line's values of the indexed fields (absent or null fields left out), or undefined when only SQLite can read them. */
export function identitiesOf(text: string, record: Record<string, unknown>): Partial<Record<IndexedPath, string>> | undefined {
  if (text.includes('\\u') || IDENTITY_KEYS.some(({ key, inText }) => mayRepeat(text, inText, record, key))) return undefined;
  const found: Partial<Record<IndexedPath, string>> = {};
  for (const path of INDEXED_PATHS) {
    const value = valueAt(record, path);
    if (value === null) continue;
    if (typeof value !== 'string' || value.length > MAX_INDEXED_VALUE_LENGTH) return undefined;
    found[path] = value;
  }
  return found;
}

/** The value at a one- or two-step path: null when absent or null; `unreadable` when a step is not an object. */
function valueAt(record: Record<string, unknown>, path: IndexedPath): unknown {
  const [first, second] = path.split('.') as [string, string | undefined];
  const outer = record[first] ?? null;
  if (second === undefined || outer === null) return outer;
  if (typeof outer !== 'object' || Array.isArray(outer)) return UNREADABLE;
  return (outer as Record<string, unknown>)[second] ?? null;
}

const UNREADABLE = Symbol('unreadable');

/**
 * Whether some object of the line may hold `key` twice. Outside `\u` escapes, every `"key":` in
 * the text is a key (a string's own quotes are escaped), so more of them than the parsed record
 * holds means JSON.parse dropped a repeated one. The same key in different objects (an email in
 * requestParams and in userIdentity) is not a repetition.
 */
function mayRepeat(text: string, inText: RegExp, record: Record<string, unknown>, key: string): boolean {
  inText.lastIndex = 0;
  let count = 0;
  while (inText.exec(text)) count++;
  return count > 1 && count !== keysNamed(record, key);
}

/** How many objects in the parsed value have this key, counted without recursion (lines may nest deep). */
function keysNamed(root: unknown, key: string): number {
  let count = 0;
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value !== 'object' || value === null) continue;
    if (!Array.isArray(value) && Object.hasOwn(value, key)) count++;
    for (const child of Object.values(value)) stack.push(child);
  }
  return count;
}

export class IdentityIndexBuilder {
  private readonly fields = new Map<IdentityPath, Map<string, number[]>>();
  private readonly requestIds = new HashedLines();

  add(line: number, identities: Partial<Record<IndexedPath, string>>): void {
    for (const [path, value] of Object.entries(identities) as [IndexedPath, string][]) {
      if (path === HASHED_PATH) {
        this.requestIds.add(line, value);
        continue;
      }
      let values = this.fields.get(path);
      if (!values) this.fields.set(path, (values = new Map()));
      let lines = values.get(value);
      if (!lines) values.set(value, (lines = []));
      lines.push(line);
    }
  }

  build(): IdentityIndex {
    const index: IdentityIndex = {};
    for (const [path, values] of this.fields) {
      // Without a prototype, so a value such as `__proto__` is a key like any other.
      const encoded = Object.create(null) as Record<string, string>;
      for (const [value, lines] of values) encoded[value] = encodeSteps(lines);
      index[path] = encoded;
    }
    index.requestIds = this.requestIds.encode();
    return index;
  }
}

/** Lines by a 24-bit hash of a value: per line, in file order, its step from the previous line (a varint) and the hash's 3 bytes. */
class HashedLines {
  private readonly bytes: number[] = [];
  private last = 0;

  add(line: number, value: string): void {
    pushVarint(this.bytes, line - this.last);
    this.last = line;
    const hash = hash24(value);
    this.bytes.push(hash >>> 16, (hash >>> 8) & 0xff, hash & 0xff);
  }

  encode(): string {
    return Buffer.from(this.bytes).toString('base64');
  }
}

/** The lines whose hashed value may be one of `values`. */
function hashedLines(encoded: string, values: readonly string[]): Set<number> {
  const wanted = new Set(values.map(hash24));
  const next = varintReader(encoded);
  const lines = new Set<number>();
  let line = 0;
  while (next.more()) {
    line += next();
    if (wanted.has((next.byte() << 16) | (next.byte() << 8) | next.byte())) lines.add(line);
  }
  return lines;
}

/** FNV-1a over the UTF-16 code units, folded to 24 bits. */
function hash24(value: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) hash = Math.imul(hash ^ value.charCodeAt(i), 0x01000193);
  return ((hash >>> 24) ^ hash) & 0xffffff;
}

/** What a field filter asks: the value at `path` is one of `values` (the shape of the prefilter's field filters). */
export interface IdentityFilter {
  path: string;
  values: readonly string[];
}

/** What a prefix filter asks: the value at `path` starts with `prefix` (the shape of the prefilter's prefix filters). */
export interface IdentityPrefixFilter {
  path: string;
  prefix: string;
}

/** One statement's filters, as the identity index reads them (the shape of a prefilter's statement). */
export interface IdentityStatement {
  fields?: readonly IdentityFilter[];
  fieldPrefixes?: readonly IdentityPrefixFilter[];
}

export function isIdentityPath(path: string): path is IdentityPath {
  return (IDENTITY_PATHS as readonly string[]).includes(path);
}

/** Whether an identity index can narrow what these statements read: each filters an indexed field (by a prefix: one indexed by value). */
export function narrowsByIdentities(statements: readonly IdentityStatement[]): boolean {
  return (
    statements.length > 0 &&
    statements.every(
      (statement) => (statement.fields ?? []).some((field) => isIdentityPath(field.path) || field.path === HASHED_PATH) || (statement.fieldPrefixes ?? []).some((field) => isIdentityPath(field.path)),
    )
  );
}

/** Whether this index can tell which lines hold a value at `path`. */
function indexes(index: IdentityIndex, path: string): boolean {
  return isIdentityPath(path) || (path === HASHED_PATH && index.requestIds !== undefined);
}

/**
 * The lines that may hold a record one of the statements reads, by the identity index: per
 * statement, the lines holding one of the values of each of its indexed field filters and a value
 * starting with the prefix of each of its prefix filters on a field indexed by value; undefined
 * when some statement has no indexed field filter (the index cannot narrow what it reads).
 * Lines always read are not included: take them from the line index.
 */
export function identityLines(index: IdentityIndex, statements: readonly IdentityStatement[]): Set<number> | undefined {
  if (statements.length === 0) return undefined;
  const lines = new Set<number>();
  for (const statement of statements) {
    const byValues = (statement.fields ?? []).filter((field) => indexes(index, field.path));
    const byPrefix = (statement.fieldPrefixes ?? []).filter((field) => isIdentityPath(field.path));
    if (byValues.length === 0 && byPrefix.length === 0) return undefined;
    const fieldLines = [
      ...byValues.map((field) => (field.path === HASHED_PATH ? hashedLines(index.requestIds!, field.values) : linesHolding(index, field.path as IdentityPath, field.values))),
      ...byPrefix.map((field) => linesHolding(index, field.path as IdentityPath, Object.keys(index[field.path as IdentityPath] ?? {}).filter((value) => value.startsWith(field.prefix)))),
    ];
    const [first, ...others] = fieldLines;
    for (const line of first!) if (others.every((other) => other.has(line))) lines.add(line);
  }
  return lines;
}

function linesHolding(index: IdentityIndex, path: IdentityPath, values: readonly string[]): Set<number> {
  const byValue = index[path] ?? {};
  const lines = new Set<number>();
  for (const value of values) {
    if (!Object.hasOwn(byValue, value)) continue;
    for (const line of decodeSteps(byValue[value]!)) lines.add(line);
  }
  return lines;
}

/** Distinct values per indexed field, across many files' indexes. */
export function countIdentities(indexes: Iterable<IdentityIndex>): Record<IdentityPath, number> {
  const seen = new Map<IdentityPath, Set<string>>(IDENTITY_PATHS.map((path) => [path, new Set()]));
  for (const index of indexes) for (const path of IDENTITY_PATHS) for (const value of Object.keys(index[path] ?? {})) seen.get(path)!.add(value);
  return Object.fromEntries(IDENTITY_PATHS.map((path) => [path, seen.get(path)!.size])) as Record<IdentityPath, number>;
}
