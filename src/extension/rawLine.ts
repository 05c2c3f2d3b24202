/** Opens a delivered file at one line, beside the active editor: how a result row shows its raw record. */
import * as vscode from 'vscode';
import { editorUriOf } from './fileUris';

export async function openRawLine(file: string, line: number): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(editorUriOf({ uri: file }));
  const position = new vscode.Position(Math.max(0, Math.min(line - 1, document.lineCount - 1)), 0);
  return vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, selection: new vscode.Range(position, position), preview: true });
}
