/**
 * Registers "Watch This Source" (on a source in the tree, or from the palette) and "Stop
 * Watching". One watch runs at a time, since it owns the Findings view: watching another source
 * stops the first. The watch stops when the extension deactivates.
 */
import * as vscode from 'vscode';
import { COMMANDS } from '../commands/ids';
import { registerCommands } from '../commands/register';
import type { FindingsController } from '../findings';
import type { ExtensionServices } from '../services';
import { safeWindow } from '../untrustedText';
import { EditorWatch } from './editorWatch';
import { SECTION } from '../settings';
import { clampWatchInterval, WATCH_INTERVAL_SETTING } from './interval';

export { EditorWatch } from './editorWatch';

export interface WatchController {
  /** The running watch, if any. */
  readonly current: EditorWatch | undefined;
  /** Starts watching a source (a tree node, a URI, or one the user picks); undefined when none was chosen. */
  start(argument?: unknown): Promise<EditorWatch | undefined>;
  /** Stops the running watch; false when none ran. */
  stop(): boolean;
}

/** The source a command argument names: a source node of the tree (`{kind, sourceUri}`) or a URI. */
function sourceOf(argument: unknown): string | undefined {
  if (typeof argument === 'string' && argument.trim() !== '') return argument.trim();
  if (typeof argument === 'object' && argument !== null) {
    const uri = (argument as { sourceUri?: unknown }).sourceUri;
    if (typeof uri === 'string' && uri !== '') return uri;
  }
  return undefined;
}

/** The interval in force, in milliseconds. */
function watchIntervalMs(): number {
  return clampWatchInterval(vscode.workspace.getConfiguration(SECTION).get<unknown>(WATCH_INTERVAL_SETTING)) * 1000;
}

export function registerWatch(context: vscode.ExtensionContext, services: ExtensionServices, findings: FindingsController, stateDirectory?: string): WatchController {
  let current: EditorWatch | undefined;

  const stop = (): boolean => {
    const watch = current;
    if (!watch) return false;
    current = undefined;
    watch.dispose();
    // The view keeps the findings, without saying a watch keeps them current.
    const state = findings.state;
    if (state.state === 'done' && state.result.watching?.source === watch.source) {
      const { watching: _stopped, ...rest } = state.result;
      findings.show(rest);
    }
    return true;
  };

  const choose = async (argument: unknown): Promise<string | undefined> => {
    const named = sourceOf(argument);
    if (named) return named;
    const sources = services.settings.sources;
    if (sources.length === 0) {
      void safeWindow.showInformationMessage('Audit Lens: add a gs:// bucket or a folder to the Sources view first, then watch it.');
      return undefined;
    }
    return sources.length === 1 ? sources[0] : safeWindow.pickString(sources, { placeHolder: 'Source to watch for new findings' });
  };

  const start = async (argument?: unknown): Promise<EditorWatch | undefined> => {
    const source = await choose(argument);
    if (!source) return undefined;
    if (current?.source === source) {
      void safeWindow.showInformationMessage(`Audit Lens is already watching ${current.label}.`);
      return current;
    }
    if (current) services.log.info(`watch: ${current.source}: stopped to watch ${source} (one watch at a time)`);
    stop();
    const watch: EditorWatch = new EditorWatch({
      source,
      services,
      findings,
      extensionUri: context.extensionUri,
      interval: watchIntervalMs,
      ...(stateDirectory ? { stateDirectory } : {}),
      onEnded: () => {
        if (current === watch) stop();
      },
    });
    current = watch;
    return watch;
  };

  context.subscriptions.push(
    { dispose: () => void stop() },
    ...registerCommands({
      [COMMANDS.watchSource]: (argument?: unknown) => start(argument),
      [COMMANDS.stopWatching]: () => {
        if (!stop()) void safeWindow.showInformationMessage('Audit Lens is not watching any source.');
      },
    }),
  );

  return {
    get current() {
      return current;
    },
    start,
    stop,
  };
}
