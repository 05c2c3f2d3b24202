/**
 * The one place that makes text from logs, file names and error messages safe for VS Code's own
 * surfaces. Surface by surface (see the security section of docs/reliability-and-security.md):
 * - notifications (`show*Message`) and progress in a notification turn `[x](command:…)` into a link;
 * - quick pick labels, descriptions and details, status bar text and window progress render `$(icon)`;
 * - tree labels, descriptions and string tooltips, and the output channel, show plain text;
 * - every one of them lets bidi controls reorder the text around them.
 * `uiText` answers all of these at once; markdown gets `untrustedMarkdown` and `appendCode`.
 */
import * as vscode from 'vscode';
import { markdownCodeSpan, safeUiText, showBidiControls } from '../shared/text/untrusted';

/** Untrusted text for a notification, a quick pick item, a tree item, the status bar or a progress title. */
export function uiText(text: string): string {
  return safeUiText(text);
}

/** Markdown that renders no command links, HTML or icons; add untrusted text only through appendCode or appendText. */
export function untrustedMarkdown(): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, false);
  md.isTrusted = false;
  md.supportHtml = false;
  md.supportThemeIcons = false;
  return md;
}

/** Appends untrusted text as a code span: shown literally, never a link (bare URLs included) or emphasis. */
export function appendCode(md: vscode.MarkdownString, text: string): vscode.MarkdownString {
  return md.appendMarkdown(markdownCodeSpan(text));
}

export type Surface = 'notification' | 'quick pick' | 'progress' | 'status bar';

/**
 * The last texts handed to a notification, quick pick, progress or the status bar, oldest first (the
 * host tests read them). Only the last ones are kept, so each carries its place in the whole
 * sequence (`seq`): what was shown since a point is found by it, never by an index into the list.
 */
export const shownTexts: { surface: Surface; text: string; seq: number }[] = [];
const SHOWN_KEPT = 200;
let shownSeq = 0;

function shown(surface: Surface, text: string): string {
  const safe = uiText(text);
  shownTexts.push({ surface, text: safe, seq: ++shownSeq });
  if (shownTexts.length > SHOWN_KEPT) shownTexts.shift();
  return safe;
}

function safeItem<T extends vscode.QuickPickItem>(item: T): T {
  return { ...item, label: shown('quick pick', item.label), description: item.description && shown('quick pick', item.description), detail: item.detail && shown('quick pick', item.detail) };
}

/**
 * VS Code's message, quick pick, progress and status bar functions with every text made safe. The
 * whole message is treated as untrusted: the extension's own messages never hold links or icons.
 */
export const safeWindow = {
  showErrorMessage: (message: string, ...actions: string[]): Thenable<string | undefined> => vscode.window.showErrorMessage(shown('notification', message), ...actions),
  showWarningMessage: (message: string, ...actions: string[]): Thenable<string | undefined> => vscode.window.showWarningMessage(shown('notification', message), ...actions),
  showInformationMessage: (message: string, ...actions: string[]): Thenable<string | undefined> => vscode.window.showInformationMessage(shown('notification', message), ...actions),
  /** A modal warning whose message and detail are shown safely. */
  showModalWarning: (message: string, detail: string, ...actions: string[]): Thenable<string | undefined> =>
    vscode.window.showWarningMessage(shown('notification', message), { modal: true, detail: shown('notification', detail) }, ...actions),

  /** A quick pick whose items' label, description and detail are shown safely; resolves to the item given, not the copy shown. */
  async showQuickPick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions = {}): Promise<T | undefined> {
    const displayed = items.map(safeItem);
    const picked = await vscode.window.showQuickPick(displayed, { ...options, title: options.title && shown('quick pick', options.title), placeHolder: options.placeHolder && shown('quick pick', options.placeHolder) });
    return picked ? items[displayed.indexOf(picked)] : undefined;
  },

  /** A quick pick of plain strings (shown safely), resolving to the string picked. */
  async pickString(values: readonly string[], options: vscode.QuickPickOptions = {}): Promise<string | undefined> {
    const picked = await safeWindow.showQuickPick(values.map((value) => ({ label: value, value })), options);
    return picked?.value;
  },

  /** withProgress with a safe title, and a safe message in every report. */
  withProgress<R>(
    options: vscode.ProgressOptions,
    task: (progress: vscode.Progress<{ message?: string; increment?: number }>, token: vscode.CancellationToken) => Thenable<R>,
  ): Thenable<R> {
    return vscode.window.withProgress({ ...options, title: options.title && shown('progress', options.title) }, (progress, token) =>
      task({ report: (value) => progress.report({ ...value, message: value.message && shown('progress', value.message) }) }, token),
    );
  },

  setStatusBarMessage: (text: string, hideAfterTimeout: number): vscode.Disposable => vscode.window.setStatusBarMessage(shown('status bar', text), hideAfterTimeout),
};

type LogMessage = string | Error;

/** The output channel with bidi controls in every message shown as `[U+202E]` markers. */
export function visibleBidiLog(channel: vscode.LogOutputChannel): vscode.LogOutputChannel {
  const clean = (message: LogMessage): LogMessage => (typeof message === 'string' ? showBidiControls(message) : message);
  const wrapped: Partial<vscode.LogOutputChannel> = {
    trace: (message, ...args) => channel.trace(showBidiControls(message), ...args),
    debug: (message, ...args) => channel.debug(showBidiControls(message), ...args),
    info: (message, ...args) => channel.info(showBidiControls(message), ...args),
    warn: (message, ...args) => channel.warn(showBidiControls(message), ...args),
    error: (message, ...args) => channel.error(clean(message), ...args),
    append: (value) => channel.append(showBidiControls(value)),
    appendLine: (value) => channel.appendLine(showBidiControls(value)),
    replace: (value) => channel.replace(showBidiControls(value)),
  };
  return new Proxy(channel, {
    get(target, property) {
      if (Object.prototype.hasOwnProperty.call(wrapped, property)) return wrapped[property as keyof vscode.LogOutputChannel];
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
