/**
 * Every message, quick pick, progress and status bar text of the extension goes through
 * safeWindow (src/extension/untrustedText.ts), which makes file names and log text safe there. A
 * direct call to VS Code's own function would bypass it, as would a tree item labelled without
 * uiText: this keeps new call sites honest.
 */
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const extensionRoot = path.resolve(__dirname, '..', '..', 'src', 'extension');
const DIRECT = /\bwindow\.(showErrorMessage|showWarningMessage|showInformationMessage|showQuickPick|createQuickPick|withProgress|setStatusBarMessage)\s*\(/g;

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

describe('untrusted text call sites', () => {
  it('shows messages, quick picks, progress and status bar text only through safeWindow', () => {
    const direct = sourceFiles(extensionRoot)
      .filter((file) => path.basename(file) !== 'untrustedText.ts')
      .flatMap((file) => [...readFileSync(file, 'utf8').matchAll(DIRECT)].map((m) => `${path.relative(extensionRoot, file)}: window.${m[1]}`));
    assert.deepEqual(direct, []);
  });

  it('labels every tree item through uiText', () => {
    const raw = sourceFiles(extensionRoot).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/new vscode\.TreeItem\((?!uiText\()([^,]*)/g)].map((m) => `${path.relative(extensionRoot, file)}: ${m[1]}`),
    );
    assert.deepEqual(raw, []);
  });
});
