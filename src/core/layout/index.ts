/**
 * The delivery-path grammar of Databricks audit logs:
 *   <prefix>/workspaceId=<id>/date=<yyyy-mm-dd>/auditlogs_<internal-id>.json
 * The prefix is optional; workspace ids stay strings (they exceed JavaScript's safe integers).
 */

export interface Partition {
  workspaceId: string;
  date: string;
}

export interface AuditObjectPath extends Partition {
  /** Delivery path prefix without leading or trailing slashes; '' when none. */
  prefix: string;
  /** `auditlogs_<internal-id>.json` */
  fileName: string;
  internalId: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Filters that prune partitions: an inclusive date range and a set of workspaces. */
export interface PartitionFilter {
  from?: string;
  to?: string;
  workspaces?: readonly string[];
}

const WORKSPACE_SEGMENT = /^workspaceId=(\d+)$/;
const DATE_SEGMENT = /^date=(\d{4}-\d{2}-\d{2})$/;
const FILE_NAME = /^auditlogs_([^/]+)\.json$/;

export function normalizePrefix(prefix: string | undefined): string {
  return (prefix ?? '').replace(/^\/+|\/+$/g, '');
}

/** True for a real calendar date written yyyy-mm-dd. */
export function isValidDate(date: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

export function isValidWorkspaceId(id: string): boolean {
  return /^\d+$/.test(id);
}

export function parseWorkspaceSegment(segment: string): string | undefined {
  return WORKSPACE_SEGMENT.exec(segment.replace(/\/$/, ''))?.[1];
}

export function parseDateSegment(segment: string): string | undefined {
  const date = DATE_SEGMENT.exec(segment.replace(/\/$/, ''))?.[1];
  return date !== undefined && isValidDate(date) ? date : undefined;
}

function joinPrefix(prefix: string, rest: string): string {
  const p = normalizePrefix(prefix);
  return p ? `${p}/${rest}` : rest;
}

/** `<prefix>/workspaceId=<id>/` */
export function workspacePrefix(prefix: string, workspaceId: string): string {
  return joinPrefix(prefix, `workspaceId=${workspaceId}/`);
}

/** `<prefix>/workspaceId=<id>/date=<date>/` */
export function datePrefix(prefix: string, workspaceId: string, date: string): string {
  return joinPrefix(prefix, `workspaceId=${workspaceId}/date=${date}/`);
}

export function formatObjectPath(path: Omit<AuditObjectPath, 'fileName'> & { fileName?: string }): string {
  const fileName = path.fileName ?? `auditlogs_${path.internalId}.json`;
  return datePrefix(path.prefix, path.workspaceId, path.date) + fileName;
}

/**
 * Parses an object name (or a path relative to a local root). When `prefix` is given the path must
 * start with it; otherwise everything before `workspaceId=` is taken as the prefix.
 */
export function parseObjectPath(path: string, prefix?: string): Parsed<AuditObjectPath> {
  const clean = path.replace(/\\/g, '/').replace(/^\/+/, '');
  let rest = clean;
  let foundPrefix: string;
  if (prefix !== undefined) {
    const p = normalizePrefix(prefix);
    if (p && !(clean === p || clean.startsWith(p + '/'))) {
      return { ok: false, reason: `'${path}' is not under the delivery prefix '${p}/'` };
    }
    foundPrefix = p;
    rest = p ? clean.slice(p.length + 1) : clean;
  } else {
    const at = clean.search(/(^|\/)workspaceId=/);
    if (at < 0) return { ok: false, reason: `'${path}' has no 'workspaceId=<id>' folder` };
    foundPrefix = clean.slice(0, at);
    rest = clean.slice(at === 0 ? 0 : at + 1);
  }
  const segments = rest.split('/');
  if (segments.length !== 3) {
    return {
      ok: false,
      reason: `'${path}' does not fit <prefix>/workspaceId=<id>/date=<yyyy-mm-dd>/auditlogs_<id>.json`,
    };
  }
  const [ws, day, file] = segments as [string, string, string];
  const workspaceId = parseWorkspaceSegment(ws);
  if (workspaceId === undefined) return { ok: false, reason: `'${ws}' is not a 'workspaceId=<digits>' folder` };
  const dateText = DATE_SEGMENT.exec(day)?.[1];
  if (dateText === undefined) return { ok: false, reason: `'${day}' is not a 'date=<yyyy-mm-dd>' folder` };
  if (!isValidDate(dateText)) return { ok: false, reason: `'${dateText}' is not a calendar date` };
  const fileMatch = FILE_NAME.exec(file);
  if (!fileMatch) return { ok: false, reason: `'${file}' is not an 'auditlogs_<id>.json' file` };
  return {
    ok: true,
    value: { prefix: foundPrefix, workspaceId, date: dateText, fileName: file, internalId: fileMatch[1]! },
  };
}

/** The latest `date=` folder among files (paths or URIs, `/` or `\\`), or undefined when none sits in one. */
export function lastPartitionDate(files: Iterable<string>): string | undefined {
  let last: string | undefined;
  for (const file of files) {
    const segments = file.replace(/\\/g, '/').split('/');
    const date = parseDateSegment(segments[segments.length - 2] ?? '');
    if (date !== undefined && (last === undefined || date > last)) last = date;
  }
  return last;
}

export function dateInRange(date: string, from?: string, to?: string): boolean {
  return (from === undefined || date >= from) && (to === undefined || date <= to);
}

export function workspaceSelected(workspaceId: string, filter?: PartitionFilter): boolean {
  const wanted = filter?.workspaces;
  return !wanted || wanted.length === 0 || wanted.includes(workspaceId);
}

export function matchesFilter(partition: Partition, filter?: PartitionFilter): boolean {
  return workspaceSelected(partition.workspaceId, filter) && dateInRange(partition.date, filter?.from, filter?.to);
}

/** Validates a filter's dates and ids; returns a reason for the first problem found. */
export function checkFilter(filter: PartitionFilter): string | undefined {
  for (const [name, value] of [['--from', filter.from], ['--to', filter.to]] as const) {
    if (value !== undefined && !isValidDate(value)) return `${name} '${value}' is not a date written YYYY-MM-DD`;
  }
  if (filter.from && filter.to && filter.from > filter.to) return `--from ${filter.from} is after --to ${filter.to}`;
  for (const id of filter.workspaces ?? []) {
    if (!isValidWorkspaceId(id)) return `workspace '${id}' is not a workspace id (digits only)`;
  }
  return undefined;
}

/** The last `days` dates of `date=` folders (UTC) up to and including today's. */
export function lastDays(days: number, now = new Date()): { from: string; to: string } {
  const to = now.toISOString().slice(0, 10);
  const from = new Date(now.getTime() - (days - 1) * 86_400_000).toISOString().slice(0, 10);
  return { from, to };
}

/** Sorts workspace ids numerically without converting them to numbers. */
export function compareWorkspaceIds(a: string, b: string): number {
  const x = a.replace(/^0+(?=\d)/, '');
  const y = b.replace(/^0+(?=\d)/, '');
  return x.length - y.length || (x < y ? -1 : x > y ? 1 : 0);
}
