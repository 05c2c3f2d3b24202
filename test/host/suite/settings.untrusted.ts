/**
 * Run by the harness in a folder opened in restricted mode (workspace trust on, never granted),
 * whose own .vscode/settings.json names other sources and another GCS endpoint: the extension
 * activates, ignores both, and reads the user's sources through the user's endpoint.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { readSettings } from '../../../src/extension/settings';
import { UNTRUSTED_WORKSPACE_SETTINGS } from '../fixtures';
import { api, childNamed, children, fixture } from './helpers';

const config = () => vscode.workspace.getConfiguration('auditLens');

describe('an untrusted workspace', () => {
  it('is open in restricted mode, with the extension active', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    const { services } = await api();
    assert.ok(services.log);
  });

  it('sets its own sources and endpoint in its settings, which VS Code reads', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder);
    const file = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder, '.vscode', 'settings.json')))) as unknown;
    assert.deepEqual(file, UNTRUSTED_WORKSPACE_SETTINGS);
    assert.equal(config().inspect('rowBudget')?.workspaceValue, UNTRUSTED_WORKSPACE_SETTINGS['auditLens.rowBudget']);
    const { services } = await api();
    assert.equal(services.settings.rowBudget, UNTRUSTED_WORKSPACE_SETTINGS['auditLens.rowBudget'], 'a setting that is not restricted follows the workspace');
  });

  it('has the extension use only the user’s sources and endpoint', async () => {
    const { services } = await api();
    assert.deepEqual(services.settings.sources, [fixture().folderSource, fixture().gcsSource]);
    assert.equal(services.settings.gcsEndpoint, fixture().gcsEndpoint);
    assert.deepEqual(readSettings(), services.settings);
  });

  it('lists the user’s sources in the tree and reads the bucket through the user’s endpoint', async () => {
    const roots = await children();
    assert.deepEqual(roots.map((r) => r.label), ['logs', fixture().gcsSource.slice('gs://'.length)]);
    const bucket = await childNamed(undefined, fixture().gcsSource.slice('gs://'.length));
    assert.deepEqual((await children(bucket.node)).map((w) => w.label), ['Account level', '1234567890123456789']);
  });
});
