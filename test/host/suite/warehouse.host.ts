/**
 * A notebook on the Databricks engine in the real extension host, against the Statement Execution
 * API test server: a new notebook starts with the seed's analyses, the engine switches from the
 * scope bar keeping the cells, the token goes into SecretStorage (never settings), cells answer
 * across several chunks with pages streamed to the webview, exports stream every chunk, and a
 * failed statement or a wrong token comes back explained.
 */
import * as assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { exampleAnalyses, eventsByService } from '../../../src/core/analyses';
import type { NotebookPanel } from '../../../src/extension/notebook';
import { readDatabricksSettings } from '../../../src/extension/settings';
import type { CellResult, ExportOutcome, HostMessage } from '../../../src/protocol/notebook';
import { api, fixture, waitFor } from './helpers';

let requestId = 40_000;

async function send(panel: NotebookPanel, method: 'runCell' | 'exportResult', params: object): Promise<HostMessage & { kind: 'reply' }> {
  requestId += 1;
  const reply = await panel.receive({ kind: 'request', id: requestId, method, params });
  assert.ok(reply && reply.kind === 'reply', `a reply to ${method}`);
  return reply;
}

async function rows(panel: NotebookPanel, sql: string): Promise<CellResult> {
  const reply = await send(panel, 'runCell', { cellId: 'w', sql });
  assert.ok(reply.ok, `the cell failed: ${reply.ok ? '' : `${reply.error.userMessage} ${reply.error.detail ?? ''}`}`);
  return reply.result as CellResult;
}

describe('a notebook on a Databricks SQL warehouse', function () {
  this.timeout(90_000);
  const { databricks } = fixture();
  let panel: NotebookPanel;
  const config = () => vscode.workspace.getConfiguration('auditLens');

  before(async () => {
    const { services } = await api();
    await config().update('databricks.host', databricks.host, vscode.ConfigurationTarget.Global);
    await config().update('databricks.warehouseId', databricks.warehouseId, vscode.ConfigurationTarget.Global);
    await services.prompts.answerWith([{ kind: 'inputBox', value: databricks.token }], () => vscode.commands.executeCommand('auditLens.databricks.setToken'));
    panel = await vscode.commands.executeCommand<NotebookPanel>('auditLens.openNotebook', { sources: [databricks.source] });
  });

  after(async () => {
    panel?.dispose();
    await config().update('databricks.host', undefined, vscode.ConfigurationTarget.Global);
    await config().update('databricks.warehouseId', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('auditLens.databricks.clearToken');
  });

  it("opens with Databricks' three example analyses and the events-by-service cell", () => {
    assert.deepEqual(
      panel.document.cells.map((c) => [c.analysisId, c.title, c.sql]),
      [...exampleAnalyses, eventsByService].map((a) => [a.id, a.title, a.sql]),
    );
  });

  it('keeps the token out of settings', () => {
    const everything = JSON.stringify(config());
    assert.doesNotMatch(everything, new RegExp(databricks.token));
  });

  it('switches to the warehouse from the scope bar, keeping the cells', async () => {
    const cells = panel.document.cells.map((c) => c.id);
    await panel.receive({ kind: 'notify', method: 'setEngine', params: { engine: 'databricks' } });
    await waitFor('the remote status', () => (panel.scopeStatus.state === 'remote' ? true : panel.scopeStatus.state === 'error' ? assert.fail(JSON.stringify(panel.scopeStatus)) : undefined));
    assert.equal(panel.engineView.engine, 'databricks');
    assert.equal(panel.engineView.databricksConfigured, true);
    assert.match(panel.scopeStatus.state === 'remote' ? panel.scopeStatus.message : '', new RegExp(`warehouse ${databricks.warehouseId} at 127\\.0\\.0\\.1`));
    assert.deepEqual(panel.document.cells.map((c) => c.id), cells);
  });

  it("answers the seed's questions on the warehouse, across several chunks", async () => {
    const logins = await rows(panel, exampleAnalyses[0]!.sql);
    assert.equal(logins.rowCount, 6);
    assert.deepEqual(logins.columns, ['email', 'sourceIPAddress']);
    const versions = await rows(panel, exampleAnalyses[1]!.sql);
    assert.deepEqual(versions.rows.map((r) => r[1]).sort(), [3, 3]);
    const tables = await rows(panel, exampleAnalyses[2]!.sql);
    assert.equal(tables.rowCount, 6);
    assert.ok(tables.columns.includes('_file'));
  });

  it('shows a cut result as N of M, and sorts it in the engine', async () => {
    const reply = await send(panel, 'runCell', { cellId: 'w', sql: 'SELECT requestId, timestamp FROM audit_logs', sort: { column: 1, direction: 'desc' } });
    assert.ok(reply.ok);
    const result = reply.result as CellResult;
    assert.equal(result.rowCount, 30);
    const times = result.rows.map((r) => r[1] as number);
    assert.deepEqual(times, [...times].sort((a, b) => b - a));
  });

  it('exports every chunk of a result to a file', async () => {
    const { services } = await api();
    const folder = await mkdtemp(path.join(os.tmpdir(), 'audit-lens-wh-export-'));
    try {
      const target = vscode.Uri.file(path.join(folder, 'all.csv'));
      const reply = await services.prompts.answerWith([{ kind: 'saveDialog', value: target }], () => send(panel, 'exportResult', { cellId: panel.document.cells[2]!.id, sql: 'SELECT requestId FROM audit_logs', format: 'csv' }));
      assert.ok(reply.ok, reply.ok ? '' : reply.error.userMessage);
      assert.equal((reply.result as ExportOutcome).rowCount, 30);
      assert.equal((await readFile(target.fsPath, 'utf8')).trim().split('\n').length, 31);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it("explains a FAILED statement with the warehouse's message", async () => {
    const reply = await send(panel, 'runCell', { cellId: 'w', sql: 'SELECT FROM WHERE audit_logs' });
    assert.ok(!reply.ok);
    assert.equal(reply.error.code, 'sql');
    assert.match(reply.error.userMessage, /failed on the warehouse/);
  });

  it('explains a token the warehouse refuses', async () => {
    const { services } = await api();
    await services.prompts.answerWith([{ kind: 'inputBox', value: 'dapi-not-valid' }], () => vscode.commands.executeCommand('auditLens.databricks.setToken'));
    try {
      const reply = await send(panel, 'runCell', { cellId: 'w', sql: 'SELECT 1 FROM audit_logs' });
      assert.ok(!reply.ok);
      assert.equal(reply.error.code, 'no-credentials');
      assert.match(reply.error.userMessage, /HTTP 401/);
    } finally {
      await services.prompts.answerWith([{ kind: 'inputBox', value: databricks.token }], () => vscode.commands.executeCommand('auditLens.databricks.setToken'));
    }
  });

  it("ignores an untrusted workspace's Databricks host, so it cannot send the token elsewhere", async () => {
    await config().update('databricks.host', 'https://attacker.example.com', vscode.ConfigurationTarget.Workspace);
    try {
      assert.equal(readDatabricksSettings(false).host, databricks.host);
      assert.equal(readDatabricksSettings(true).host, 'https://attacker.example.com');
      assert.equal(readDatabricksSettings(false).warehouseId, databricks.warehouseId);
    } finally {
      await config().update('databricks.host', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('switches back to local, keeping the cells', async () => {
    await panel.receive({ kind: 'notify', method: 'setEngine', params: { engine: 'local' } });
    assert.equal(panel.engineView.engine, 'local');
    assert.equal(panel.document.cells.length, 4);
  });
});
