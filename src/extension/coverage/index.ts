/**
 * Registers the Coverage view: the Show Coverage command (on a source or workspace node of the
 * tree, or from the palette over the configured sources), over the tree's date range, and the
 * panels it opens, one per scope. Passes run in the coverage worker, never on the extension host's thread.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PartitionFilter } from '../../core/layout';
import type { NotebookScope } from '../../shared/notebook/format';
import { CoverageClient } from '../../worker/coverage/client';
import { COVERAGE_WORKER_FILE } from '../../worker/entries';
import { COMMANDS } from '../commands/ids';
import { registerCommands } from '../commands/register';
import { webviewOptions } from '../webview/host';
import type { ExtensionServices } from '../services';
import { safeWindow } from '../untrustedText';
import { COVERAGE_VIEW_TYPE, CoveragePanel, coverageTitle, type CoverageRunner } from './panel';

export { COVERAGE_VIEW_TYPE, CoveragePanel } from './panel';

/** What the extension (and its host tests) can do with coverage panels. */
export interface CoverageController {
  readonly panels: readonly CoveragePanel[];
  /** Opens (or reveals and runs again) the coverage of a scope. */
  open(scope: NotebookScope): CoveragePanel;
}

/** The scope of a Show Coverage call: a source or workspace node, else the configured sources; always the tree's date range. */
export function coverageScope(arg: unknown, sources: readonly string[], dates: PartitionFilter): NotebookScope | undefined {
  const range = { ...(dates.from ? { from: dates.from } : {}), ...(dates.to ? { to: dates.to } : {}) };
  if (typeof arg === 'object' && arg !== null) {
    const node = arg as { kind?: unknown; sourceUri?: unknown; workspaceId?: unknown };
    if (typeof node.sourceUri !== 'string') return undefined;
    if (node.kind === 'source') return { sources: [node.sourceUri], ...range };
    if (node.kind === 'workspace' && typeof node.workspaceId === 'string' && /^\d+$/.test(node.workspaceId)) return { sources: [node.sourceUri], workspaces: [node.workspaceId], ...range };
    return undefined;
  }
  return sources.length > 0 ? { sources: [...sources], ...range } : undefined;
}

export function registerCoverage(context: vscode.ExtensionContext, services: ExtensionServices, dateFilter: () => PartitionFilter, run?: CoverageRunner): CoverageController {
  const panels: CoveragePanel[] = [];
  let client: CoverageClient | undefined;
  const runner: CoverageRunner =
    run ??
    ((request, options) => {
      client ??= new CoverageClient({ workerPath: vscode.Uri.joinPath(context.extensionUri, 'dist', COVERAGE_WORKER_FILE).fsPath });
      return client.measure(request, options);
    });
  // Kept apart from the command line's, so a run in the editor does not hide a rewrite from the next CLI run.
  const stateDirectory = path.join(context.globalStorageUri.fsPath, 'coverage');

  const open = (scope: NotebookScope): CoveragePanel => {
    const existing = panels.find((p) => JSON.stringify(p.scope) === JSON.stringify(scope));
    if (existing) {
      existing.panel.reveal();
      void existing.load();
      return existing;
    }
    const webviewPanel = vscode.window.createWebviewPanel(COVERAGE_VIEW_TYPE, coverageTitle(scope), vscode.ViewColumn.Active, webviewOptions(context.extensionUri));
    services.log.info(`coverage: opened over ${scope.sources.length} source(s)`);
    const panel = new CoveragePanel(webviewPanel, services, scope, runner, stateDirectory, (closed) => panels.splice(panels.indexOf(closed), 1));
    panels.push(panel);
    return panel;
  };

  const showCoverage = (arg?: unknown): CoveragePanel | undefined => {
    const scope = coverageScope(arg, services.settings.sources, dateFilter());
    if (!scope) {
      void safeWindow.showInformationMessage(
        arg === undefined ? 'Show Coverage: add a gs:// bucket or a folder to the Audit Lens tree first.' : 'Show Coverage: choose a source or a workspace in the Audit Lens tree.',
      );
      return undefined;
    }
    return open(scope);
  };

  context.subscriptions.push(...registerCommands({ [COMMANDS.showCoverage]: showCoverage }), {
    dispose: () => {
      [...panels].forEach((p) => p.dispose());
      void client?.dispose();
    },
  });

  return {
    get panels() {
      return panels;
    },
    open,
  };
}
