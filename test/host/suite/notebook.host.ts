/**
 * The query notebook in the real extension host: the panel opens scoped to a source, its webview
 * boots (it must say `ready` before the session loads), a cell runs end to end through the
 * validated message path and the worker, unknown messages are refused, raw lines open only inside
 * the scope, and notebooks save, reopen and export as Databricks SQL.
 */
import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { NotebookPanel } from '../../../src/extension/notebook';
import type { CellResult, HostMessage } from '../../../src/protocol/notebook';
import { api, fixture, waitFor } from './helpers';

async function openScoped(sources: string[]): Promise<NotebookPanel> {
  const panel = await vscode.commands.executeCommand<NotebookPanel>('auditLens.openNotebook', { sources });
  assert.ok(panel, 'the command returns the panel');
  return panel;
}

function resultOf(reply: HostMessage | undefined): CellResult {
  assert.ok(reply && reply.kind === 'reply', 'a reply');
  assert.ok(reply.ok, `the cell failed: ${reply.ok ? '' : reply.error.userMessage}`);
  return reply.result as CellResult;
}

describe('the query notebook', function () {
  this.timeout(90_000);
  let panel: NotebookPanel;

  before(async () => {
    panel = await openScoped([fixture().folderSource]);
    await waitFor('the webview to boot and the scope to load', () => (panel.scopeStatus.state === 'ready' ? true : panel.scopeStatus.state === 'error' ? assert.fail(JSON.stringify(panel.scopeStatus)) : undefined), 60_000);
  });

  after(() => panel?.dispose());

  it('opens the scope once the webview is ready, loading nothing until a cell asks', () => {
    assert.equal(panel.scopeStatus.state, 'ready');
    assert.equal(panel.loadedRows, 0);
    assert.equal(panel.panel.title, 'Audit Lens: logs');
  });

  it('runs a cell end to end: its slice loaded first, validated message, worker query, typed reply', async () => {
    const cellId = panel.document.cells[0]!.id;
    const reply = await panel.receive({ kind: 'request', id: 9001, method: 'runCell', params: { cellId, sql: "SELECT actionName, COUNT(*) AS n FROM audit_logs WHERE serviceName = \"clusters\" GROUP BY 1 ORDER BY 1" } });
    const result = resultOf(reply);
    assert.deepEqual(result.columns, ['actionName', 'n']);
    assert.deepEqual(result.rows, [['create', 2], ['delete', 1]]);
    await waitFor('the scope bar to say what is loaded', () => (panel.scopeStatus.state === 'ready' && panel.scopeStatus.summary.services?.includes('clusters') ? true : undefined), 10_000);
    assert.equal(panel.loadedRows, 3, 'only the clusters records');
  });

  it('runs a cell at the as-of instant the run carries, and its reply names the instant', async () => {
    const sql = 'SELECT current_timestamp() AS now, current_date() AS today, count(*) AS n FROM audit_logs WHERE serviceName = "clusters"';
    const pinned = resultOf(await panel.receive({ kind: 'request', id: 9010, method: 'runCell', params: { cellId: 'x', sql, asOf: { kind: 'instant', at: '2024-05-10T12:00:00Z' } } }));
    assert.deepEqual(pinned.rows, [['2024-05-10 12:00:00', '2024-05-10', 3]]);
    assert.equal(pinned.asOf, Date.parse('2024-05-10T12:00:00Z'));
    const end = resultOf(await panel.receive({ kind: 'request', id: 9011, method: 'runCell', params: { cellId: 'x', sql, asOf: { kind: 'scope-end' } } }));
    assert.ok(end.asOf !== undefined && end.asOf % 86_400_000 === 0, 'the end of scope is a midnight UTC');
    assert.equal(end.rows[0]![0], `${new Date(end.asOf).toISOString().slice(0, 10)} 00:00:00`);
    const before = Date.now();
    const now = resultOf(await panel.receive({ kind: 'request', id: 9012, method: 'runCell', params: { cellId: 'x', sql } }));
    assert.ok(now.asOf !== undefined && now.asOf >= before && now.asOf <= Date.now(), 'without a choice: the wall clock when the cell ran');
  });

  it('answers an SQL error with its position in the cell', async () => {
    const reply = await panel.receive({ kind: 'request', id: 9002, method: 'runCell', params: { cellId: 'x', sql: 'SELECT nope FROM audit_logs' } });
    assert.ok(reply?.kind === 'reply' && !reply.ok);
    assert.equal(reply.error.code, 'sql');
    assert.deepEqual(reply.error.position, { offset: 7, length: 4 });
  });

  it('refuses unknown and malformed messages without acting on them', async () => {
    const before = panel.rejected.length;
    assert.equal(await panel.receive({ kind: 'notify', method: 'executeCommand', params: { command: 'workbench.action.terminal.new' } }), undefined);
    assert.equal(await panel.receive({ kind: 'request', id: 1, method: 'runCell', params: { sql: 1 } }), undefined);
    assert.equal(panel.rejected.length, before + 2);
  });

  it('opens a raw line inside the scope and refuses one outside it', async () => {
    const rows = resultOf(await panel.receive({ kind: 'request', id: 9003, method: 'runCell', params: { cellId: 'x', sql: "SELECT _file, _line FROM audit_logs WHERE actionName = 'delete'" } })).rows;
    const [file, line] = rows[0] as [string, number];
    await panel.receive({ kind: 'notify', method: 'openRaw', params: { file, line } });
    const editor = await waitFor('the raw file to open', () => vscode.window.visibleTextEditors.find((e) => e.document.uri.fsPath === file));
    assert.equal(editor.selection.active.line, line - 1);
    assert.match(editor.document.lineAt(line - 1).text, /"actionName":"delete"/);
    const rejected = panel.rejected.length;
    await panel.receive({ kind: 'notify', method: 'openRaw', params: { file: path.join(os.homedir(), '.bashrc'), line: 1 } });
    assert.equal(panel.rejected.length, rejected + 1);
    // The webview cannot widen what may be opened by naming other sources in the document.
    const widened = { ...panel.document, scope: { ...panel.document.scope, sources: ['/'] } };
    await panel.receive({ kind: 'notify', method: 'documentChanged', params: { document: widened } });
    await panel.receive({ kind: 'notify', method: 'openRaw', params: { file: path.join(os.homedir(), '.bashrc'), line: 1 } });
    assert.equal(panel.rejected.length, rejected + 2);
    assert.ok(!vscode.window.visibleTextEditors.some((e) => e.document.uri.fsPath.endsWith('.bashrc')));
    await panel.receive({ kind: 'notify', method: 'documentChanged', params: { document: { ...widened, scope: { ...panel.document.scope, sources: [fixture().folderSource] } } } });
  });

  it('saves, reopens and exports the notebook as Databricks SQL', async () => {
    const folder = vscode.Uri.file(await import('node:fs/promises').then((fs) => fs.mkdtemp(path.join(os.tmpdir(), 'audit-lens-notebook-'))));
    const file = vscode.Uri.joinPath(folder, 'review.auditlens.json');
    panel.panel.reveal();
    await vscode.commands.executeCommand('auditLens.notebook.save', file);
    const saved = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(file))) as { version: number; scope: { sources: string[] }; cells: unknown[] };
    assert.equal(saved.version, 1);
    assert.deepEqual(saved.scope.sources, [fixture().folderSource]);
    const reopened = await vscode.commands.executeCommand<NotebookPanel>('auditLens.notebook.openFile', file);
    try {
      assert.deepEqual(reopened.document.cells, panel.document.cells);
      assert.equal(reopened.panel.title, 'Audit Lens: review.auditlens.json');
      const sql = vscode.Uri.joinPath(folder, 'review.sql');
      await vscode.commands.executeCommand('auditLens.notebook.exportDatabricks', sql);
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(sql));
      assert.match(text, /^-- Databricks notebook source\n/);
      assert.match(text, /-- COMMAND ----------\n\n(-- .*\n)?CREATE OR REPLACE TEMPORARY VIEW audit_logs USING json OPTIONS \(path '/);
    } finally {
      reopened.dispose();
    }
  });
  it('asks where to save and which notebook to open through the file dialogs', async () => {
    const { services } = await api();
    const folder = vscode.Uri.file(await import('node:fs/promises').then((fs) => fs.mkdtemp(path.join(os.tmpdir(), 'audit-lens-dialogs-'))));
    const file = vscode.Uri.joinPath(folder, 'asked.auditlens.json');
    panel.panel.reveal();
    await waitFor('the notebook to be active', () => (panel.panel.active ? true : undefined));
    await services.prompts.answerWith([{ kind: 'saveDialog', value: file }], () => vscode.commands.executeCommand('auditLens.notebook.saveAs'));
    assert.equal(panel.fileUri?.toString(), file.toString());
    assert.equal(panel.panel.title, 'Audit Lens: asked.auditlens.json');
    const reopened = await services.prompts.answerWith([{ kind: 'openDialog', value: [file] }], () => vscode.commands.executeCommand<NotebookPanel>('auditLens.notebook.openFile'));
    try {
      assert.deepEqual(reopened.document.cells, panel.document.cells);
      assert.deepEqual(reopened.document.scope, panel.document.scope);
    } finally {
      reopened.dispose();
      await vscode.workspace.fs.delete(folder, { recursive: true });
    }
  });
});
