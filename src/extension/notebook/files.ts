/** Notebook files: save and open `*.auditlens.json`, and export as a Databricks SQL notebook source. */
import * as vscode from 'vscode';
import { toDatabricksNotebook } from '../../core/notebook/databricks';
import { NOTEBOOK_FILE_EXTENSION, parseNotebookText, serializeNotebook, type NotebookDocument } from '../../shared/notebook/format';
import { AuditLensError } from '../../core/errors';
import type { UserPrompts } from '../prompts';

type Dialogs = Pick<UserPrompts, 'showSaveDialog' | 'showOpenDialog'>;

const NOTEBOOK_FILTERS = { 'Audit Lens notebook': [NOTEBOOK_FILE_EXTENSION.slice(1)] };

function defaultUri(name: string): vscode.Uri | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  return folder ? vscode.Uri.joinPath(folder, name) : undefined;
}

function baseName(title: string): string {
  return title.replace(/[^\p{L}\p{N} _.-]+/gu, '').trim().replace(/\s+/g, '-').slice(0, 80) || 'audit-notebook';
}

export async function writeNotebookFile(uri: vscode.Uri, doc: NotebookDocument): Promise<void> {
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(serializeNotebook(doc)));
}

export async function readNotebookFile(uri: vscode.Uri): Promise<NotebookDocument> {
  const text = new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri));
  const parsed = parseNotebookText(text);
  if (!parsed.ok) throw new AuditLensError('data', `${uri.path.split('/').pop()} is not an Audit Lens notebook: ${parsed.reason}`);
  return parsed.value;
}

/** Asks where to save when the notebook has no file yet; returns the file written, or undefined. */
export async function saveNotebookAs(dialogs: Dialogs, doc: NotebookDocument, current?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const target = current ?? (await dialogs.showSaveDialog({ title: 'Save notebook', defaultUri: defaultUri(`${baseName(doc.title)}${NOTEBOOK_FILE_EXTENSION}`), filters: NOTEBOOK_FILTERS }));
  if (!target) return undefined;
  await writeNotebookFile(target, doc);
  return target;
}

export async function pickNotebookFile(dialogs: Dialogs): Promise<vscode.Uri | undefined> {
  const picked = await dialogs.showOpenDialog({ title: 'Open notebook', canSelectMany: false, filters: NOTEBOOK_FILTERS, defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri });
  return picked?.[0];
}

export async function exportDatabricks(dialogs: Dialogs, doc: NotebookDocument, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const uri = target ?? (await dialogs.showSaveDialog({ title: 'Export as a Databricks SQL notebook', defaultUri: defaultUri(`${baseName(doc.title)}.sql`), filters: { 'Databricks SQL notebook': ['sql'] } }));
  if (!uri) return undefined;
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(toDatabricksNotebook(doc)));
  return uri;
}
