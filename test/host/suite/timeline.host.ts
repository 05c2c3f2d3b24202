/**
 * The Timeline view in a real VS Code: Show Timeline with an identity over the fixture folder opens
 * a panel whose webview boots and which shows that identity's events (checked against the files
 * read with JSON.parse), asking for the identity with the recent ones offered, raw lines only from
 * the files it read, and a pivot opening the timeline of another identity over the same scope.
 */
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TimelinePanel } from '../../../src/extension/timeline';
import { api, fixture, waitFor } from './helpers';

const ANALYST = 'analyst@example.com';

/** Every audit line under a folder, read here with JSON.parse (not through the engine). */
function linesUnder(folder: string): { file: string; line: number; record: Record<string, unknown> }[] {
  const out: { file: string; line: number; record: Record<string, unknown> }[] = [];
  for (const name of readdirSync(folder)) {
    const full = path.join(folder, name);
    if (statSync(full).isDirectory()) out.push(...linesUnder(full));
    else if (/^auditlogs_.*\.json$/.test(name)) {
      readFileSync(full, 'utf8').split('\n').forEach((text, i) => {
        if (text.trim() === '') return;
        try {
          out.push({ file: full, line: i + 1, record: JSON.parse(text) as Record<string, unknown> });
        } catch {
          // A broken line holds no identity.
        }
      });
    }
  }
  return out;
}

async function whenShown(panel: TimelinePanel): Promise<void> {
  await waitFor(
    'the timeline to load',
    () => {
      if (panel.status.state === 'error') throw new Error(`the timeline failed: ${JSON.stringify(panel.status)}`);
      return panel.status.state === 'ready' && panel.webviewReady ? true : undefined;
    },
    60_000,
  );
}

describe('the Timeline view', function () {
  this.timeout(120_000);
  let panel: TimelinePanel;

  before(async () => {
    const opened = await vscode.commands.executeCommand<TimelinePanel>('auditLens.showTimeline', { identity: { kind: 'actor', value: ANALYST }, scope: { sources: [fixture().folderSource] } });
    assert.ok(opened, 'the command returns the panel');
    panel = opened;
    await whenShown(panel);
  });

  after(async () => {
    for (const p of [...(await api()).timelines.panels]) p.dispose();
  });

  it("opens a panel whose webview boots and which shows every event of the identity in the scope's files", () => {
    assert.equal(panel.panel.title, `Timeline: ${ANALYST}`);
    const expected = linesUnder(fixture().folderSource).filter(({ record }) => {
      const email = (record.userIdentity as { email?: unknown } | undefined)?.email;
      const user = (record.requestParams as { user?: unknown } | undefined)?.user;
      return email === ANALYST || (email === null && user === ANALYST);
    });
    assert.ok(expected.length > 3, `the fixture holds the analyst's events (${expected.length})`);
    const timeline = panel.timeline!;
    assert.equal(timeline.summary.events, expected.length);
    assert.deepEqual(timeline.events.map((e) => `${e._file}:${e._line}`).sort(), expected.map((e) => `${e.file}:${e.line}`).sort());
    assert.deepEqual(timeline.summary.workspaces, [...new Set(expected.map((e) => String(e.record.workspaceId)))].sort((a, b) => a.length - b.length || (a < b ? -1 : 1)));
  });

  it('opens a raw line of an event it shows, and refuses a file it did not read', async () => {
    const event = panel.timeline!.events[0]!;
    await panel.receive({ kind: 'notify', method: 'openRaw', params: { file: event._file, line: event._line } });
    const editor = await waitFor('the raw line to open', () => vscode.window.visibleTextEditors.find((e) => e.document.uri.fsPath === event._file));
    assert.equal(editor.selection.active.line, event._line - 1);
    const rejected = panel.rejected.length;
    await panel.receive({ kind: 'notify', method: 'openRaw', params: { file: path.join(os.homedir(), '.bashrc'), line: 1 } });
    await panel.receive({ kind: 'notify', method: 'executeCommand', params: { command: 'workbench.action.terminal.new' } });
    assert.equal(panel.rejected.length, rejected + 2);
  });

  it('pivots to the timeline of an IP address it shows, over the same scope', async () => {
    const { timelines } = await api();
    const ip = panel.timeline!.summary.ipAddresses?.[0]?.value;
    assert.ok(ip, 'the analyst used an IP address');
    const before = timelines.panels.length;
    await panel.receive({ kind: 'notify', method: 'pivot', params: { identity: { kind: 'ip', value: ip } } });
    assert.equal(timelines.panels.length, before + 1);
    const pivoted = timelines.panels[timelines.panels.length - 1]!;
    assert.deepEqual(pivoted.identity, { kind: 'ip', value: ip });
    assert.deepEqual(pivoted.scope, panel.scope);
    await whenShown(pivoted);
    assert.ok(pivoted.timeline!.events.every((e) => e.sourceIPAddress?.split(':')[0] === ip.split(':')[0]));
  });

  it('opens at the as-of instant its caller (a notebook or a detection run) answered at', async () => {
    const { timelines } = await api();
    const asOf = { kind: 'instant' as const, at: '2024-05-01T12:00:00Z' };
    const opened = await vscode.commands.executeCommand<TimelinePanel>('auditLens.showTimeline', { identity: { kind: 'session', value: 'as-of-session' }, scope: { sources: [fixture().folderSource] }, asOf });
    try {
      assert.deepEqual(opened?.asOf, asOf);
      assert.ok(timelines.panels.includes(opened!));
    } finally {
      opened?.dispose();
    }
  });

  it("opens from a notebook grid cell's Show Timeline, over the notebook's scope", async () => {
    const { notebooks, timelines } = await api();
    const notebook = notebooks.open({ sources: [fixture().folderSource], from: '2024-05-01', to: '2024-05-02' });
    try {
      await notebook.receive({ kind: 'notify', method: 'showTimeline', params: { identity: { kind: 'request', value: 'req-1' } } });
      const opened = timelines.panels.find((p) => p.identity.kind === 'request' && p.identity.value === 'req-1');
      assert.ok(opened, 'a timeline of the request opened');
      assert.deepEqual(opened.scope, notebook.document.scope);
      const rejected = notebook.rejected.length;
      await notebook.receive({ kind: 'notify', method: 'showTimeline', params: { identity: { kind: 'everything', value: '*' } } });
      assert.equal(notebook.rejected.length, rejected + 1);
    } finally {
      notebook.dispose();
    }
  });

  it('asks for the identity when run from the palette, offering the recent ones', async () => {
    const { services, timelines } = await api();
    assert.ok(timelines.recent.some((r) => r.kind === 'actor' && r.value === ANALYST), 'the analyst is a recent identity');
    const opened = await services.prompts.answerWith(
      [
        { kind: 'quickPick', value: 'New session…' },
        { kind: 'inputBox', value: 's-42' },
      ],
      () => vscode.commands.executeCommand<TimelinePanel>('auditLens.showTimeline'),
    );
    assert.deepEqual(opened?.identity, { kind: 'session', value: 's-42' });
    assert.deepEqual(timelines.recent[0], { kind: 'session', value: 's-42' });
    const again = await services.prompts.answerWith([{ kind: 'quickPick', value: ANALYST }], () => vscode.commands.executeCommand<TimelinePanel>('auditLens.showTimeline'));
    assert.deepEqual(again?.identity, { kind: 'actor', value: ANALYST });
    const cancelled = await services.prompts.answerWith([{ kind: 'quickPick', value: undefined }], () => vscode.commands.executeCommand<TimelinePanel>('auditLens.showTimeline'));
    assert.equal(cancelled, undefined);
  });
});
