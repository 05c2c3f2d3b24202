/** Entry point of the VS Code extension: builds the shared services and registers every surface. */
import * as vscode from 'vscode';
import { removeStaleTempFolders } from '../core/tempFiles';
import { lastDays } from '../core/layout';
import { registerLanguageCommands } from './commands/languageCommands';
import { FileValidation, registerNodeCommands } from './commands/nodeCommands';
import { registerSourceCommands } from './commands/sourceCommands';
import { registerGcsFileSystem } from './gcsFileSystem';
import { AuditLogCodeActions } from './language/codeActions';
import { AuditLogDiagnostics, LANGUAGE_ID } from './language/diagnostics';
import { AuditLogHoverProvider } from './language/hover';
import { ContextKeys, HAS_SOURCES } from './contextKeys';
import { registerDatabricksCommands } from './databricks';
import { registerFindings, type FindingsController } from './findings';
import { registerNotebook, type NotebookPanels } from './notebook';
import { registerTimeline, type TimelineController } from './timeline';
import { registerWatch, type WatchController } from './watch';
import { registerCoverage, type CoverageController } from './coverage';
import { ExtensionServices } from './services';
import { defaultScanCacheDirectory } from '../core/scan/cache-location';
import { registerRecordCacheCommands } from './recordCache';
import { PartitionScanner } from './tree/partitionScans';
import type { TreeNode } from './tree/nodes';
import { SourcesTreeProvider } from './tree/provider';
import { shownTexts } from './untrustedText';
import { COMMANDS, SOURCES_VIEW } from './commands/ids';
import { registerCommands } from './commands/register';

/** What activate() returns: the host tests drive the extension through it. */
export interface AuditLensApi {
  services: ExtensionServices;
  tree: SourcesTreeProvider;
  diagnostics: AuditLogDiagnostics;
  fileValidation: FileValidation;
  notebooks: NotebookPanels;
  findings: FindingsController;
  timelines: TimelineController;
  /** The editor's watch of a source. */
  watches: WatchController;
  coverage: CoverageController;
  /** The context keys the extension set (the welcome view's `when` clause reads HAS_SOURCES). */
  contextKeys: ContextKeys;
  /** The last texts shown in notifications, quick picks, progress and the status bar, as handed to VS Code. */
  shownTexts: typeof shownTexts;
  /** The Sources view. */
  view: vscode.TreeView<TreeNode>;
}

export function activate(context: vscode.ExtensionContext): AuditLensApi {
  const services = new ExtensionServices(context);
  context.subscriptions.push(services);
  // Temporary data a killed window left (query snapshots hold log records), removed off the critical path.
  void removeStaleTempFolders();

  const scanner = new PartitionScanner(services, defaultScanCacheDirectory());
  const tree = new SourcesTreeProvider(services, scanner);
  const view = vscode.window.createTreeView(SOURCES_VIEW, { treeDataProvider: tree, showCollapseAll: true });
  const contextKeys = new ContextKeys();
  const showWelcomeUnlessSources = () => contextKeys.set(HAS_SOURCES, services.settings.sources.length > 0);
  void showWelcomeUnlessSources();
  context.subscriptions.push(
    tree,
    view,
    ...tree.watch(view),
    services.sources.onDidChange(() => {
      void showWelcomeUnlessSources();
      tree.refresh();
    }),
  );

  const selector: vscode.DocumentSelector = { language: LANGUAGE_ID };
  const diagnostics = new AuditLogDiagnostics();
  const fileValidation = new FileValidation(services);
  context.subscriptions.push(
    registerGcsFileSystem(services),
    diagnostics,
    vscode.languages.registerHoverProvider(selector, new AuditLogHoverProvider()),
    vscode.languages.registerCodeActionsProvider(selector, new AuditLogCodeActions(), { providedCodeActionKinds: AuditLogCodeActions.kinds }),
    ...registerSourceCommands(services, tree),
    ...registerNodeCommands(services, scanner, fileValidation),
    ...registerLanguageCommands(),
    ...registerCommands({ [COMMANDS.showLog]: () => services.log.show() }),
    ...registerRecordCacheCommands(services),
  );
  // Other surfaces register here with (context, services).
  const notebooks = registerNotebook(context, services);
  registerDatabricksCommands(context, services);
  const findings = registerFindings(context, services, notebooks);
  const timelines = registerTimeline(context, services);
  const watches = registerWatch(context, services, findings);
  const coverage = registerCoverage(context, services, () => tree.dateFilter);

  const filterDays = services.settings.defaultDateRange;
  if (filterDays > 0) tree.setDateFilter(lastDays(filterDays));
  services.log.info(`activated; ${services.settings.sources.length} source(s) configured`);
  return { services, tree, diagnostics, fileValidation, notebooks, findings, timelines, watches, coverage, contextKeys, shownTexts, view };
}

export function deactivate(): void {}
