/** Opens a delivered file at one line, beside the active editor: how a result row shows its raw record. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { AuditLensError } from '../core/errors';
import { editorUriOf } from './fileUris';
import type { ExtensionServices } from './services';

export async function openRawLine(file: string, line: number): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(editorUriOf({ uri: file }));
  const position = new vscode.Position(Math.max(0, Math.min(line - 1, document.lineCount - 1)), 0);
  return vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, selection: new vscode.Range(position, position), preview: true });
}

/** A webview panel whose page may ask to open a raw line: the files it read, and where refusals are kept. */
export interface RawLineOwner {
  /** `notebook`, `timeline`: how the log names the panel. */
  readonly name: string;
  readonly readFiles: ReadonlySet<string>;
  readonly rejected: string[];
}

/**
 * Opens a raw line a page asked for, only from a file its panel read (a page may name any path):
 * a refusal is kept in `rejected` and logged, a failure to open is reported.
 */
export async function openReadRawLine(services: ExtensionServices, owner: RawLineOwner, file: string, line: number): Promise<void> {
  if (!owner.readFiles.has(file)) {
    owner.rejected.push(`openRaw of a file not read: ${file}`);
    services.log.warn(`${owner.name}: refused to open ${file}: it is not a file this ${owner.name} read`);
    return;
  }
  try {
    await openRawLine(file, line);
  } catch (error) {
    services.reportError(AuditLensError.from(error, 'not-found'), `Open ${path.posix.basename(file)}`);
  }
}
