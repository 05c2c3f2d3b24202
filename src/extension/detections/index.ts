/**
 * The editor's detection library, read from the settings and the workspace folders at each run,
 * with broken packs reported in a notification (the rest still run), and the workspace's
 * parameter setting as the target of the Findings view's ignore actions.
 */
import * as vscode from 'vscode';
import { readDetectionSettings, workspaceDetectionParameters, writeWorkspaceDetectionParameters } from '../settings';
import type { ExtensionServices } from '../services';
import { safeWindow } from '../untrustedText';
import { resolveEditorLibrary, type EditorLibrary } from './library';
import type { ParameterSettingTarget } from './ignore';

export { addIgnoredValue, canIgnore, IGNORE_PARAMETERS, type IgnoreKind } from './ignore';
export type { EditorLibrary } from './library';

/** The detections Run Detections uses now; problems are logged and shown, never fatal. */
export function loadEditorLibrary(services: ExtensionServices, trusted = vscode.workspace.isTrusted): EditorLibrary {
  const settings = readDetectionSettings();
  const library = resolveEditorLibrary({
    trusted,
    packs: settings.packs,
    parameters: settings.parameters,
    workspaceFolders: (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath),
  });
  for (const file of library.packFiles) services.log.info(`detections: pack ${file}`);
  for (const problem of library.problems) services.log.error(`detections: ${problem}`);
  const [first, ...rest] = library.problems;
  if (first !== undefined) {
    const more = rest.length > 0 ? ` (and ${rest.length} more: see the Audit Lens output)` : '';
    void safeWindow.showErrorMessage(`Audit Lens: ${first}${more} The other detections still run.`, 'Show Log').then((choice) => {
      if (choice) services.log.show();
    });
  }
  return library;
}

/** The workspace level of `auditLens.detectionParameters`. */
export const workspaceParameterTarget: ParameterSettingTarget = {
  read: workspaceDetectionParameters,
  write: writeWorkspaceDetectionParameters,
};
