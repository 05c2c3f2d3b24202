/** Shared by the host suite files: the extension's API, the fixture, and waiting for the editor. */
import * as vscode from 'vscode';
import type { AuditLensApi } from '../../../src/extension/extension';
import type { TreeNode } from '../../../src/extension/tree/nodes';
import { FIXTURE_ENV, type HostFixture } from '../fixtures';

export async function api(): Promise<AuditLensApi> {
  const extension = vscode.extensions.getExtension<AuditLensApi>('audit-lens.audit-lens');
  if (!extension) throw new Error('the extension is not loaded');
  return extension.activate();
}

export function fixture(): HostFixture {
  const raw = process.env[FIXTURE_ENV];
  if (!raw) throw new Error(`${FIXTURE_ENV} is not set: the suite runs from test/host/host.test.ts`);
  return JSON.parse(raw) as HostFixture;
}

/** Polls until `probe` returns a value (not undefined), or fails after `limitMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, limitMs = 20_000): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface ItemView {
  node: TreeNode;
  label: string;
  description: string;
}

export async function children(parent?: TreeNode): Promise<ItemView[]> {
  const { tree } = await api();
  const nodes = await tree.getChildren(parent);
  return nodes.map((node) => {
    const item = tree.getTreeItem(node);
    const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
    return { node, label, description: typeof item.description === 'string' ? item.description : '' };
  });
}

export async function childNamed(parent: TreeNode | undefined, label: string): Promise<ItemView> {
  const all = await children(parent);
  const found = all.find((c) => c.label === label);
  if (!found) throw new Error(`no child '${label}' among: ${all.map((c) => c.label).join(', ')}`);
  return found;
}

/** The text of every hover at a position, joined. */
export async function hoverText(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

/** The sample bucket shipped inside the extension under test (development folder or installed .vsix). */
export function sampleBucket(): string {
  const extension = vscode.extensions.getExtension('audit-lens.audit-lens');
  if (!extension) throw new Error('the extension is not loaded');
  return vscode.Uri.joinPath(extension.extensionUri, 'samples', 'bucket').fsPath;
}

/** Waits until a notebook's scope has loaded; fails at once if the load failed. */
export async function whenLoaded(panel: { scopeStatus: { state: string } }, what: string): Promise<void> {
  await waitFor(
    `${what} to load`,
    () => {
      if (panel.scopeStatus.state === 'error') throw new Error(`${what} failed to load: ${JSON.stringify(panel.scopeStatus)}`);
      return panel.scopeStatus.state === 'ready' ? true : undefined;
    },
    60_000,
  );
}

/** A point in what the extension has shown (notifications, quick picks, progress, status bar), for `shownSince`. */
export async function shownMark(): Promise<number> {
  return (await api()).shownTexts.at(-1)?.seq ?? 0;
}

/** Every text the extension handed to a notification, quick pick, progress or the status bar after `mark`. */
export async function shownSince(mark: number): Promise<{ surface: string; text: string }[]> {
  return (await api()).shownTexts.filter((t) => t.seq > mark);
}
