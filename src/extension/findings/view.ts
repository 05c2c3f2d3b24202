/** The Findings tree: severity → detection (with counts) → rows, with the high-severity count as the view's badge. */
import * as vscode from 'vscode';
import { COMMANDS } from '../commands/ids';
import { scopeLabel } from '../notebook/scope';
import { uiText } from '../untrustedText';
import { childNodes, doneMessage, highFindings, packLabel, rootNodes, rowContext, rowLocation, rowText, severityLabel, type FindingNode, type FindingsState } from './model';
import { DisposableBase } from '../disposable';
import { plural } from '../../shared/text/quantities';

const SEVERITY_ICONS = {
  high: new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground')),
  medium: new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')),
  low: new vscode.ThemeIcon('info', new vscode.ThemeColor('problemsInfoIcon.foreground')),
  info: new vscode.ThemeIcon('circle-outline'),
} as const;


export class FindingsTreeProvider extends DisposableBase implements vscode.TreeDataProvider<FindingNode> {
  private readonly changed = this.register(new vscode.EventEmitter<FindingNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private current: FindingsState = { state: 'idle' };

  get state(): FindingsState {
    return this.current;
  }

  setState(state: FindingsState): void {
    this.current = state;
    this.changed.fire(undefined);
  }

  getChildren(node?: FindingNode): FindingNode[] {
    if (!node) return rootNodes(this.current);
    return this.current.state === 'done' ? childNodes(node, this.current.result.scope) : [];
  }

  /** A node's parent, so the view can reveal a row. */
  getParent(node: FindingNode): FindingNode | undefined {
    if (this.current.state !== 'done') return undefined;
    if (node.kind === 'row') return { kind: 'detection', scope: this.current.result.scope, run: node.run };
    if (node.kind === 'detection') return rootNodes(this.current).find((n) => n.kind === 'severity' && n.severity === node.run.detection.severity);
    return undefined;
  }

  /** The detection's node and, when given, its row's, as the view shows them now. */
  nodesOf(detectionId: string, index?: number): { detection: FindingNode; row?: FindingNode } | undefined {
    if (this.current.state !== 'done') return undefined;
    const run = this.current.result.runs.find((r) => r.detection.id === detectionId);
    if (!run || run.result.rowCount === 0) return undefined;
    const detection: FindingNode = { kind: 'detection', scope: this.current.result.scope, run };
    return index !== undefined && index < run.result.rows.length ? { detection, row: { kind: 'row', run, index } } : { detection };
  }

  getTreeItem(node: FindingNode): vscode.TreeItem {
    switch (node.kind) {
      case 'severity': {
        const item = new vscode.TreeItem(uiText(severityLabel(node.severity)), node.severity === 'high' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `sev|${node.severity}`;
        item.description = `${plural(node.findings, 'finding')} · ${plural(node.runs.length, 'detection')}`;
        item.iconPath = SEVERITY_ICONS[node.severity];
        item.contextValue = 'severity';
        return item;
      }
      case 'detection': {
        const { detection, result } = node.run;
        const item = new vscode.TreeItem(uiText(detection.title), vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `det|${detection.id}`;
        const pack = packLabel(detection.pack);
        item.description = uiText(`${result.rowCount.toLocaleString('en-US')} · ${detection.id}${pack ? ` · ${pack}` : ''}`);
        item.tooltip = new vscode.MarkdownString().appendText(`${detection.question}\n\n${detection.rationale}\n\nSeverity: ${detection.severity}. Services: ${detection.services.join(', ') || 'all'}. Pack: ${pack ? detection.pack : 'built-in'}.`);
        item.iconPath = new vscode.ThemeIcon('shield');
        item.contextValue = 'detection';
        return item;
      }
      case 'row': {
        const text = rowText(node.run, node.index);
        const location = rowLocation(node.run, node.index);
        const item = new vscode.TreeItem(uiText(text.label), vscode.TreeItemCollapsibleState.None);
        item.id = `row|${node.run.detection.id}|${node.index}`;
        item.description = uiText(text.description);
        item.tooltip = uiText(location ? `${text.tooltip}\n\n${location.file}:${location.line}` : text.tooltip);
        item.iconPath = new vscode.ThemeIcon(location ? 'go-to-file' : 'list-flat');
        item.contextValue = rowContext(node.run, node.index);
        if (location) item.command = { command: COMMANDS.findingsOpenRow, title: 'Open Raw Line', arguments: [node] };
        return item;
      }
      case 'note': {
        const item = new vscode.TreeItem(uiText(node.text), vscode.TreeItemCollapsibleState.None);
        item.id = `note|${node.id}`;
        item.iconPath = new vscode.ThemeIcon(node.icon);
        item.contextValue = 'note';
        return item;
      }
    }
  }

}

/** The view's message (what was run over) and badge (high-severity findings). */
export function describeView(view: vscode.TreeView<FindingNode>, state: FindingsState): void {
  const high = highFindings(state);
  view.badge = high > 0 ? { value: high, tooltip: `${plural(high, 'high-severity finding')}` } : undefined;
  if (state.state === 'done') {
    view.message = uiText(doneMessage(state.result));
  } else if (state.state === 'idle') {
    view.message = undefined;
  } else {
    view.message = uiText(scopeLabel(state.scope));
  }
}
