/**
 * The input boxes and file dialogs the extension asks the user through. Normally they are VS Code's;
 * the host tests script their answers (`answerWith`), and a prompt the script did not expect fails
 * the test instead of waiting for a user who is not there.
 */
import * as vscode from 'vscode';
import { safeWindow } from './untrustedText';

export type ScriptedAnswer =
  | { kind: 'inputBox'; value: string | undefined }
  | { kind: 'openDialog'; value: vscode.Uri[] | undefined }
  | { kind: 'saveDialog'; value: vscode.Uri | undefined }
  /** A quick pick: the label of the item picked, or undefined for Escape. */
  | { kind: 'quickPick'; value: string | undefined }
  /** A modal question: the label of the button pressed, or undefined for Cancel. */
  | { kind: 'warning'; value: string | undefined };

type PromptKind = ScriptedAnswer['kind'];

export class UserPrompts {
  private script: ScriptedAnswer[] | undefined;
  /** The options of every prompt answered from a script, in order (tests check what was asked). */
  readonly asked: { kind: PromptKind; title?: string }[] = [];

  async showInputBox(options: vscode.InputBoxOptions): Promise<string | undefined> {
    const scripted = this.next('inputBox', options.title);
    if (!scripted) return vscode.window.showInputBox(options);
    const value = scripted.value as string | undefined;
    // A value the box would not accept cannot be submitted: the script is wrong, not the user.
    const problem = value !== undefined ? await options.validateInput?.(value) : undefined;
    if (problem) throw new Error(`scripted input ${JSON.stringify(value)} is refused by the input box: ${typeof problem === 'string' ? problem : problem.message}`);
    return value;
  }

  /** A quick pick whose texts are shown safely; resolves to the item given. */
  async showQuickPick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions = {}): Promise<T | undefined> {
    const scripted = this.next('quickPick', options.title);
    if (!scripted) return safeWindow.showQuickPick(items, options);
    if (scripted.value === undefined) return undefined;
    const picked = items.find((item) => item.label === scripted.value);
    if (!picked) throw new Error(`scripted pick ${JSON.stringify(scripted.value)} is not an item of '${options.title ?? ''}'`);
    return picked;
  }

  async showOpenDialog(options: vscode.OpenDialogOptions): Promise<vscode.Uri[] | undefined> {
    const scripted = this.next('openDialog', options.title);
    return scripted ? (scripted.value as vscode.Uri[] | undefined) : vscode.window.showOpenDialog(options);
  }

  async showSaveDialog(options: vscode.SaveDialogOptions): Promise<vscode.Uri | undefined> {
    const scripted = this.next('saveDialog', options.title);
    return scripted ? (scripted.value as vscode.Uri | undefined) : vscode.window.showSaveDialog(options);
  }

  /** A modal warning with buttons; resolves to the label pressed, or undefined when cancelled. */
  async showModalWarning(message: string, detail: string, ...buttons: string[]): Promise<string | undefined> {
    const scripted = this.next('warning', message);
    if (!scripted) return safeWindow.showModalWarning(message, detail, ...buttons);
    const value = scripted.value as string | undefined;
    if (value !== undefined && !buttons.includes(value)) throw new Error(`scripted answer ${JSON.stringify(value)} is not a button of '${message}'`);
    return value;
  }

  /**
   * Runs `work` with the prompts it opens answered from `answers`, in order. Fails when a prompt
   * of another kind comes, when more prompts come than answers, or when answers are left over.
   */
  async answerWith<T>(answers: ScriptedAnswer[], work: () => Thenable<T> | Promise<T>): Promise<T> {
    if (this.script) throw new Error('prompts are already scripted');
    this.script = [...answers];
    try {
      const result = await work();
      if (this.script.length > 0) throw new Error(`${this.script.length} scripted answer(s) were not asked for: ${this.script.map((a) => a.kind).join(', ')}`);
      return result;
    } finally {
      this.script = undefined;
    }
  }

  private next(kind: PromptKind, title: string | undefined): ScriptedAnswer | undefined {
    if (!this.script) return undefined;
    const answer = this.script.shift();
    if (!answer) throw new Error(`unexpected ${kind} prompt${title ? ` '${title}'` : ''}: the script has no answer left`);
    if (answer.kind !== kind) throw new Error(`expected a ${answer.kind} prompt, got ${kind}${title ? ` '${title}'` : ''}`);
    this.asked.push({ kind, title });
    return answer;
  }
}
