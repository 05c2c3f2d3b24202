/** Quick fixes for findings with one obvious repair: key casing, date-string timestamps, non-string params. */
import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE } from './diagnostics';
import { documentedNameFrom, epochMsOfDateString } from './quickFixes';

export class AuditLogCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
      const text = document.getText(diagnostic.range);
      const fix = this.fixFor(String(diagnostic.code), diagnostic.message, text);
      if (!fix) continue;
      const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
      action.diagnostics = [diagnostic];
      action.isPreferred = true;
      action.edit = new vscode.WorkspaceEdit();
      action.edit.replace(document.uri, diagnostic.range, fix.replacement);
      actions.push(action);
    }
    return actions;
  }

  private fixFor(code: string, message: string, text: string): { title: string; replacement: string } | undefined {
    if (code === 'key-casing') {
      const name = documentedNameFrom(message);
      return name ? { title: `Rename to ${name}`, replacement: JSON.stringify(name) } : undefined;
    }
    if (code === 'wrong-type' && message.startsWith('timestamp ')) {
      const ms = epochMsOfDateString(text);
      return ms === undefined ? undefined : { title: `Write as epoch milliseconds (${ms})`, replacement: String(ms) };
    }
    if (code === 'non-string-param') {
      return { title: 'Write the value as a JSON string, as delivered logs do', replacement: JSON.stringify(text) };
    }
    return undefined;
  }
}
