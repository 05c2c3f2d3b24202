/**
 * Watch This Source in a real VS Code: the command starts a watch on a source node, its first
 * poll fills the Findings view (the message names the watch and its last poll) and notifies
 * about the high-severity findings without any log text, "Show" focuses the view on those rows,
 * Stop Watching ends it, and a watch started again over the same source notifies only about
 * what is new; a poll that fails keeps the watch, marks the status bar and tries again later.
 */
import * as assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FindingNode } from '../../../src/extension/findings/model';
import type { EditorWatch } from '../../../src/extension/watch';
import { generateTree } from '../../support/generate/tree';
import { api, shownMark, shownSince, waitFor } from './helpers';

const base = { seed: 'watch-host', workspaces: 1, days: 1, background: false } as const;

async function polled(watch: EditorWatch, polls = 1): Promise<void> {
  await waitFor('the watch to poll', () => (watch.polls >= polls ? true : undefined), 90_000);
}

async function notificationsSince(mark: number): Promise<string[]> {
  return (await shownSince(mark)).filter((t) => t.surface === 'notification').map((t) => t.text);
}

describe('Watch This Source', function () {
  this.timeout(180_000);
  let root = '';
  let logs = '';

  before(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'audit-lens-watch-host-'));
    logs = path.join(root, 'watched-logs');
    await generateTree(logs, { ...base, startDate: '2024-03-01', plant: [{ detection: 'failed-logins', fires: true }] });
  });

  after(async () => {
    (await api()).watches.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('starts on a source node, fills the Findings view and notifies about high-severity findings', async () => {
    const { watches, findings } = await api();
    const from = await shownMark();
    const watch = await vscode.commands.executeCommand<EditorWatch | undefined>('auditLens.watchSource', { kind: 'source', sourceUri: logs });
    assert.ok(watch, 'a watch started');
    assert.equal(watches.current, watch);
    assert.match(watch.statusText, /^\$\(eye\) Watching watched-logs$/);
    await polled(watch);
    const state = findings.state;
    assert.equal(state.state, 'done');
    assert.equal(state.state === 'done' && state.result.watching?.source, logs);
    assert.match(findings.view.message ?? '', /^watching watched-logs · last poll \d\d:\d\d · watched-logs · 2024-03-01 · /);
    const high = findings.provider.getChildren()[0] as Extract<FindingNode, { kind: 'severity' }>;
    assert.equal(high.severity, 'high');
    assert.ok(high.runs.some((r) => r.detection.id === 'failed-logins'));
    const said = await waitFor('the notification', async () => (await notificationsSince(from)).find((t) => t.includes('high-severity')));
    assert.match(said, /^Audit Lens: \d+ new high-severity findings? in watched-logs: /);
    assert.doesNotMatch(said, /planted-|@/, 'no text from the logs');
  });

  it('"Show" focuses the Findings view on the new rows', async () => {
    const { watches, findings } = await api();
    const watch = watches.current!;
    assert.ok(watch.news && watch.news.places.length > 0);
    await watch.showNews();
    const selected = await waitFor('a row to be selected', () => findings.view.selection[0]);
    assert.equal(selected.kind, 'row');
    assert.equal(selected.kind === 'row' && selected.run.detection.id, watch.news.places[0]!.detectionId);
  });

  it('Stop Watching ends the watch and the view stops saying it is watched', async () => {
    const { watches, findings } = await api();
    const watch = watches.current!;
    await vscode.commands.executeCommand('auditLens.stopWatching');
    assert.equal(watches.current, undefined);
    await watch.ended;
    assert.doesNotMatch(findings.view.message ?? '', /^watching/);
    assert.ok(findings.state.state === 'done' && findings.state.result.runs.length > 0, 'the findings stay');
  });

  it('a watch started again says only what is new', async () => {
    const { watches, findings } = await api();
    const next = path.join(root, 'next');
    await generateTree(next, { ...base, startDate: '2024-03-02', plant: [{ detection: 'admin-removals', fires: true }] });
    cpSync(next, logs, { recursive: true });
    const from = await shownMark();
    const watch = (await vscode.commands.executeCommand<EditorWatch | undefined>('auditLens.watchSource', logs))!;
    await polled(watch);
    const said = await waitFor('the notification', async () => (await notificationsSince(from)).find((t) => t.includes('high-severity')));
    assert.ok(watch.news?.places.every((p) => p.detectionId === 'admin-removals'), `only the new day's findings: ${said}`);
    const detectionsShown = findings.provider.getChildren().flatMap((n) => (n.kind === 'severity' ? n.runs.map((r) => r.detection.id) : []));
    assert.ok(detectionsShown.includes('failed-logins') && detectionsShown.includes('admin-removals'), 'the view shows both days');
    watches.stop();
    await watch.ended;
  });

  it('a failed poll keeps the watch running, marks the status bar and tries again later', async () => {
    const { watches } = await api();
    const missing = path.join(root, 'not-delivered-yet');
    const watch = (await vscode.commands.executeCommand<EditorWatch | undefined>('auditLens.watchSource', missing))!;
    await waitFor('the poll to fail', () => watch.lastFailure, 30_000);
    assert.match(watch.lastFailure!, /not found/i);
    assert.match(watch.statusText, /^\$\(warning\) Watching not-delivered-yet$/);
    assert.equal(watches.current, watch, 'the watch goes on');
    assert.equal(watch.polls, 0);
    watches.stop();
    await watch.ended;
  });
});
