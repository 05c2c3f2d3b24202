/** Entry point of the VS Code extension: builds the shared services and registers every surface. */
import * as vscode from 'vscode';

export interface AuditLensApi {
  ready: true;
}

export async function activate(_context: vscode.ExtensionContext): Promise<AuditLensApi> {
  return { ready: true };
}

export function deactivate(): void {}
