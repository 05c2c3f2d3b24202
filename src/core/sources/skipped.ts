/**
 * What a listing passes over: folders and files outside the delivery layout, folders it may not
 * read, and names that are not files (links that lead nowhere, pipes, devices, sockets). Skipping
 * them is right (Spark skips them too), but silently skipping evidence is not: each kind is summed
 * up once, as information.
 */
export type SkippedKind =
  | 'unreadable-folder'
  | 'not-workspace'
  | 'not-date'
  | 'not-audit-file'
  | 'nested-folder'
  | 'broken-link'
  | 'not-regular-file'
  | 'unexaminable-file';

export interface Skipped {
  kind: SkippedKind;
  /** The folder or file passed over (a path or a gs:// URI). */
  path: string;
}

export type SkippedSink = (skipped: Skipped) => void;

const WHAT: Record<SkippedKind, (n: number) => string> = {
  'unreadable-folder': (n) => `${n} ${n === 1 ? 'folder' : 'folders'} could not be read (permission denied)`,
  'not-workspace': (n) => `${n} ${n === 1 ? 'folder is' : 'folders are'} not named workspaceId=<digits>`,
  'not-date': (n) => `${n} ${n === 1 ? 'folder is' : 'folders are'} not named date=<a real yyyy-mm-dd>`,
  'not-audit-file': (n) => `${n} ${n === 1 ? 'file is' : 'files are'} not named auditlogs_<id>.json`,
  'nested-folder': (n) => `${n} ${n === 1 ? 'folder sits' : 'folders sit'} below a date= folder, where only files belong`,
  'broken-link': (n) => `${n} ${n === 1 ? 'symbolic link leads' : 'symbolic links lead'} to no file (a missing target or a loop of links)`,
  'not-regular-file': (n) => `${n} ${n === 1 ? 'entry is' : 'entries are'} not a regular file (a pipe, device or socket, never opened)`,
  'unexaminable-file': (n) => `${n} ${n === 1 ? 'file' : 'files'} could not be examined (no permission to look it up)`,
};

const EXAMPLES = 3;

export interface SkippedSummary {
  kind: SkippedKind;
  /** What was passed over and why, counted: `2 folders are not named workspaceId=<digits>`. */
  what: string;
  /** The first few paths passed over, in the order met. */
  examples: string[];
  /** How many distinct paths. */
  count: number;
}

/** One summary per kind, each path counted once, in the order the kinds were first met. */
export function summarizeSkipped(list: readonly Skipped[]): SkippedSummary[] {
  const byKind = new Map<SkippedKind, Set<string>>();
  for (const s of list) {
    const paths = byKind.get(s.kind) ?? new Set<string>();
    paths.add(s.path);
    byKind.set(s.kind, paths);
  }
  return [...byKind].map(([kind, paths]) => {
    const examples: string[] = [];
    for (const p of paths) {
      if (examples.length === EXAMPLES) break;
      examples.push(p);
    }
    return { kind, what: WHAT[kind](paths.size), examples, count: paths.size };
  });
}

/** One line per kind: `skipped: 2 folders are not named workspaceId=<digits> (a, b)`. */
export function describeSkipped(list: readonly Skipped[]): string[] {
  return summarizeSkipped(list).map(({ what, examples, count }) => `skipped: ${what} (${examples.join(', ')}${count > EXAMPLES ? ', …' : ''})`);
}
