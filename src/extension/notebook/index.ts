/**
 * Registers the query notebook: its commands, the panel serializer (a panel survives a reload
 * with the state the webview saved), the status bar item with the active session's loaded rows,
 * and notebook files (`*.auditlens.json`: Save/Open commands, and Databricks export).
 */
import * as vscode from 'vscode';
import { firstNotebookCells } from '../../core/notebook/firstNotebook';
import { emptyNotebook, parseNotebook, type NotebookDocument } from '../../shared/notebook/format';
import { newCell, newCellId } from '../../shared/notebook/defaults';
import { COMMANDS } from '../commands/ids';
import { registerCommands } from '../commands/register';
import type { ExtensionServices } from '../services';
import { safeWindow, uiText } from '../untrustedText';
import { exportDatabricks, pickNotebookFile, readNotebookFile, saveNotebookAs } from './files';
import { webviewOptions } from '../webview/host';
import { NOTEBOOK_VIEW_TYPE, NotebookPanel, type PanelHooks } from './panel';
import { defaultScope, scopeFromArgument, type OpeningScope } from './scope';

export { NOTEBOOK_VIEW_TYPE, NotebookPanel } from './panel';

/** What the extension (and its host tests) can do with notebooks. */
export interface NotebookPanels {
  readonly panels: readonly NotebookPanel[];
  readonly active: NotebookPanel | undefined;
  open(scopeArgument?: unknown): NotebookPanel;
  /** A new notebook over the scope, its first cell the one given (or the default one). */
  openScoped(opening: OpeningScope | undefined): NotebookPanel;
  openDocument(doc: NotebookDocument, fileUri?: vscode.Uri): NotebookPanel;
  /** The status bar item with the active notebook session's loaded rows. */
  readonly statusBar: vscode.StatusBarItem;
}

export function registerNotebook(context: vscode.ExtensionContext, services: ExtensionServices): NotebookPanels {
  const panels: NotebookPanel[] = [];
  let lastActive: NotebookPanel | undefined;
  const statusBar = vscode.window.createStatusBarItem('auditLens.notebookRows', vscode.StatusBarAlignment.Left, 50);
  statusBar.name = 'Audit Lens: rows loaded';
  statusBar.command = COMMANDS.openNotebook;
  context.subscriptions.push(statusBar);

  const active = (): NotebookPanel | undefined => panels.find((p) => p.panel.active) ?? lastActive;

  const refreshStatus = () => {
    const panel = panels.find((p) => p.panel.active);
    if (panel) lastActive = panel;
    if (!panel) {
      statusBar.hide();
      return;
    }
    const status = panel.scopeStatus;
    statusBar.text = status.state === 'loading' ? '$(sync~spin) Audit Lens: loading…' : status.state === 'remote' ? '$(cloud) Databricks SQL warehouse' : `$(database) ${panel.loadedRows.toLocaleString('en-US')} rows`;
    statusBar.tooltip = status.state === 'error' ? uiText(`Load failed: ${status.error.userMessage}`) : 'Records loaded in the notebook\u2019s query session';
    statusBar.show();
  };

  const hooks: PanelHooks = {
    onStatus: refreshStatus,
    onDispose: (panel) => {
      panels.splice(panels.indexOf(panel), 1);
      if (lastActive === panel) lastActive = undefined;
      refreshStatus();
    },
    command: (panel, name) => {
      const command = name === 'save' ? COMMANDS.notebookSave : name === 'open' ? COMMANDS.notebookOpenFile : COMMANDS.notebookExportDatabricks;
      lastActive = panel;
      void vscode.commands.executeCommand(command);
    },
  };

  const adopt = (webviewPanel: vscode.WebviewPanel, doc: NotebookDocument, fileUri?: vscode.Uri): NotebookPanel => {
    const panel = new NotebookPanel(webviewPanel, services, doc, hooks);
    if (fileUri) panel.setFile(fileUri);
    panels.push(panel);
    lastActive = panel;
    refreshStatus();
    return panel;
  };

  const openDocument = (doc: NotebookDocument, fileUri?: vscode.Uri): NotebookPanel => {
    const webviewPanel = vscode.window.createWebviewPanel(NOTEBOOK_VIEW_TYPE, 'Audit Lens: Query Notebook', vscode.ViewColumn.Active, webviewOptions(context.extensionUri));
    return adopt(webviewPanel, doc, fileUri);
  };

  const openScoped = (opening: OpeningScope | undefined): NotebookPanel => {
    const scope = opening?.scope ?? defaultScope(services.settings.sources, services.settings.defaultDateRange);
    const doc = emptyNotebook(scope);
    doc.title = 'Query Notebook';
    doc.cells.push(...(opening?.cell ? [newCell(opening.cell)] : firstNotebookCells(newCellId)));
    return openDocument(doc);
  };

  const open = (scopeArgument?: unknown): NotebookPanel => openScoped(scopeFromArgument(scopeArgument));

  const withPanel = async (work: (panel: NotebookPanel) => Promise<void>) => {
    const panel = active();
    if (!panel) {
      void safeWindow.showInformationMessage('Open an Audit Lens query notebook first.');
      return;
    }
    try {
      await work(panel);
    } catch (error) {
      services.reportError(error, 'Audit Lens notebook');
    }
  };

  context.subscriptions.push(
    ...registerCommands({
      [COMMANDS.openNotebook]: (arg?: unknown) => open(arg),
      [COMMANDS.notebookRunAll]: () => withPanel(async (p) => p.notify('runAll', {})),
      [COMMANDS.notebookSave]: (target?: vscode.Uri) =>
        withPanel(async (p) => {
          const uri = await saveNotebookAs(services.prompts, p.document, target ?? p.fileUri);
          if (uri) {
            p.setFile(uri);
            safeWindow.setStatusBarMessage(`Audit Lens: saved ${uri.path.split('/').pop()}`, 3000);
          }
        }),
      [COMMANDS.notebookSaveAs]: () =>
        withPanel(async (p) => {
          const uri = await saveNotebookAs(services.prompts, p.document);
          if (uri) p.setFile(uri);
        }),
      [COMMANDS.notebookExportDatabricks]: (target?: vscode.Uri) =>
        withPanel(async (p) => {
          const uri = await exportDatabricks(services.prompts, p.document, target);
          if (uri) safeWindow.setStatusBarMessage(`Audit Lens: exported ${uri.path.split('/').pop()}`, 3000);
        }),
      [COMMANDS.notebookOpenFile]: async (target?: vscode.Uri) => {
        try {
          const uri = target instanceof vscode.Uri ? target : await pickNotebookFile(services.prompts);
          if (!uri) return undefined;
          return openDocument(await readNotebookFile(uri), uri);
        } catch (error) {
          services.reportError(error, 'Open notebook');
          return undefined;
        }
      },
    }),
    vscode.window.registerWebviewPanelSerializer(NOTEBOOK_VIEW_TYPE, {
      deserializeWebviewPanel: async (webviewPanel: vscode.WebviewPanel, state: unknown) => {
        const saved = typeof state === 'object' && state !== null ? parseNotebook((state as { document?: unknown }).document) : undefined;
        adopt(webviewPanel, saved?.ok ? saved.value : emptyNotebook(defaultScope(services.settings.sources, services.settings.defaultDateRange)));
      },
    }),
    { dispose: () => [...panels].forEach((p) => p.dispose()) },
  );

  return {
    get panels() {
      return panels;
    },
    get active() {
      return active();
    },
    open,
    openScoped,
    openDocument,
    statusBar,
  };
}
