/**
 * The query notebook over the bundled sample bucket, as issue 6's "done when" puts it: every
 * library entry (examples and detections) added as a cell and run by the webview's own Run all,
 * a 100,000-row result exported to CSV through the extension's export path (only the save
 * dialog's answer is scripted), the events-over-time chart data, the tab titles that tell two
 * notebooks apart, the status bar's loaded rows, and a raw line opened from a gs:// source.
 */
import * as assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { analyses } from '../../../src/core/analyses';
import { emptyNotebook } from '../../../src/shared/notebook/format';
import type { NotebookPanel } from '../../../src/extension/notebook';
import type { CellResult, ExportOutcome, HistogramBucket, HostMessage } from '../../../src/protocol/notebook';
import { api, fixture, sampleBucket, waitFor, whenLoaded } from './helpers';

let requestId = 20_000;

async function request<T>(panel: NotebookPanel, method: 'runCell' | 'histogram' | 'exportResult', params: object): Promise<T> {
  requestId += 1;
  const reply: HostMessage | undefined = await panel.receive({ kind: 'request', id: requestId, method, params });
  assert.ok(reply && reply.kind === 'reply', `a reply to ${method}`);
  assert.ok(reply.ok, `${method} failed: ${reply.ok ? '' : `${reply.error.userMessage} ${reply.error.detail ?? ''}`}`);
  return reply.result as T;
}

const statusText = (rows: number) => `$(database) ${rows.toLocaleString('en-US')} rows`;

describe('the query notebook over the sample bucket', function () {
  this.timeout(120_000);
  let library: NotebookPanel;

  before(async () => {
    const { notebooks } = await api();
    const doc = emptyNotebook({ sources: [sampleBucket()] });
    doc.title = 'Every library entry';
    doc.cells = analyses.map((a, i) => ({ id: `lib-${i}`, title: a.title, sql: a.sql, analysisId: a.id }));
    library = notebooks.openDocument(doc);
    await whenLoaded(library, 'the sample bucket');
  });

  after(() => library?.dispose());

  it('runs every example and detection through the webview’s Run all, each without error', async () => {
    assert.ok(analyses.filter((a) => a.category === 'example').length >= 3 && analyses.filter((a) => a.category === 'detection').length >= 20);
    library.panel.reveal();
    await vscode.commands.executeCommand('auditLens.notebook.runAll');
    const cells = library.document.cells;
    await waitFor('every cell to finish', () => (cells.every((c) => library.cellOutcomes.has(c.id)) ? true : undefined), 100_000);
    const failed = cells.flatMap((c) => {
      const outcome = library.cellOutcomes.get(c.id)!;
      return outcome.ok ? [] : [`${c.title}: ${outcome.error.userMessage}`];
    });
    assert.deepEqual(failed, []);
    for (const example of cells.filter((c) => analyses.find((a) => a.id === c.analysisId)?.category === 'example')) {
      const outcome = library.cellOutcomes.get(example.id)!;
      assert.ok(outcome.ok && outcome.rowCount > 0, `the example '${example.title}' finds rows in the sample`);
    }
  });

  it('shows the session’s loaded rows in the status bar', async () => {
    const { notebooks } = await api();
    const [[count]] = (await request<CellResult>(library, 'runCell', { cellId: 'count', sql: 'SELECT COUNT(*) FROM audit_logs' })).rows as [[number]];
    assert.ok(count > 1000, `the sample holds ${count} records`);
    assert.equal(library.loadedRows, count);
    library.panel.reveal();
    await waitFor('the status bar to show the rows', () => (notebooks.statusBar.text === statusText(count) ? true : undefined));
  });

  it('answers the events-over-time chart with every loaded record, per day and service', async () => {
    const buckets = await request<HistogramBucket[]>(library, 'histogram', {});
    assert.ok(buckets.length > 1);
    assert.equal(buckets.reduce((sum, b) => sum + b.count, 0), library.loadedRows);
    assert.ok(buckets.every((b) => /^\d{4}-\d{2}-\d{2}$/.test(b.date) && b.serviceName !== '' && b.count > 0));
  });

  it('exports a 100,000-row result to CSV, whole, into the file the save dialog names', async () => {
    const { services } = await api();
    const folder = await mkdtemp(path.join(os.tmpdir(), 'audit-lens-export-'));
    const target = vscode.Uri.file(path.join(folder, 'numbers.csv'));
    const sql = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)\nSELECT i, 'row ' || i AS label FROM n";
    try {
      const outcome = await services.prompts.answerWith([{ kind: 'saveDialog', value: target }], () =>
        request<ExportOutcome>(library, 'exportResult', { cellId: library.document.cells[0]!.id, sql, format: 'csv' }),
      );
      const { asOf, ...saved } = outcome;
      assert.deepEqual(saved, { saved: true, rowCount: 100_000, fileName: 'numbers.csv' });
      assert.ok(typeof asOf === 'number' && asOf <= Date.now(), 'the export names the instant it answered at');
      assert.equal(services.prompts.asked.at(-1)?.title, 'Export the whole result as CSV');
      const lines = (await readFile(target.fsPath, 'utf8')).split(/\r?\n/);
      if (lines.at(-1) === '') lines.pop();
      assert.equal(lines.length, 100_001);
      assert.deepEqual([lines[0], lines[1], lines[100_000]], ['i,label', '1,row 1', '100000,row 100000']);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('writes nothing when the save dialog is dismissed', async () => {
    const { services } = await api();
    const outcome = await services.prompts.answerWith([{ kind: 'saveDialog', value: undefined }], () =>
      request<ExportOutcome>(library, 'exportResult', { cellId: library.document.cells[0]!.id, sql: 'SELECT 1', format: 'json' }),
    );
    assert.deepEqual(outcome, { saved: false });
  });

  describe('beside a notebook on the GCS test server', () => {
    let gcs: NotebookPanel;

    before(async () => {
      gcs = await vscode.commands.executeCommand<NotebookPanel>('auditLens.openNotebook', { sources: [fixture().gcsSource], from: '2024-05-01', to: '2024-05-02' });
      await whenLoaded(gcs, 'the gs:// notebook');
    });

    after(() => gcs?.dispose());

    it('titles each tab with its scope, so the two can be told apart', () => {
      assert.equal(gcs.panel.title, `Audit Lens: ${fixture().gcsSource} · 2024-05-01…2024-05-02`);
      assert.equal(library.panel.title, 'Audit Lens: bucket');
    });

    it('keeps the status bar on the active notebook’s rows', async () => {
      const { notebooks } = await api();
      assert.equal(gcs.loadedRows, 0, 'a notebook loads nothing until a cell asks');
      await request<CellResult>(gcs, 'runCell', { cellId: 'all', sql: 'SELECT COUNT(*) FROM audit_logs' });
      assert.equal(gcs.loadedRows, 6);
      gcs.panel.reveal();
      await waitFor('the gs:// notebook’s rows', () => (notebooks.statusBar.text === statusText(6) ? true : undefined));
      library.panel.reveal();
      await waitFor('the library notebook’s rows', () => (notebooks.statusBar.text === statusText(library.loadedRows) ? true : undefined));
    });

    it('opens a result row’s raw line in the gs: document, at that line', async () => {
      const { rows } = await request<CellResult>(gcs, 'runCell', { cellId: 'raw', sql: "SELECT _file, _line FROM audit_logs WHERE actionName = 'delete'" });
      const [file, line] = rows[0] as [string, number];
      assert.match(file, /^gs:\/\/audit-bucket\/delivery\/logs\/workspaceId=\d+\/date=2024-05-01\/auditlogs_ws-2\.json$/);
      await gcs.receive({ kind: 'notify', method: 'openRaw', params: { file, line } });
      const editor = await waitFor('the gs: document to open', () => vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === 'gs' && e.document.uri.path.endsWith('/auditlogs_ws-2.json')));
      assert.equal(editor.document.uri.toString(), vscode.Uri.parse(file).toString());
      assert.equal(editor.selection.active.line, line - 1);
      assert.match(editor.document.lineAt(line - 1).text, /"actionName":"delete"/);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    });
  });
});
