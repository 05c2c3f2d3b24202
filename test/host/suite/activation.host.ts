import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api } from './helpers';

describe('activation', () => {
  it('activates and returns the API the suite drives', async () => {
    const extension = vscode.extensions.getExtension('audit-lens.audit-lens');
    assert.ok(extension, 'the extension under test is loaded');
    const audit = await api();
    assert.ok(audit.tree);
    assert.ok(audit.services.log);
    assert.equal(extension.isActive, true);
  });

  it('contributes its commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['auditLens.addBucket', 'auditLens.addFolder', 'auditLens.openSample', 'auditLens.setDateRange', 'auditLens.validate', 'auditLens.copyUri']) {
      assert.ok(commands.includes(id), `${id} is registered`);
    }
  });
});
