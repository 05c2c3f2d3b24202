import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { nodeId } from '../../../src/extension/tree/nodes';
import { WORKSPACE } from '../fixtures';
import { api, fixture } from './helpers';
import { click, SELECTORS, whenRendered } from './workbench';

/**
 * A refresh of a row makes VS Code re-create its children; a child expanded meanwhile was not
 * found ("No tree item with id …") and stayed empty. Expanding a workspace and then one of its
 * dates at once, in the real view, must show the date's services and refresh neither row while
 * it is expanded; the date's own counts appear once it collapses.
 */
describe('expanding a workspace and then its date at once', () => {
  const source = () => fixture().expansionGcsSource;

  before(async () => {
    assert.equal(await vscode.commands.executeCommand<boolean>('auditLens.addBucket', source()), true);
    await vscode.commands.executeCommand('auditLens.sources.focus');
    await vscode.commands.executeCommand('workbench.actions.treeView.auditLens.sources.collapseAll');
  });

  after(async () => {
    await vscode.commands.executeCommand('auditLens.removeSource', { kind: 'source', sourceUri: source() });
  });

  it('shows the date’s services, refreshes neither row while expanded, and shows the date’s counts once it collapses', async () => {
    const { tree } = await api();
    const workspaceId = nodeId({ kind: 'workspace', sourceUri: source(), workspaceId: WORKSPACE });
    const dateId = nodeId({ kind: 'date', sourceUri: source(), workspaceId: WORKSPACE, date: '2024-05-01' });
    const refreshed: string[] = [];
    const listening = tree.onDidChangeTreeData((node) => refreshed.push(node ? nodeId(node) : 'everything'));
    try {
      const label = source().slice('gs://'.length);
      await whenRendered(SELECTORS.treeRows, label);
      await click(SELECTORS.treeRows, label);
      await whenRendered(SELECTORS.treeRows, WORKSPACE);
      await click(SELECTORS.treeRows, WORKSPACE);
      await whenRendered(SELECTORS.treeRows, '2024-05-01');
      await click(SELECTORS.treeRows, '2024-05-01');
      const rows = await whenRendered(SELECTORS.treeRows, '3 events · 1 error');
      assert.ok(rows.some((r) => r.text.includes('clusters')), `the date's services: ${rows.map((r) => r.text).join(' | ')}`);
      assert.deepEqual(refreshed.filter((id) => id === workspaceId || id === dateId), [], 'no refresh of an expanded row');

      await click(SELECTORS.treeRows, '2024-05-01');
      await whenRendered(SELECTORS.treeRows, '3 events · 1 error · 2 files');
      assert.deepEqual(refreshed.filter((id) => id === dateId), [dateId], 'the collapsed date is refreshed once, for its counts');
    } finally {
      listening.dispose();
    }
  });
});
