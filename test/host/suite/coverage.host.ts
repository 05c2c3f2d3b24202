/**
 * The Coverage view in a real VS Code: Show Coverage on a source node (a folder, and a bucket on the
 * GCS test server) and on a workspace node opens a panel whose webview boots and whose heatmap
 * counts every event of the files (checked with JSON.parse); a cell opens its files, only ones the
 * pass read; messages that are not the protocol's are refused.
 */
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CoveragePanel } from '../../../src/extension/coverage';
import type { CoverageView } from '../../../src/protocol/coverage';
import { api, fixture, waitFor } from './helpers';

/** Every audit file under a folder and the UTC day of each event in it, read here with JSON.parse. */
function filesUnder(folder: string): { file: string; workspaceId: string; days: string[] }[] {
  const out: { file: string; workspaceId: string; days: string[] }[] = [];
  for (const name of readdirSync(folder)) {
    const full = path.join(folder, name);
    if (statSync(full).isDirectory()) out.push(...filesUnder(full));
    else if (/^auditlogs_.*\.json$/.test(name)) {
      const days = readFileSync(full, 'utf8')
        .split('\n')
        .filter((t) => t.trim() !== '')
        .map((t) => (JSON.parse(t) as { timestamp: number }).timestamp)
        .map((ms) => new Date(ms).toISOString().slice(0, 10));
      out.push({ file: full, workspaceId: /workspaceId=(\d+)/.exec(full)![1]!, days });
    }
  }
  return out;
}

async function whenShown(panel: CoveragePanel): Promise<CoverageView> {
  return waitFor(
    'the coverage to load',
    () => {
      const status = panel.status;
      if (status.state === 'error') throw new Error(`the coverage failed: ${JSON.stringify(status)}`);
      return status.state === 'ready' && panel.webviewReady ? status.view : undefined;
    },
    60_000,
  );
}

describe('the Coverage view', function () {
  this.timeout(120_000);
  let panel: CoveragePanel;
  let view: CoverageView;

  before(async () => {
    const opened = await vscode.commands.executeCommand<CoveragePanel>('auditLens.showCoverage', { kind: 'source', sourceUri: fixture().folderSource });
    assert.ok(opened, 'the command returns the panel');
    panel = opened;
    view = await whenShown(panel);
  });

  after(async () => {
    for (const p of [...(await api()).coverage.panels]) p.dispose();
  });

  it("opens from a source node and counts every event of the source's files, per workspace and day", () => {
    assert.match(panel.panel.title, /^Coverage: /);
    const files = filesUnder(fixture().folderSource);
    assert.equal(view.summary.files, files.length);
    assert.equal(view.summary.events, files.reduce((sum, f) => sum + f.days.length, 0));
    for (const row of view.rows) {
      for (const day of row.days) {
        const expected = files.filter((f) => f.workspaceId === row.workspaceId).reduce((sum, f) => sum + f.days.filter((d) => d === day.date).length, 0);
        assert.equal(day.events, expected, `workspace ${row.workspaceId} on ${day.date}`);
      }
    }
    assert.deepEqual(view.rows.map((r) => r.workspaceId), [...new Set(files.map((f) => f.workspaceId))].sort((a, b) => a.length - b.length || (a < b ? -1 : 1)));
  });

  it('opens the file behind an hour cell, and refuses cells and messages that hold no file it read', async () => {
    const row = view.rows.find((r) => r.days.some((d) => d.hourFiles.some((n) => n === 1)))!;
    const day = row.days.find((d) => d.hourFiles.some((n) => n === 1))!;
    const hour = day.hourFiles.indexOf(1);
    await panel.receive({ kind: 'notify', method: 'openFiles', params: { workspaceId: row.workspaceId, date: day.date, hour } });
    const opened = panel.opened.at(-1);
    assert.ok(opened && opened.startsWith(fixture().folderSource), `a file of the source opened (${opened})`);
    await waitFor('the file to show', () => vscode.window.visibleTextEditors.find((e) => e.document.uri.fsPath === opened));

    const rejected = panel.rejected.length;
    const openedBefore = panel.opened.length;
    await panel.receive({ kind: 'notify', method: 'openFiles', params: { workspaceId: row.workspaceId, date: '1999-01-01' } });
    await panel.receive({ kind: 'notify', method: 'openFiles', params: { workspaceId: '../..', date: day.date } });
    await panel.receive({ kind: 'notify', method: 'openRaw', params: { file: path.join(os.homedir(), '.bashrc'), line: 1 } });
    assert.equal(panel.rejected.length, rejected + 3);
    assert.equal(panel.opened.length, openedBefore);
  });

  it('asks which file when a day holds several', async () => {
    const { services } = await api();
    const row = view.rows.find((r) => r.days.some((d) => d.files > 1));
    assert.ok(row, 'the fixture has a day in two files');
    const day = row.days.find((d) => d.files > 1)!;
    const before = panel.opened.length;
    await services.prompts.answerWith([{ kind: 'quickPick', value: undefined }], () => panel.receive({ kind: 'notify', method: 'openFiles', params: { workspaceId: row.workspaceId, date: day.date } }));
    assert.equal(panel.opened.length, before, 'Escape opens nothing');
    assert.match(services.prompts.asked.at(-1)?.title ?? '', new RegExp(`Open which file of workspace ${row.workspaceId}, ${day.date}\\?`));
  });

  it('opens from a workspace node over that workspace only, and over a bucket on the GCS server', async () => {
    const { coverage } = await api();
    const workspaceId = view.rows.at(-1)!.workspaceId;
    const one = await vscode.commands.executeCommand<CoveragePanel>('auditLens.showCoverage', { kind: 'workspace', sourceUri: fixture().folderSource, workspaceId });
    assert.deepEqual(one?.scope.workspaces, [workspaceId]);
    assert.deepEqual((await whenShown(one!)).rows.map((r) => r.workspaceId), [workspaceId]);
    const gcs = await vscode.commands.executeCommand<CoveragePanel>('auditLens.showCoverage', { kind: 'source', sourceUri: fixture().gcsSource });
    const gcsView = await whenShown(gcs!);
    assert.equal(gcsView.summary.events, view.summary.events);
    assert.equal(gcsView.summary.files, view.summary.files);
    assert.ok(coverage.panels.includes(one!) && coverage.panels.includes(gcs!));
  });

  it('runs again and cancels on the page\'s request', async () => {
    const run = panel.receive({ kind: 'notify', method: 'run', params: {} });
    await panel.receive({ kind: 'notify', method: 'cancel', params: {} });
    await run;
    assert.ok(['cancelled', 'ready'].includes(panel.status.state), panel.status.state);
    await panel.receive({ kind: 'notify', method: 'run', params: {} });
    assert.equal((await whenShown(panel)).summary.events, view.summary.events);
  });
});
