/**
 * What a listing passes over: folders and files outside the delivery layout, and folders it may
 * not read. Skipping them is right (Spark skips them too), but silently skipping evidence is not:
 * each kind is summed up once, as information.
 */
export type SkippedKind = 'unreadable-folder' | 'not-workspace' | 'not-date' | 'not-audit-file' | 'nested-folder';

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
};

const EXAMPLES = 3;

/** One line per kind: `skipped: 2 folders are not named workspaceId=<digits> (a, b)`. */
export function describeSkipped(list: readonly Skipped[]): string[] {
  const byKind = new Map<SkippedKind, string[]>();
  for (const s of list) {
    const paths = byKind.get(s.kind) ?? [];
    if (!paths.includes(s.path)) paths.push(s.path);
    byKind.set(s.kind, paths);
  }
  return [...byKind].map(([kind, paths]) => {
    const shown = paths.slice(0, EXAMPLES).join(', ');
    return `skipped: ${WHAT[kind](paths.length)} (${shown}${paths.length > EXAMPLES ? ', …' : ''})`;
  });
}
