/**
 * Registers the Findings view and its commands: *Run Detections* on a tree node (source,
 * workspace, month, date) or from the palette, with progress and cancel; a row opens its raw
 * line; a detection opens a notebook cell with its SQL over the same scope; a row's actor or user
 * agent can be ignored for its detection. Each run reads the detection library (packs, parameters) afresh.
 */
import * as vscode from 'vscode';
import { AuditLensError } from '../../core/errors';
import { QUERY_WORKER_FILE } from '../../worker/entries';
import { COMMANDS, FINDINGS_VIEW } from '../commands/ids';
import { registerCommands } from '../commands/register';
import type { NotebookPanels } from '../notebook';
import { defaultScope, scopeFromArgument } from '../notebook/scope';
import { runChoice } from '../../worker/session/asOf';
import { openRawLine } from '../rawLine';
import { safeWindow } from '../untrustedText';
import type { ExtensionServices } from '../services';
import { rowActor, rowAgent, rowLocation, type FindingNode, type FindingsResult, type FindingsState } from './model';
import { addIgnoredValue, canIgnore, loadEditorLibrary, workspaceParameterTarget, type IgnoreKind } from '../detections';
import { runFindings } from './runner';
import { recordCacheSettings } from '../recordCache';
import { describeView, FindingsTreeProvider } from './view';
import { throttledProgress } from '../../core/progress';


/** What the extension (and its host tests) can do with findings. */
export interface FindingsController {
  readonly provider: FindingsTreeProvider;
  readonly view: vscode.TreeView<FindingNode>;
  readonly state: FindingsState;
  /** Runs every detection over a tree node's scope (or the settings' sources); undefined when cancelled or failed. */
  run(scopeArgument?: unknown): Promise<FindingsResult | undefined>;
  cancel(): void;
  /** True while Run Detections is running. */
  readonly running: boolean;
  /** Shows a result another part keeps current (a watch), unless Run Detections is running. */
  show(result: FindingsResult): boolean;
  /** Focuses the view on these rows (or their detections when a row is not shown). */
  reveal(places: readonly { detectionId: string; index: number | undefined }[]): Promise<void>;
}

/** The `asOf` a command argument names (`{sources, …, asOf: {kind: 'scope-end'}}`), if any. */
function asOfArgument(argument: unknown): unknown {
  return typeof argument === 'object' && argument !== null ? (argument as { asOf?: unknown }).asOf : undefined;
}

export function registerFindings(context: vscode.ExtensionContext, services: ExtensionServices, notebooks: NotebookPanels): FindingsController {
  const provider = new FindingsTreeProvider();
  const view = vscode.window.createTreeView(FINDINGS_VIEW, { treeDataProvider: provider, showCollapseAll: true });
  let running: AbortController | undefined;

  const setState = (state: FindingsState) => {
    provider.setState(state);
    describeView(view, state);
  };

  const run = async (scopeArgument?: unknown): Promise<FindingsResult | undefined> => {
    const scope = scopeFromArgument(scopeArgument)?.scope ?? defaultScope(services.settings.sources, services.settings.defaultDateRange);
    running?.abort();
    const controller = new AbortController();
    running = controller;
    setState({ state: 'running', scope, message: 'Loading audit logs…' });
    void vscode.commands.executeCommand(`${FINDINGS_VIEW}.focus`);
    const extensionUri = context.extensionUri;
    try {
      const library = loadEditorLibrary(services);
      const ran = await safeWindow.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Audit Lens: running detections', cancellable: true },
        (progress, token) => {
          const cancelling = token.onCancellationRequested(() => controller.abort());
          return runFindings(
            scope,
            {
              workerPath: vscode.Uri.joinPath(extensionUri, 'dist', QUERY_WORKER_FILE).fsPath,
              wasmPath: vscode.Uri.joinPath(extensionUri, 'dist', 'sql-wasm.wasm').fsPath,
              maxRows: services.settings.rowBudget,
              gcsEndpoint: services.settings.gcsEndpoint,
              recordCache: recordCacheSettings(services.settings),
              detections: library.detections,
            },
            {
              signal: controller.signal,
              onProgress: throttledProgress((update) => {
                if (running !== controller) return;
                progress.report({ message: update.message });
                setState({ state: 'running', scope, message: update.message });
              }),
            },
            runChoice(asOfArgument(scopeArgument), undefined),
          ).finally(() => cancelling.dispose());
        },
      );
      if (running !== controller) return undefined;
      const result: FindingsResult = library.notes.length > 0 ? { ...ran, libraryNotes: library.notes } : ran;
      setState({ state: 'done', result });
      services.log.info(`findings: ${result.runs.length} detections over ${result.records} records`);
      for (const skipped of result.skippedFiles) services.log.warn(`findings: ${skipped}`);
      if (result.unreadableFiles > 0) services.log.warn(`findings: incomplete, ${result.unreadableFiles} files could not be read`);
      return result;
    } catch (error) {
      if (running !== controller) return undefined;
      const e = AuditLensError.from(error);
      if (e.code === 'cancelled') {
        setState({ state: 'idle' });
        services.log.info('findings: cancelled');
      } else {
        setState({ state: 'error', scope, message: `Detections failed: ${e.userMessage}` });
        services.reportError(e, 'Run detections');
      }
      return undefined;
    } finally {
      if (running === controller) running = undefined;
    }
  };

  const openRow = async (node?: FindingNode) => {
    if (node?.kind !== 'row' || provider.state.state !== 'done') return undefined;
    const location = rowLocation(node.run, node.index);
    if (!location || !provider.state.result.loadedFiles.has(location.file)) return undefined;
    try {
      return await openRawLine(location.file, location.line);
    } catch (error) {
      services.reportError(AuditLensError.from(error, 'not-found'), 'Open raw line');
      return undefined;
    }
  };

  const openInNotebook = (node?: FindingNode) => {
    if (node?.kind !== 'detection') return undefined;
    const { detection } = node.run;
    return notebooks.openScoped({ scope: node.scope, cell: { title: detection.title, sql: detection.sql, analysisId: detection.id } });
  };

  /** The row's actor over the run's scope, in a Timeline panel. */
  const showTimeline = (node?: FindingNode) => {
    if (node?.kind !== 'row' || provider.state.state !== 'done') return undefined;
    const actor = rowActor(node.run, node.index);
    if (!actor) return undefined;
    return vscode.commands.executeCommand(COMMANDS.showTimeline, { identity: { kind: 'actor', value: actor }, scope: provider.state.result.scope, asOf: provider.state.result.asOf.choice });
  };

  /**
   * Adds the row's actor (or user agent) to its detection's ignore list in the workspace's
   * settings, then runs the detections again over the same scope. The value goes to the setting as
   * data: it is never part of a command or of the SQL text.
   */
  const ignore = async (kind: IgnoreKind, node?: FindingNode) => {
    if (node?.kind !== 'row' || provider.state.state !== 'done') return undefined;
    const { detection } = node.run;
    const value = kind === 'actor' ? rowActor(node.run, node.index) : rowAgent(node.run, node.index);
    if (value === undefined || !canIgnore(detection, kind)) return undefined;
    const what = kind === 'actor' ? 'actor' : 'user agent';
    if (!vscode.workspace.isTrusted) {
      void safeWindow.showWarningMessage(`Audit Lens: an untrusted workspace's detection parameters are ignored. Trust the workspace to ignore this ${what} for ${detection.id}.`);
      return undefined;
    }
    if (!vscode.workspace.workspaceFile && (vscode.workspace.workspaceFolders ?? []).length === 0) {
      void safeWindow.showWarningMessage(`Audit Lens: open a folder or workspace first: the ${what} is ignored in the workspace's settings.`);
      return undefined;
    }
    try {
      const outcome = await addIgnoredValue(workspaceParameterTarget, detection, kind, value);
      const name = kind === 'actor' ? 'ignoreActors' : 'ignoreAgents';
      services.log.info(`findings: ${outcome === 'added' ? 'added' : 'already had'} a value in ${detection.id}.${name} (workspace settings)`);
      if (outcome === 'already') {
        void safeWindow.showInformationMessage(`Audit Lens: ${detection.id} already ignores this ${what}; run the detections again to apply it.`);
        return outcome;
      }
      const { result } = provider.state;
      if (result.watching) {
        void safeWindow.showInformationMessage(`Audit Lens: ${detection.id} now ignores this ${what} (workspace setting auditLens.detectionParameters). Run Detections applies it.`);
      } else {
        void safeWindow.showInformationMessage(`Audit Lens: ${detection.id} now ignores this ${what} (workspace setting auditLens.detectionParameters). Running the detections again.`);
        void run({ ...result.scope, asOf: result.asOf.choice });
      }
      return outcome;
    } catch (error) {
      services.reportError(error, `Ignore this ${what}`);
      return undefined;
    }
  };

  context.subscriptions.push(
    provider,
    view,
    { dispose: () => running?.abort() },
    ...registerCommands({
      [COMMANDS.runDetections]: (arg?: unknown) => run(arg),
      [COMMANDS.findingsOpenRow]: openRow,
      [COMMANDS.findingsOpenInNotebook]: openInNotebook,
      [COMMANDS.findingsShowTimeline]: showTimeline,
      [COMMANDS.findingsIgnoreActor]: (node?: FindingNode) => ignore('actor', node),
      [COMMANDS.findingsIgnoreAgent]: (node?: FindingNode) => ignore('agent', node),
    }),
  );

  const show = (result: FindingsResult): boolean => {
    if (running) return false;
    setState({ state: 'done', result });
    return true;
  };

  const reveal = async (places: readonly { detectionId: string; index: number | undefined }[]): Promise<void> => {
    await vscode.commands.executeCommand(`${FINDINGS_VIEW}.focus`);
    let first = true;
    for (const place of places) {
      const nodes = provider.nodesOf(place.detectionId, place.index);
      if (!nodes) continue;
      await view.reveal(nodes.detection, { expand: true, select: first && !nodes.row, focus: first && !nodes.row });
      if (nodes.row) await view.reveal(nodes.row, { select: first, focus: first });
      first = false;
    }
  };

  return {
    provider,
    view,
    get state() {
      return provider.state;
    },
    get running() {
      return running !== undefined;
    },
    run,
    cancel: () => running?.abort(),
    show,
    reveal,
  };
}
