/** Editor URIs and display URIs of audit files and tree nodes. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { datePrefix, workspacePrefix } from '../core/layout';
import type { AuditFile } from '../core/sources';
import type { TreeNode } from './tree/nodes';

/** The URI an editor opens for a file: gs:// objects go through the gs: file system. */
export function editorUriOf(file: Pick<AuditFile, 'uri'>): vscode.Uri {
  return /^gs:\/\//i.test(file.uri) ? vscode.Uri.parse(file.uri, true) : vscode.Uri.file(file.uri);
}

/** The gs:// URI (or folder path) that a node stands for, as a user would paste it. */
export function locationOf(node: TreeNode): string | undefined {
  if (node.kind === 'message') return undefined;
  const isGcs = /^gs:\/\//i.test(node.sourceUri);
  const root = node.sourceUri.replace(/\/+$/, '');
  if (node.kind === 'source') return root;
  const relative =
    node.kind === 'workspace' || node.kind === 'month' ? workspacePrefix('', node.workspaceId) : datePrefix('', node.workspaceId, node.date);
  return isGcs ? `${root}/${relative}` : path.join(root, relative);
}
