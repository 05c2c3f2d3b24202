/**
 * What the editor's watch shows, without VS Code: polls of a real watcher over a generated tree
 * merged into one Findings result (each finding once), the view's message naming the watch and
 * its last poll, the high-severity news a poll brings and where its rows are, and the interval
 * setting's bounds as package.json declares them.
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { detections, type DetectionRun } from '../../../src/core/analyses';
import { findingKey, WatchState } from '../../../src/core/watch';
import { clockTime, doneMessage, rootNodes } from '../../../src/extension/findings/model';
import { clampWatchInterval, WATCH_INTERVAL_RANGE } from '../../../src/extension/watch/interval';
import { WatchFindings } from '../../../src/extension/watch/model';
import { watchIdentity, Watcher, type PollResult, type WatchTarget } from '../../../src/worker/watch';
import { generateTree } from '../../support/generate/tree';
import { QUERY_WORKER_BUNDLE } from '../../support/workers';

const base = { seed: 'watch-view', workspaces: 1, days: 1, background: false } as const;

describe('the watch in the Findings view', { timeout: 180_000 }, () => {
  let root = '';
  let logs = '';
  let target: WatchTarget;
  let watcher: Watcher;
  const view = () => new WatchFindings(logs);

  before(async () => {
    assert.ok(existsSync(QUERY_WORKER_BUNDLE), `${QUERY_WORKER_BUNDLE} is missing: run npm run build`);
    root = mkdtempSync(path.join(tmpdir(), 'audit-lens-watch-view-'));
    logs = path.join(root, 'logs');
    await generateTree(logs, { ...base, startDate: '2024-03-01', plant: [{ detection: 'failed-logins', fires: true }] });
    target = { sources: [logs], filter: {}, detections: detections.filter((d) => ['failed-logins', 'admin-removals', 'token-created'].includes(d.id)), session: { workerPath: QUERY_WORKER_BUNDLE } };
    watcher = await Watcher.open(target, new WatchState(path.join(root, 'state'), watchIdentity(target, 'editor:')));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('merges polls, keeps each finding once, and points the news at its rows', async () => {
    const findings = view();
    const first = await watcher.poll({ everything: true });
    findings.add(first);
    const at = Date.UTC(2024, 2, 2, 9, 5);
    const shown = findings.result(at);
    assert.deepEqual(shown.watching, { source: logs, lastPoll: at });
    assert.deepEqual(shown.scope, { sources: [logs], from: '2024-03-01', to: '2024-03-01' });
    const failed = shown.runs.find((r) => r.detection.id === 'failed-logins')!;
    assert.equal(failed.result.rows.length, first.findings.length);
    assert.match(doneMessage(shown), new RegExp(`^watching logs · last poll ${clockTime(at)} · logs · 2024-03-01 · `));
    const news = findings.highNews(first);
    assert.deepEqual(news?.titles, [failed.detection.title]);
    assert.deepEqual(news?.places, first.findings.map((_, i) => ({ detectionId: 'failed-logins', index: i })));

    // A poll that loads the same partition again adds nothing; one that loads nothing changes only the time.
    const again = await Watcher.open(target, new WatchState(path.join(root, 'other-state'), watchIdentity(target, 'editor:')));
    findings.add(await again.poll({ everything: true }));
    const quiet = await watcher.poll();
    findings.add(quiet);
    assert.equal(findings.result(at).runs.find((r) => r.detection.id === 'failed-logins')!.result.rows.length, first.findings.length);
    assert.equal(findings.highNews(quiet), undefined);

    // A new day: its findings join the earlier ones, and the news names only them.
    const next = path.join(root, 'next');
    await generateTree(next, { ...base, startDate: '2024-03-02', plant: [{ detection: 'admin-removals', fires: true }] });
    cpSync(next, logs, { recursive: true });
    const later = await watcher.poll();
    findings.add(later);
    const merged = findings.result(at);
    assert.deepEqual(merged.scope, { sources: [logs], from: '2024-03-01', to: '2024-03-02' });
    assert.ok(merged.runs.find((r) => r.detection.id === 'failed-logins')!.result.rows.length >= first.findings.length, 'earlier findings stay');
    const removals = later.findings.filter((f) => f.detection.id === 'admin-removals');
    assert.ok(removals.length > 0);
    assert.equal(removals[0]!.detection.severity, 'high');
    assert.deepEqual(findings.highNews(later)?.places.map((p) => p.detectionId), later.findings.filter((f) => f.detection.severity === 'high').map((f) => f.detection.id));
    assert.ok(findings.highNews(later)?.places.every((p) => p.detectionId !== 'admin-removals' || p.index !== undefined), 'each new row is in the view');
    const severities = rootNodes({ state: 'done', result: merged }).filter((n) => n.kind === 'severity');
    assert.ok(severities.length > 0);
  });

  it('keeps at most the rows the view shows, counting the rest, and says a watch over nothing has no logs', () => {
    const detection = detections.find((d) => d.severity === 'high')!;
    const columns = ['email', 'n'];
    const rows = Array.from({ length: 5 }, (_, i) => [`user${i}@example.com`, i]);
    const run: DetectionRun = { detection, result: { columns, columnKinds: ['value', 'value'], rows, rowCount: 5, truncated: false } };
    const poll: PollResult = {
      files: 1,
      findings: rows.map((row) => ({ key: findingKey(detection.id, columns, row), detection, columns, row, asOf: 0 })),
      runs: [run],
      filter: { from: '2024-01-01', to: '2024-01-01' },
      asOf: 0,
      summary: { recordsLoaded: 5, filesFailed: 0, loadedFiles: ['f'], problems: [] } as unknown as NonNullable<PollResult['summary']>, // the fields the view reads
    };
    const small = new WatchFindings('gs://bucket/logs', 3);
    small.add(poll);
    small.add(poll);
    const result = small.result(0).runs[0]!.result;
    assert.deepEqual({ shown: result.rows.length, count: result.rowCount, truncated: result.truncated }, { shown: 3, count: 5, truncated: true });
    assert.deepEqual(small.highNews(poll)?.places.map((p) => p.index), [0, 1, 2, undefined, undefined], 'rows past the view reveal their detection');
    const empty = new WatchFindings('gs://bucket/empty');
    empty.add({ files: 0, findings: [], runs: [] });
    assert.equal(empty.result(0).noLogs, true);
  });

  it('the interval setting is whole seconds, at least 30, five minutes by default, as package.json says', () => {
    assert.deepEqual([undefined, 'x', 5, 30.7, 600, 1e9].map(clampWatchInterval), [300, 300, 30, 30, 600, 86_400]);
    const manifest = JSON.parse(readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, { default?: unknown; minimum?: unknown; maximum?: unknown }> } } };
    const property = manifest.contributes.configuration.properties['auditLens.watchInterval'];
    assert.deepEqual({ default: property?.default, minimum: property?.minimum, maximum: property?.maximum }, WATCH_INTERVAL_RANGE);
  });
});
