/** The "Sources" tree: source → workspace → (month →) date → service → action, with counts from scans. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { describeAction, describeService } from '../../core/catalog';
import { AuditLensError } from '../../core/errors';
import type { PartitionFilter } from '../../core/layout';
import { MISSING_NAME } from '../../core/scan';
import type { ExtensionServices } from '../services';
import { appendCode, uiText, untrustedMarkdown } from '../untrustedText';
import type { Skipped } from '../../core/sources/skipped';
import { PartitionScanner } from './partitionScans';
import { NewestDates, stoppedDeliveryText } from './stoppedDelivery';
import {
  formatCounts,
  groupDates,
  nodeId,
  passedOverNodes,
  totalOf,
  workspaceLabel,
  type ActionNode,
  type DateNode,
  type MessageNode,
  type ServiceNode,
  type SourceNode,
  type TreeNode,
  type WorkspaceNode,
} from './nodes';
import { COMMANDS, DATE_RANGE_ACTIVE } from '../commands/ids';
import { DisposableBase } from '../disposable';

export class SourcesTreeProvider extends DisposableBase implements vscode.TreeDataProvider<TreeNode> {
  private readonly changed = this.register(new vscode.EventEmitter<TreeNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private filter: PartitionFilter = {};
  /** Dates listed per workspace node, for descriptions. */
  private readonly dateCounts = new Map<string, number>();
  /** Newest date folder per listed workspace: a workspace far behind its siblings is marked. */
  private readonly newestDates = new NewestDates();
  /** The workspace rows last handed out (redrawing a row needs the object VS Code holds). */
  private readonly workspaceNodes = new Map<string, WorkspaceNode>();
  /**
   * Nodes whose children VS Code holds. Refreshing such a node re-creates its children, and a child
   * expanded meanwhile is not found and stays empty: so their own rows are refreshed only once
   * they collapse (`stale` holds them until then).
   */
  private readonly expanded = new Set<string>();
  private readonly stale = new Set<string>();

  constructor(
    private readonly services: ExtensionServices,
    readonly scanner: PartitionScanner,
  ) {
    super();
  }

  get dateFilter(): PartitionFilter {
    return this.filter;
  }

  setDateFilter(filter: PartitionFilter): void {
    this.filter = { from: filter.from, to: filter.to };
    this.newestDates.forget();
    void vscode.commands.executeCommand('setContext', DATE_RANGE_ACTIVE, !!(filter.from || filter.to));
    this.refresh();
  }

  /** Follows which rows are expanded, so a row's own text is refreshed only while it is collapsed. */
  watch(view: vscode.TreeView<TreeNode>): vscode.Disposable[] {
    return [
      view.onDidExpandElement(({ element }) => this.expanded.add(nodeId(element))),
      view.onDidCollapseElement(({ element }) => {
        const id = nodeId(element);
        this.expanded.delete(id);
        // The element VS Code holds now: an older object with the same id may be gone from its tree.
        if (this.stale.delete(id)) this.changed.fire(element);
      }),
    ];
  }

  /** Shows a row's new description: now if it is collapsed, else when it collapses. */
  private updateRow(node: TreeNode): void {
    const id = nodeId(node);
    if (this.expanded.has(id)) this.stale.add(id);
    else this.changed.fire(node);
  }

  /** Re-reads one node (listing and scans below it), or the whole tree. */
  refresh(node?: TreeNode): void {
    if (node) {
      this.stale.delete(nodeId(node));
    } else {
      // VS Code asks again for the children of every row still expanded.
      this.stale.clear();
      this.expanded.clear();
    }
    if (node && node.kind !== 'message') {
      const { sourceUri } = node;
      const prefix = node.kind === 'source' ? `${sourceUri}|` : node.kind === 'date' ? PartitionScanner.key(sourceUri, node.workspaceId, node.date) : `${sourceUri}|${node.workspaceId}|`;
      this.scanner.forget(prefix);
      if (node.kind === 'source') this.newestDates.forget(sourceUri);
      this.changed.fire(node);
    } else {
      this.scanner.forget('');
      this.newestDates.forget();
      this.changed.fire(undefined);
    }
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'source':
        return this.sourceItem(node);
      case 'workspace': {
        const item = new vscode.TreeItem(uiText(workspaceLabel(node.workspaceId)), vscode.TreeItemCollapsibleState.Collapsed);
        const dates = this.dateCounts.get(nodeId(node));
        item.description = dates === undefined ? '' : `${dates} day${dates === 1 ? '' : 's'}`;
        item.iconPath = new vscode.ThemeIcon(node.workspaceId === '0' ? 'organization' : 'briefcase');
        item.tooltip = node.workspaceId === '0' ? 'Account-level events (workspaceId=0)' : uiText(`Workspace ${node.workspaceId} (workspaceId=${node.workspaceId})`);
        const stopped = this.newestDates.stopped(node.sourceUri, node.workspaceId);
        if (stopped) {
          item.description = [item.description, stoppedDeliveryText(stopped)].filter(Boolean).join(' · ');
          item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
          item.tooltip = `${item.tooltip}\nDelivery may have stopped: its newest date folder is ${stopped.lastDate}, the source's other workspaces reach ${stopped.othersNewest}.`;
        }
        item.contextValue = 'workspace refreshable hasUri';
        return withId(item, node);
      }
      case 'month': {
        const item = new vscode.TreeItem(uiText(node.month), vscode.TreeItemCollapsibleState.Collapsed);
        item.description = `${node.dates.length} day${node.dates.length === 1 ? '' : 's'}`;
        item.iconPath = new vscode.ThemeIcon('calendar');
        item.contextValue = 'month hasUri';
        return withId(item, node);
      }
      case 'date':
        return this.dateItem(node);
      case 'service': {
        const item = new vscode.TreeItem(uiText(node.service), vscode.TreeItemCollapsibleState.Collapsed);
        item.description = formatCounts(node.counts);
        item.iconPath = new vscode.ThemeIcon('symbol-namespace');
        item.tooltip = catalogTooltip(describeService(node.service).description, node.service, node.counts);
        item.contextValue = 'service hasFiles hasUri';
        return withId(item, node);
      }
      case 'action': {
        const item = new vscode.TreeItem(uiText(node.action), vscode.TreeItemCollapsibleState.None);
        item.description = formatCounts(node.counts);
        item.iconPath = node.counts.errors > 0 ? new vscode.ThemeIcon('symbol-event', new vscode.ThemeColor('errorForeground')) : new vscode.ThemeIcon('symbol-event');
        item.tooltip = catalogTooltip(describeAction(node.service, node.action).description, `${node.service}.${node.action}`, node.counts);
        item.contextValue = 'action hasFiles hasUri';
        item.command = { command: COMMANDS.openRawFile, title: 'Open Raw File', arguments: [node] };
        return withId(item, node);
      }
      case 'message': {
        const item = new vscode.TreeItem(uiText(node.text), vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon(node.icon);
        item.tooltip = uiText(node.detail ?? node.text);
        item.contextValue = 'message';
        return withId(item, node);
      }
    }
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    // VS Code asks for the children of a node it is expanding (or restoring as expanded).
    if (node) this.expanded.add(nodeId(node));
    try {
      if (!node) return this.services.sources.uris().map((sourceUri): SourceNode => ({ kind: 'source', sourceUri }));
      switch (node.kind) {
        case 'source':
          return await this.workspacesOf(node);
        case 'workspace':
          return await this.datesOf(node);
        case 'month':
          return node.dates.map((date): DateNode => ({ kind: 'date', sourceUri: node.sourceUri, workspaceId: node.workspaceId, date }));
        case 'date':
          return await this.servicesOf(node);
        case 'service':
          return [...node.actions]
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([action, counts]): ActionNode => ({ ...node, kind: 'action', action, counts }));
        default:
          return [];
      }
    } catch (error) {
      const e = AuditLensError.from(error);
      if (e.code !== 'cancelled') this.services.log.error(`listing ${node ? nodeId(node) : 'sources'}: ${e.userMessage}${e.detail ? `\n${e.detail}` : ''}`);
      return [messageNode(node, e.code === 'cancelled' ? 'Scan cancelled — refresh to try again' : e.userMessage, e.code === 'cancelled' ? 'info' : 'error', e.detail)];
    }
  }

  private sourceItem(node: SourceNode): vscode.TreeItem {
    const isGcs = /^gs:\/\//i.test(node.sourceUri);
    const label = isGcs ? node.sourceUri.slice(5) : path.basename(node.sourceUri) || node.sourceUri;
    const item = new vscode.TreeItem(uiText(label), vscode.TreeItemCollapsibleState.Collapsed);
    const range = this.filter.from || this.filter.to ? `${this.filter.from ?? '…'} → ${this.filter.to ?? '…'}` : undefined;
    item.description = [isGcs ? undefined : 'local folder', range].filter(Boolean).join(' · ');
    item.iconPath = new vscode.ThemeIcon(isGcs ? 'cloud' : 'folder-library');
    item.tooltip = uiText(`${isGcs ? 'Google Cloud Storage' : 'Local folder'}: ${node.sourceUri}${range ? `\nDates: ${range}` : ''}`);
    item.contextValue = 'source refreshable hasUri';
    return withId(item, node);
  }

  private dateItem(node: DateNode): vscode.TreeItem {
    const item = new vscode.TreeItem(uiText(node.date), vscode.TreeItemCollapsibleState.Collapsed);
    const scanned = this.scanner.peek(node.sourceUri, node.workspaceId, node.date);
    if (scanned) {
      const counts = totalOf(Object.values(scanned.scan.services).flatMap((actions) => Object.values(actions)));
      item.description = `${formatCounts(counts)} · ${scanned.files.length} file${scanned.files.length === 1 ? '' : 's'}`;
      if (scanned.scan.rejected > 0) item.description += ` · ${scanned.scan.rejected} bad line${scanned.scan.rejected === 1 ? '' : 's'}`;
    }
    item.iconPath = new vscode.ThemeIcon('calendar');
    item.tooltip = uiText(`${workspaceLabel(node.workspaceId)}, ${node.date} (UTC)`);
    item.contextValue = 'date refreshable hasFiles hasUri';
    return withId(item, node);
  }

  private async workspacesOf(node: SourceNode): Promise<TreeNode[]> {
    const source = await this.services.sources.open(node.sourceUri);
    const passedOver: Skipped[] = [];
    const ids = await source.listWorkspaces(this.filter, { onSkipped: (s) => passedOver.push(s) });
    const notes = passedOverNodes(nodeId(node), passedOver);
    if (ids.length === 0) return [messageNode(node, 'No workspaceId= folders here', 'info', 'Expected <prefix>/workspaceId=<id>/date=<yyyy-mm-dd>/auditlogs_<id>.json'), ...notes];
    const workspaces = ids.map((workspaceId): WorkspaceNode => ({ kind: 'workspace', sourceUri: node.sourceUri, workspaceId }));
    for (const workspace of workspaces) this.workspaceNodes.set(nodeId(workspace), workspace);
    return [...workspaces, ...notes];
  }

  private async datesOf(node: WorkspaceNode): Promise<TreeNode[]> {
    const source = await this.services.sources.open(node.sourceUri);
    const passedOver: Skipped[] = [];
    const dates = await source.listDates(node.workspaceId, this.filter, { onSkipped: (s) => passedOver.push(s) });
    const notes = passedOverNodes(nodeId(node), passedOver);
    const before = this.dateCounts.get(nodeId(node));
    this.dateCounts.set(nodeId(node), dates.length);
    const marked = this.newestDates.record(node.sourceUri, node.workspaceId, dates);
    if (before !== dates.length || marked.includes(node.workspaceId)) this.updateRow(node);
    for (const workspaceId of marked) {
      const sibling = this.workspaceNodes.get(nodeId({ kind: 'workspace', sourceUri: node.sourceUri, workspaceId }));
      if (sibling && workspaceId !== node.workspaceId) this.updateRow(sibling);
    }
    if (dates.length === 0) {
      const filtered = this.filter.from || this.filter.to;
      return [messageNode(node, filtered ? 'No dates in the date range' : 'No date= folders', 'info'), ...notes];
    }
    return [...groupDates(node.sourceUri, node.workspaceId, dates), ...notes];
  }

  private async servicesOf(node: DateNode): Promise<TreeNode[]> {
    const had = this.scanner.peek(node.sourceUri, node.workspaceId, node.date);
    const source = await this.services.sources.open(node.sourceUri);
    const partition = await this.scanner.scan(source, node.workspaceId, node.date);
    if (!had) this.updateRow(node);
    const children: TreeNode[] = Object.entries(partition.scan.services)
      .sort(([a], [b]) => (a === MISSING_NAME ? 1 : b === MISSING_NAME ? -1 : a.localeCompare(b)))
      .map(([service, actions]): ServiceNode => {
        const map = new Map(Object.entries(actions));
        return { kind: 'service', sourceUri: node.sourceUri, workspaceId: node.workspaceId, date: node.date, service, counts: totalOf(map.values()), actions: map };
      });
    if (partition.scan.rejected > 0) {
      children.push(messageNode(node, `${partition.scan.rejected} line(s) are not audit records`, 'warning', 'Run Validate on this date for the exact lines.'));
    }
    if (children.length === 0) children.push(messageNode(node, 'No records', 'info'));
    children.push(...passedOverNodes(nodeId(node), partition.passedOver));
    return children;
  }

}

function withId(item: vscode.TreeItem, node: TreeNode): vscode.TreeItem {
  item.id = nodeId(node);
  const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
  const description = typeof item.description === 'string' && item.description ? `, ${item.description}` : '';
  item.accessibilityInformation = { label: label + description };
  return item;
}

function messageNode(parent: TreeNode | undefined, text: string, icon: MessageNode['icon'], detail?: string): MessageNode {
  return { kind: 'message', id: `${parent ? nodeId(parent) : 'root'}|${text}`, text, icon, detail };
}

function catalogTooltip(description: string, name: string, counts: { events: number; errors: number }): vscode.MarkdownString {
  const md = untrustedMarkdown();
  appendCode(md, name);
  md.appendMarkdown('\n\n');
  md.appendText(description);
  md.appendMarkdown('\n\n');
  md.appendText(formatCounts(counts) + ' (errors: response status 400 or more)');
  return md;
}
