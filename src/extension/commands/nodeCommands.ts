/** Commands on tree nodes: open the raw file, copy its location, validate its files into the Problems panel. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AuditFile } from '../../core/sources';
import { editorUriOf, locationOf } from '../fileUris';
import { MAX_DIAGNOSTICS_PER_FILE, toDiagnostic } from '../language/diagnostics';
import type { ExtensionServices } from '../services';
import { isPartitionNode, type PartitionNode, type TreeNode } from '../tree/nodes';
import type { PartitionScanner } from '../tree/partitionScans';
import { safeWindow } from '../untrustedText';
import { COMMANDS } from './ids';
import { registerCommands } from './register';
import { DisposableBase } from '../disposable';

async function partitionFiles(services: ExtensionServices, node: PartitionNode): Promise<AuditFile[]> {
  const source = await services.sources.open(node.sourceUri);
  return source.listPartitionFiles(node.workspaceId, node.date);
}

/** The files of a partition that hold a service's (or action's) events, when the partition was scanned. */
function filesHolding(scanner: PartitionScanner, node: PartitionNode): AuditFile[] | undefined {
  if (node.kind === 'date') return undefined;
  const scanned = scanner.peek(node.sourceUri, node.workspaceId, node.date);
  if (!scanned) return undefined;
  const holding = scanned.perFile.filter(({ scan }) => {
    const actions = scan.services[node.service];
    return actions !== undefined && (node.kind === 'service' || actions[node.action] !== undefined);
  });
  return holding.length > 0 ? holding.map((f) => f.file) : undefined;
}

/** Where an action's first event is, so "open raw" lands on it. */
function firstLineOf(document: vscode.TextDocument, node: PartitionNode): number | undefined {
  if (node.kind !== 'action') return undefined;
  const needles = [`"actionName":${JSON.stringify(node.action)}`, `"actionName": ${JSON.stringify(node.action)}`];
  for (let i = 0; i < document.lineCount; i++) {
    const text = document.lineAt(i).text;
    if (needles.some((n) => text.includes(n))) return i;
  }
  return undefined;
}

export async function openRawFile(services: ExtensionServices, scanner: PartitionScanner, node: PartitionNode): Promise<vscode.TextEditor | undefined> {
  const files = filesHolding(scanner, node) ?? (await partitionFiles(services, node));
  if (files.length === 0) {
    void safeWindow.showInformationMessage('No files in this partition any more — refresh the tree.');
    return undefined;
  }
  let file = files[0]!;
  if (files.length > 1) {
    const picked = await safeWindow.showQuickPick(
      files.map((f) => ({ label: path.posix.basename(f.relativePath), description: `${(f.size / 1024).toFixed(1)} KiB`, file: f })),
      { title: `Open which file of ${node.date}?` },
    );
    if (!picked) return undefined;
    file = picked.file;
  }
  const document = await vscode.workspace.openTextDocument(editorUriOf(file));
  const line = firstLineOf(document, node);
  const selection = line === undefined ? undefined : new vscode.Range(line, 0, line, 0);
  return vscode.window.showTextDocument(document, { preview: true, selection });
}

export class FileValidation extends DisposableBase {
  /** Findings of files validated from the tree (open documents get theirs from the language feature). */
  readonly collection = this.register(vscode.languages.createDiagnosticCollection('audit-lens-files'));

  constructor(private readonly services: ExtensionServices) {
    super();
  }

  async validate(node: PartitionNode): Promise<{ files: number; errors: number; warnings: number; information: number }> {
    const files = await partitionFiles(this.services, node);
    const source = this.services.sources.descriptor(node.sourceUri);
    const totals = { files: files.length, errors: 0, warnings: 0, information: 0 };
    await safeWindow.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Validating ${node.date}`, cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        const subscription = token.onCancellationRequested(() => controller.abort());
        try {
          for (const [i, file] of files.entries()) {
            progress.report({ message: path.posix.basename(file.relativePath), increment: 100 / files.length });
            const diagnostics: vscode.Diagnostic[] = [];
            // In the scan worker, which sends back only the findings shown (the summary counts all).
            const result = await this.services.scans.validateFile(source, file, {
              signal: controller.signal,
              maxFindings: MAX_DIAGNOSTICS_PER_FILE,
              onFindings: (batch) => {
                for (const f of batch) diagnostics.push(toDiagnostic(f));
              },
            });
            totals.errors += result.summary.errors;
            totals.warnings += result.summary.warnings;
            totals.information += result.summary.information;
            this.collection.set(editorUriOf(file), diagnostics);
            this.services.log.info(`validated ${file.uri} (${i + 1}/${files.length}): ${result.summary.errors} errors, ${result.summary.warnings} warnings`);
          }
        } finally {
          subscription.dispose();
        }
      },
    );
    return totals;
  }

}

export function registerNodeCommands(services: ExtensionServices, scanner: PartitionScanner, validation: FileValidation): vscode.Disposable[] {
  const guard =
    <T>(name: string, work: (node: PartitionNode) => Promise<T>) =>
    async (node?: TreeNode): Promise<T | undefined> => {
      if (!node || !isPartitionNode(node)) {
        void safeWindow.showInformationMessage(`${name}: choose a date, service or action in the Audit Lens tree.`);
        return undefined;
      }
      try {
        return await work(node);
      } catch (error) {
        services.reportError(error, name);
        return undefined;
      }
    };
  return [
    validation,
    ...registerCommands({
      [COMMANDS.openRawFile]: guard('Open raw file', (node) => openRawFile(services, scanner, node)),
      [COMMANDS.validate]: guard('Validate', async (node) => {
        const totals = await validation.validate(node);
        const summary = `Validated ${totals.files} file(s): ${totals.errors} error(s), ${totals.warnings} warning(s), ${totals.information} note(s).`;
        void safeWindow.showInformationMessage(summary, 'Show Problems').then((c) => c && vscode.commands.executeCommand('workbench.actions.view.problems'));
        return totals;
      }),
      [COMMANDS.copyUri]: async (node?: TreeNode) => {
        const location = node ? locationOf(node) : undefined;
        if (!location) return undefined;
        await vscode.env.clipboard.writeText(location);
        safeWindow.setStatusBarMessage(`Copied ${location}`, 3000);
        return location;
      },
    }),
  ];
}
