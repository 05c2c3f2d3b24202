import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

describe('activation', () => {
  it('activates the extension and returns its API', async () => {
    const extension = vscode.extensions.getExtension('audit-lens.audit-lens');
    assert.ok(extension, 'the extension under development is loaded');
    const api = await extension.activate();
    assert.equal(api.ready, true);
  });
});
