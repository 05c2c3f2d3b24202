import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { WORKSPACE } from '../fixtures';
import { api, childNamed, children, fixture } from './helpers';

/** The same expectations hold for the folder and for the bucket: they hold the same files. */
function describeSource(kind: 'folder' | 'bucket', sourceUri: () => string, sourceLabel: () => string) {
  describe(`the tree over a ${kind}`, () => {
    it('lists the configured source with its workspaces, account level first', async () => {
      const roots = await children();
      const source = roots.find((r) => r.node.kind === 'source' && r.node.sourceUri === sourceUri());
      assert.ok(source, `source ${sourceUri()} among ${roots.map((r) => r.label).join(', ')}`);
      assert.equal(source.label, sourceLabel());
      const workspaces = await children(source.node);
      assert.deepEqual(workspaces.map((w) => w.label), ['Account level', WORKSPACE]);
    });

    it('lists dates newest first and counts events and errors per service and action', async () => {
      const source = await childNamed(undefined, sourceLabel());
      const workspace = await childNamed(source.node, WORKSPACE);
      const dates = await children(workspace.node);
      assert.deepEqual(dates.map((d) => d.label), ['2024-05-02', '2024-05-01']);
      const services = await children(dates[1]!.node);
      assert.deepEqual(services.map((s) => [s.label, s.description]), [['clusters', '3 events · 1 error']]);
      const actions = await children(services[0]!.node);
      assert.deepEqual(actions.map((a) => [a.label, a.description]), [['create', '2 events · 1 error'], ['delete', '1 event']]);
      const { tree } = await api();
      assert.equal(tree.getTreeItem(dates[1]!.node).description, '3 events · 1 error · 2 files');
    });

    it('counts account-level events under workspace 0', async () => {
      const source = await childNamed(undefined, sourceLabel());
      const account = await childNamed(source.node, 'Account level');
      const [date] = await children(account.node);
      assert.equal(date?.label, '2024-05-01');
      const services = await children(date!.node);
      assert.deepEqual(services.map((s) => [s.label, s.description]), [['accounts', '2 events · 1 error']]);
    });

    it('filters dates by a range and clears it', async () => {
      const source = await childNamed(undefined, sourceLabel());
      await vscode.commands.executeCommand('auditLens.setDateRange', '2024-05-02..2024-05-31');
      try {
        const workspaces = await children(source.node);
        assert.deepEqual(workspaces.map((w) => w.label), ['Account level', WORKSPACE]);
        const dates = await children(workspaces[1]!.node);
        assert.deepEqual(dates.map((d) => d.label), ['2024-05-02']);
        const accountDates = await children(workspaces[0]!.node);
        assert.deepEqual(accountDates.map((d) => d.label), ['No dates in the date range']);
      } finally {
        await vscode.commands.executeCommand('auditLens.clearDateRange');
      }
      const workspace = await childNamed(source.node, WORKSPACE);
      assert.equal((await children(workspace.node)).length, 2);
    });
  });
}

describeSource('folder', () => fixture().folderSource, () => fixture().folderSource.split(/[\\/]/).pop()!);
describeSource('bucket', () => fixture().gcsSource, () => fixture().gcsSource.slice('gs://'.length));
