import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, children } from './helpers';

const sources = () => vscode.workspace.getConfiguration('auditLens').get<string[]>('sources', []);

describe('managing sources', () => {
  it('adds a valid bucket to the user settings and shows it in the tree', async () => {
    const before = sources();
    const added = await vscode.commands.executeCommand<boolean>('auditLens.addBucket', 'gs://another-bucket/audit/');
    try {
      assert.equal(added, true);
      assert.deepEqual(sources(), [...before, 'gs://another-bucket/audit']);
      const roots = await children();
      assert.ok(roots.some((r) => r.label === 'another-bucket/audit'), roots.map((r) => r.label).join(', '));
      const { services } = await api();
      assert.deepEqual(services.settings.sources, sources());
    } finally {
      await vscode.commands.executeCommand('auditLens.removeSource', { kind: 'source', sourceUri: 'gs://another-bucket/audit' });
    }
    assert.deepEqual(sources(), before);
  });

  it('refuses an invalid bucket, a duplicate and a missing folder', async () => {
    const before = sources();
    assert.equal(await vscode.commands.executeCommand<boolean>('auditLens.addBucket', 'gs://Not_A_Bucket'), false);
    assert.equal(await vscode.commands.executeCommand<boolean>('auditLens.addBucket', before[1]), false);
    assert.equal(await vscode.commands.executeCommand<boolean>('auditLens.addFolder', '/no/such/folder/here'), false);
    assert.deepEqual(sources(), before);
  });
});
