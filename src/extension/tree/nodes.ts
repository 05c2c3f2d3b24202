/** The nodes of the sources tree, as plain data; the provider turns them into TreeItems. */
import type { AuditFile } from '../../core/sources';
import { summarizeSkipped, type Skipped } from '../../core/sources/skipped';

export interface EventCounts {
  events: number;
  errors: number;
}

export interface SourceNode {
  kind: 'source';
  sourceUri: string;
}

export interface WorkspaceNode {
  kind: 'workspace';
  sourceUri: string;
  workspaceId: string;
}

/** A month of dates, used when a workspace has too many dates for one flat list. */
export interface MonthNode {
  kind: 'month';
  sourceUri: string;
  workspaceId: string;
  month: string;
  dates: readonly string[];
}

export interface DateNode {
  kind: 'date';
  sourceUri: string;
  workspaceId: string;
  date: string;
}

export interface ServiceNode {
  kind: 'service';
  sourceUri: string;
  workspaceId: string;
  date: string;
  service: string;
  counts: EventCounts;
  actions: ReadonlyMap<string, EventCounts>;
}

export interface ActionNode {
  kind: 'action';
  sourceUri: string;
  workspaceId: string;
  date: string;
  service: string;
  action: string;
  counts: EventCounts;
}

/** A leaf that explains: an error, an empty listing, a filter that hides everything. */
export interface MessageNode {
  kind: 'message';
  id: string;
  text: string;
  detail?: string;
  icon: 'error' | 'info' | 'warning';
}

export type TreeNode = SourceNode | WorkspaceNode | MonthNode | DateNode | ServiceNode | ActionNode | MessageNode;

/** Nodes that name a partition (one workspace, one date): their files can be opened or validated. */
export type PartitionNode = DateNode | ServiceNode | ActionNode;

export function isPartitionNode(node: TreeNode): node is PartitionNode {
  return node.kind === 'date' || node.kind === 'service' || node.kind === 'action';
}

/** A stable id, so VS Code keeps expansion state across refreshes. */
export function nodeId(node: TreeNode): string {
  switch (node.kind) {
    case 'source':
      return `s|${node.sourceUri}`;
    case 'workspace':
      return `w|${node.sourceUri}|${node.workspaceId}`;
    case 'month':
      return `m|${node.sourceUri}|${node.workspaceId}|${node.month}`;
    case 'date':
      return `d|${node.sourceUri}|${node.workspaceId}|${node.date}`;
    case 'service':
      return `v|${node.sourceUri}|${node.workspaceId}|${node.date}|${node.service}`;
    case 'action':
      return `a|${node.sourceUri}|${node.workspaceId}|${node.date}|${node.service}|${node.action}`;
    case 'message':
      return `x|${node.id}`;
  }
}

export const ACCOUNT_WORKSPACE_ID = '0';

export function workspaceLabel(workspaceId: string): string {
  return workspaceId === ACCOUNT_WORKSPACE_ID ? 'Account level' : workspaceId;
}

export function formatCounts(counts: EventCounts): string {
  const events = `${counts.events.toLocaleString('en-US')} event${counts.events === 1 ? '' : 's'}`;
  return counts.errors > 0 ? `${events} · ${counts.errors.toLocaleString('en-US')} error${counts.errors === 1 ? '' : 's'}` : events;
}

/** Dates newest first; grouped by month (newest first) once there are more than `flatLimit`. */
export function groupDates(
  sourceUri: string,
  workspaceId: string,
  ascending: readonly string[],
  flatLimit = 45,
): (DateNode | MonthNode)[] {
  const newestFirst = [...ascending].reverse();
  if (newestFirst.length <= flatLimit) {
    return newestFirst.map((date) => ({ kind: 'date', sourceUri, workspaceId, date }));
  }
  const months = new Map<string, string[]>();
  for (const date of newestFirst) {
    const month = date.slice(0, 7);
    const list = months.get(month) ?? [];
    list.push(date);
    months.set(month, list);
  }
  return [...months].map(([month, dates]) => ({ kind: 'month', sourceUri, workspaceId, month, dates }));
}

export function totalOf(counts: Iterable<EventCounts>): EventCounts {
  const total = { events: 0, errors: 0 };
  for (const c of counts) {
    total.events += c.events;
    total.errors += c.errors;
  }
  return total;
}

/**
 * What a listing passed over below a node, one warning row per kind (as the CLI's `note: skipped:`
 * lines): `Skipped: 2 entries are not a regular file (…)`, the paths in the tooltip.
 */
export function passedOverNodes(parentId: string, passedOver: readonly Skipped[]): MessageNode[] {
  return summarizeSkipped(passedOver).map(({ kind, what, examples, count }) => ({
    kind: 'message',
    id: `${parentId}|skipped|${kind}`,
    text: `Skipped: ${what}`,
    detail: [...examples, ...(count > examples.length ? [`… and ${count - examples.length} more`] : [])].join('\n'),
    icon: 'warning',
  }));
}

export type { AuditFile };
