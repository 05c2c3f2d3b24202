/** Treats any JSON Lines file as a Databricks audit log, for this editor and optionally from now on. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LANGUAGE_ID } from '../language/diagnostics';
import { safeWindow, uiText } from '../untrustedText';
import { COMMANDS } from './ids';
import { registerCommands } from './register';

export function registerLanguageCommands(): vscode.Disposable[] {
  return registerCommands({
    [COMMANDS.associateLanguage]: async (uri?: vscode.Uri) => {
      const document = uri instanceof vscode.Uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
      if (!document) {
        void safeWindow.showInformationMessage('Open a JSON Lines file first.');
        return undefined;
      }
      const updated = await vscode.languages.setTextDocumentLanguage(document, LANGUAGE_ID);
      const name = path.posix.basename(document.uri.path);
      const pattern = `*${path.posix.extname(name)}`;
      if (uri === undefined && vscode.workspace.workspaceFolders?.length) {
        const remember = uiText(`Always for ${pattern} in this workspace`);
        void safeWindow.showInformationMessage(`${name} is now read as a Databricks audit log.`, remember).then(async (choice) => {
          if (choice !== remember) return;
          const config = vscode.workspace.getConfiguration('files');
          const associations = { ...config.get<Record<string, string>>('associations', {}), [pattern]: LANGUAGE_ID };
          await config.update('associations', associations, vscode.ConfigurationTarget.Workspace);
        });
      }
      return updated.languageId;
    },
  });
}
