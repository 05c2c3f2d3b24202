/**
 * The settings module's own trust rule: an untrusted workspace's `auditLens.sources` and
 * `auditLens.gcsEndpoint` are ignored while the user's apply. settings.untrusted.ts proves it end to
 * end in a folder opened in restricted mode, where VS Code also withholds the declared restricted
 * settings; here, in a trusted window, the module is read both ways over the real configuration
 * API with real workspace-level values, so its rule is checked on its own.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { readSettings } from '../../../src/extension/settings';
import { api, fixture, waitFor } from './helpers';

const config = () => vscode.workspace.getConfiguration('auditLens');

describe('settings and workspace trust', () => {
  const workspaceSources = ['gs://workspace-chosen-bucket/logs'];
  const workspaceEndpoint = 'http://127.0.0.1:9/workspace-chosen-endpoint';

  before(async () => {
    await config().update('sources', workspaceSources, vscode.ConfigurationTarget.Workspace);
    await config().update('gcsEndpoint', workspaceEndpoint, vscode.ConfigurationTarget.Workspace);
    await config().update('rowBudget', 123_000, vscode.ConfigurationTarget.Workspace);
  });

  after(async () => {
    for (const key of ['sources', 'gcsEndpoint', 'rowBudget']) await config().update(key, undefined, vscode.ConfigurationTarget.Workspace);
    const { services } = await api();
    await waitFor('the user settings to apply again', () => (services.settings.gcsEndpoint === fixture().gcsEndpoint ? true : undefined));
  });

  it('declares the restricted settings to VS Code, so it activates in restricted mode with them withheld', () => {
    const extension = vscode.extensions.getExtension('audit-lens.audit-lens')!;
    const untrusted = (extension.packageJSON as { capabilities: { untrustedWorkspaces: { supported: string; restrictedConfigurations: string[] } } }).capabilities.untrustedWorkspaces;
    assert.equal(untrusted.supported, 'limited');
    assert.deepEqual([...untrusted.restrictedConfigurations].sort(), ['auditLens.databricks.host', 'auditLens.databricks.profile', 'auditLens.detectionPacks', 'auditLens.detectionParameters', 'auditLens.gcsEndpoint', 'auditLens.sources']);
  });

  it('ignores the workspace’s sources and endpoint when untrusted, and keeps the user’s', () => {
    const inspected = config().inspect<string[]>('sources');
    assert.deepEqual(inspected?.workspaceValue, workspaceSources, 'the workspace really sets its own sources');
    const settings = readSettings(false);
    assert.deepEqual(settings.sources, [fixture().folderSource, fixture().gcsSource]);
    assert.equal(settings.gcsEndpoint, fixture().gcsEndpoint);
    assert.equal(settings.rowBudget, 123_000, 'settings that are not restricted still follow the workspace');
  });

  it('follows the workspace’s settings when trusted, as this window is', async () => {
    assert.equal(vscode.workspace.isTrusted, true);
    const settings = readSettings(true);
    assert.deepEqual(settings.sources, workspaceSources);
    assert.equal(settings.gcsEndpoint, workspaceEndpoint);
    const { services } = await api();
    await waitFor('the running extension to follow', () => (services.settings.gcsEndpoint === workspaceEndpoint ? true : undefined));
    assert.deepEqual(services.settings.sources, workspaceSources);
  });
});
