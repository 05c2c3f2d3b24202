/**
 * The outputs of `audit-lens timeline`: a terminal report (events, then counts per workspace and
 * service, IP addresses and user agents), the Timeline as one JSON object, a Markdown report, and
 * CSV of the events.
 */
import { escapeControls } from '../../core/controlChars';
import { formatter } from '../../core/sql/export';
import type { CellValue } from '../../shared/sql/result';
import { markdownCodeSpan } from '../../shared/text/untrusted';
import type { Timeline, TimelineEvent } from '../../shared/timeline';
import { markdownTable, markdownText } from './markdown';
import type { ResultSet } from './result';
import { renderTable } from './table';
import { plural } from '../../shared/text/quantities';

export type TimelineFormat = 'table' | 'json' | 'markdown' | 'csv';
export const TIMELINE_FORMATS: readonly TimelineFormat[] = ['table', 'json', 'markdown', 'csv'];

function isoTime(ms: number | null): string | null {
  if (ms === null) return null;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? String(ms) : date.toISOString();
}

function resultSet(columns: string[], rows: CellValue[][]): ResultSet {
  return { columns, columnKinds: columns.map(() => 'value'), rows, rowCount: rows.length, truncated: false };
}

/** Whether an event continues the request of the one before it (a long action's result after its request). */
function continuesRequest(events: readonly TimelineEvent[], index: number): boolean {
  const previous = events[index - 1];
  const event = events[index]!;
  return index > 0 && !!event.requestId && previous!.requestId === event.requestId && previous!.workspaceId === event.workspaceId;
}

const PAIRED_MARK = '↳ ';

function eventsTable(timeline: Timeline, located: boolean): ResultSet {
  const columns = ['time', 'workspaceId', 'serviceName', 'actionName', 'statusCode', 'sourceIPAddress', 'actor', 'requestId', ...(located ? ['_file', '_line'] : [])];
  const rows = timeline.events.map((event, i): CellValue[] => [
    isoTime(event.timestamp),
    event.workspaceId,
    event.serviceName,
    // The mark is ours; the action name beside it is log text, escaped by each renderer.
    continuesRequest(timeline.events, i) ? `${PAIRED_MARK}${event.actionName ?? ''}` : event.actionName,
    event.statusCode,
    event.sourceIPAddress,
    event.actor ?? null,
    event.requestId,
    ...(located ? [event._file, event._line] : []),
  ]);
  return resultSet(columns, rows);
}

function workspaceServiceTable(timeline: Timeline): ResultSet {
  const rows: CellValue[][] = [];
  for (const [workspaceId, services] of Object.entries(timeline.summary.byWorkspaceService ?? {})) {
    for (const [service, events] of Object.entries(services)) rows.push([workspaceId === '0' ? '0 (account)' : workspaceId, service, events]);
  }
  return resultSet(['workspaceId', 'serviceName', 'events'], rows);
}

function valuesTable(name: string, values: readonly { value: string; events: number }[] | undefined): ResultSet {
  return resultSet([name, 'events'], (values ?? []).map((v) => [v.value, v.events]));
}


function headline(timeline: Timeline): string {
  const { summary } = timeline;
  const span = summary.first === null ? '' : ` · ${isoTime(summary.first)} → ${isoTime(summary.last)}`;
  return `${plural(summary.events, 'event')} in ${plural(summary.workspaces.length, 'workspace')}${span}`;
}

function renderTimelineTable(timeline: Timeline): string {
  const { identity } = timeline;
  const sections = [`Timeline of ${identity.kind} ${escapeControls(identity.value)}\n${headline(timeline)}\n`];
  if (timeline.events.length > 0) {
    sections.push(renderTable(eventsTable(timeline, false)));
    sections.push(`== Events per workspace and service ==\n${renderTable(workspaceServiceTable(timeline))}`);
    sections.push(`== IP addresses ==\n${renderTable(valuesTable('sourceIPAddress', timeline.summary.ipAddresses))}`);
    sections.push(`== User agents ==\n${renderTable(valuesTable('userAgent', timeline.summary.userAgents))}`);
  }
  return sections.join('\n');
}

function renderTimelineJson(timeline: Timeline): string {
  return `${JSON.stringify(timeline)}\n`;
}

function renderTimelineMarkdown(timeline: Timeline): string {
  const { identity, summary } = timeline;
  const out = [`# Timeline of ${identity.kind} ${markdownCodeSpan(escapeControls(identity.value))}`, '', `- **Events:** ${summary.events.toLocaleString('en-US')}`];
  out.push(`- **Workspaces:** ${summary.workspaces.length === 0 ? 'none' : summary.workspaces.map((w) => (w === '0' ? 'account level (0)' : w)).join(', ')}`);
  if (summary.first !== null) out.push(`- **First seen:** ${isoTime(summary.first)}`, `- **Last seen:** ${isoTime(summary.last)}`);
  const values = (label: string, list: readonly { value: string; events: number }[] | undefined) =>
    list && list.length > 0 ? [`- **${label}:** ${list.map((v) => `${markdownText(v.value)} (${v.events})`).join(', ')}`] : [];
  out.push(...values('IP addresses', summary.ipAddresses), ...values('User agents', summary.userAgents));
  if (timeline.events.length > 0) {
    out.push('', '## Events per workspace and service', '', ...markdownTable(workspaceServiceTable(timeline)));
    out.push('', '## Events', '', ...markdownTable(eventsTable(timeline, true)));
  }
  return out.join('\n') + '\n';
}

const CSV_COLUMNS = ['timestamp', 'time', 'workspaceId', 'serviceName', 'actionName', 'requestId', 'sourceIPAddress', 'userAgent', 'statusCode', 'actor', 'sessionId', 'errorMessage', '_file', '_line'];

function renderTimelineCsv(timeline: Timeline): string {
  const csv = formatter('csv', CSV_COLUMNS);
  const rows = timeline.events.map((e) => [
    e.timestamp,
    isoTime(e.timestamp),
    e.workspaceId,
    e.serviceName,
    e.actionName,
    e.requestId,
    e.sourceIPAddress,
    e.userAgent,
    e.statusCode,
    e.actor ?? null,
    e.sessionId ?? null,
    e.errorMessage ?? null,
    e._file,
    e._line,
  ]);
  return csv.header(CSV_COLUMNS) + (rows.length > 0 ? csv.rows(rows, true) : '');
}

export function renderTimeline(timeline: Timeline, format: TimelineFormat): string {
  switch (format) {
    case 'table':
      return renderTimelineTable(timeline);
    case 'json':
      return renderTimelineJson(timeline);
    case 'markdown':
      return renderTimelineMarkdown(timeline);
    case 'csv':
      return renderTimelineCsv(timeline);
  }
}
