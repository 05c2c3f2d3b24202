/**
 * Run by the harness in a folder opened in restricted mode (workspace trust on, never granted),
 * whose own .vscode/settings.json names other sources and another GCS endpoint: the extension
 * activates, ignores both, and reads the user's sources through the user's endpoint.
 */
import * as assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { emptyNotebook, serializeNotebook } from '../../../src/shared/notebook/format';
import type { NotebookPanel } from '../../../src/extension/notebook';
import { readSettings } from '../../../src/extension/settings';
import { UNTRUSTED_WORKSPACE_SETTINGS } from '../fixtures';
import { api, childNamed, children, fixture, sampleBucket, waitFor, whenLoaded } from './helpers';

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

  it('asks before a notebook file loads sources the user did not configure, and loads nothing when told no', async () => {
    const { services } = await api();
    const folder = await mkdtemp(path.join(os.tmpdir(), 'audit-lens-untrusted-notebook-'));
    const file = path.join(folder, 'shared.auditlens.json');
    const doc = emptyNotebook({ sources: [sampleBucket()] });
    doc.cells.push({ id: 'c1', title: 'count', sql: 'SELECT count(*) FROM audit_logs' });
    await writeFile(file, serializeNotebook(doc));
    const panel = await services.prompts.answerWith([{ kind: 'warning', value: undefined }], async () => {
      const opened = await vscode.commands.executeCommand<NotebookPanel>('auditLens.notebook.openFile', vscode.Uri.file(file));
      await waitFor('the load to be declined', () => (opened.scopeStatus.state === 'error' ? true : undefined));
      return opened;
    });
    try {
      assert.equal(services.prompts.asked.at(-1)?.title, 'Load the audit logs this notebook names?');
      assert.equal(panel.loadedRows, 0);
      assert.match(JSON.stringify(panel.scopeStatus), /declined/);
      await services.prompts.answerWith([{ kind: 'warning', value: 'Load' }], () => panel.reload());
      await whenLoaded(panel, 'the allowed notebook');
      assert.ok(panel.loadedRows > 0);
      // Allowed once for this panel: a reload does not ask again (an unexpected prompt would fail here).
      await services.prompts.answerWith([], () => panel.reload());
    } finally {
      panel.dispose();
      await rm(folder, { recursive: true, force: true });
    }
  });
});
