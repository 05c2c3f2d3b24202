/** Turns the rows of the timeline statements into a Timeline: events in order, and their summary. */
import { compareWorkspaceIds } from '../layout';
import type { CellValue, QueryResult } from '../../shared/sql/result';
import type { Identity, Timeline, TimelineEvent, TimelineSummary } from '../../shared/timeline';
import type { TimelineColumn } from './statements';

/** The service key of an event whose record names no service. */
export const NO_SERVICE = '(none)';

function text(cell: CellValue | undefined): string | null {
  if (typeof cell === 'string') return cell;
  if (typeof cell === 'number') return String(cell);
  return null;
}

function integer(cell: CellValue | undefined): number | null {
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : null;
  if (typeof cell === 'string' && /^-?\d+(\.\d+)?$/.test(cell.trim())) return Number(cell);
  return null;
}

function rowEvents(result: QueryResult): TimelineEvent[] {
  const index = new Map(result.columns.map((name, i) => [name, i]));
  return result.rows.map((row) => {
    const cell = (column: TimelineColumn): CellValue | undefined => {
      const i = index.get(column);
      return i === undefined ? undefined : row[i];
    };
    const email = text(cell('email'));
    return {
      timestamp: integer(cell('timestamp')),
      workspaceId: text(cell('workspaceId')) ?? '',
      serviceName: text(cell('serviceName')),
      actionName: text(cell('actionName')),
      requestId: text(cell('requestId')),
      sourceIPAddress: text(cell('sourceIPAddress')),
      userAgent: text(cell('userAgent')),
      statusCode: integer(cell('statusCode')),
      _file: text(cell('_file')) ?? '',
      _line: integer(cell('_line')) ?? 0,
      actor: email ?? text(cell('attemptedUser')),
      sessionId: text(cell('sessionId')),
      errorMessage: text(cell('errorMessage')),
    };
  });
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Time order (events without a timestamp last), then where they were read, so the order is total. */
function compareEvents(a: TimelineEvent, b: TimelineEvent): number {
  if (a.timestamp !== b.timestamp) {
    if (a.timestamp === null) return 1;
    if (b.timestamp === null) return -1;
    return a.timestamp - b.timestamp;
  }
  return compareWorkspaceIds(a.workspaceId, b.workspaceId) || compareText(a._file, b._file) || a._line - b._line;
}

/**
 * Events in time order, except that every later event with the same workspace and `requestId` (a
 * long action's result, logged apart from its request) follows right after the first one.
 */
export function orderEvents(events: readonly TimelineEvent[]): TimelineEvent[] {
  const sorted = [...events].sort(compareEvents);
  const groups = new Map<string, TimelineEvent[]>();
  const ordered: TimelineEvent[][] = [];
  for (const event of sorted) {
    if (!event.requestId) {
      ordered.push([event]);
      continue;
    }
    const key = `${event.workspaceId}\u0000${event.requestId}`;
    const group = groups.get(key);
    if (group) group.push(event);
    else {
      const first = [event];
      groups.set(key, first);
      ordered.push(first);
    }
  }
  return ordered.flat();
}

function countsByValue(values: Iterable<string | null | undefined>): { value: string; events: number }[] {
  const counts = new Map<string, number>();
  for (const value of values) if (value) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].map(([value, events]) => ({ value, events })).sort((a, b) => b.events - a.events || compareText(a.value, b.value));
}

function sortedRecord<T>(entries: Map<string, T>, compare: (a: string, b: string) => number = compareText): Record<string, T> {
  return Object.fromEntries([...entries].sort(([a], [b]) => compare(a, b)));
}

export function summarize(events: readonly TimelineEvent[]): TimelineSummary {
  const services = new Map<string, number>();
  const byWorkspace = new Map<string, Map<string, number>>();
  let first: number | null = null;
  let last: number | null = null;
  for (const event of events) {
    const service = event.serviceName ?? NO_SERVICE;
    services.set(service, (services.get(service) ?? 0) + 1);
    const workspace = byWorkspace.get(event.workspaceId) ?? new Map<string, number>();
    workspace.set(service, (workspace.get(service) ?? 0) + 1);
    byWorkspace.set(event.workspaceId, workspace);
    if (event.timestamp !== null) {
      if (first === null || event.timestamp < first) first = event.timestamp;
      if (last === null || event.timestamp > last) last = event.timestamp;
    }
  }
  const byWorkspaceService = new Map([...byWorkspace].map(([id, counts]) => [id, sortedRecord(counts)]));
  return {
    events: events.length,
    workspaces: [...byWorkspace.keys()].sort(compareWorkspaceIds),
    services: sortedRecord(services),
    byWorkspaceService: sortedRecord(byWorkspaceService, compareWorkspaceIds),
    first,
    last,
    ipAddresses: countsByValue(events.map((e) => e.sourceIPAddress)),
    userAgents: countsByValue(events.map((e) => e.userAgent)),
  };
}

/** The timeline of `identity` from the results of its statements (see timelineStatements). */
export function assembleTimeline(identity: Identity, results: readonly QueryResult[]): Timeline {
  const events = orderEvents(results.flatMap(rowEvents));
  return { identity, events, summary: summarize(events) };
}
