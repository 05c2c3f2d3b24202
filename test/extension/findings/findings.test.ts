/**
 * The Findings view's data without VS Code: a run over a generated tree through a real worker
 * session (only the detections' services loaded, cancellable), and the tree it becomes:
 * severity → detection → rows, with row labels safe from log text.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { detections, type DetectionRun } from '../../../src/core/analyses';
import { childNodes, doneMessage, highFindings, rootNodes, rowActor, rowLocation, rowText, type FindingNode, type FindingsResult } from '../../../src/extension/findings/model';
import { runFindings } from '../../../src/extension/findings/runner';
import { generateTree, plantedActor } from '../../support/generate';
import { QUERY_WORKER_BUNDLE } from '../../support/workers';

const workerPath = QUERY_WORKER_BUNDLE;

describe('running the detections for the Findings view', () => {
  let tree: string;
  let result: FindingsResult;

  before(async () => {
    assert.ok(existsSync(workerPath), `${workerPath} is missing: run npm run build`);
    tree = await mkdtemp(path.join(tmpdir(), 'audit-lens-findings-'));
    await generateTree(tree, {
      seed: 'findings',
      workspaces: 1,
      days: 2,
      startDate: '2024-03-01',
      background: false,
      plant: [
        { detection: 'admin-removals', fires: true },
        { detection: 'log-delivery-changes', fires: true },
        { detection: 'mounts', fires: true },
        { detection: 'failed-logins', fires: true },
        { detection: 'secret-reads', fires: false },
      ],
    });
    result = await runFindings({ sources: [tree] }, { workerPath, rowsPerDetection: 3 });
  });

  after(async () => {
    if (tree) await rm(tree, { recursive: true, force: true });
  });

  it('runs every detection over the scope and counts what each found', () => {
    assert.deepEqual(result.runs.map((r) => r.detection.id), detections.map((d) => d.id));
    const found = Object.fromEntries(result.runs.filter((r) => r.result.rowCount > 0).map((r) => [r.detection.id, r.result.rowCount]));
    assert.deepEqual(found, { 'failed-logins': 1, 'admin-removals': 1, mounts: 1, 'log-delivery-changes': 1 });
    assert.equal(result.records, 9, 'the planted records, none skipped: each is of a detection’s service');
  });

  it('shows severity → detection → rows, most severe first, and nothing for severities without findings', () => {
    const state = { state: 'done', result } as const;
    const roots = rootNodes(state);
    assert.deepEqual(roots.map((n) => (n.kind === 'severity' ? [n.severity, n.findings] : n.kind)), [['high', 3], ['medium', 1]]);
    assert.equal(highFindings(state), 3);
    const high = childNodes(roots[0]!, result.scope);
    assert.deepEqual(high.map((n) => (n.kind === 'detection' ? n.run.detection.id : n.kind)), ['failed-logins', 'admin-removals', 'log-delivery-changes']);
    const rows = childNodes(high[1]!, result.scope);
    assert.equal(rows.length, 1);
    const row = rows[0] as Extract<FindingNode, { kind: 'row' }>;
    assert.equal(rowText(row.run, row.index).label, plantedActor('admin-removals', true));
    const location = rowLocation(row.run, row.index)!;
    assert.ok(location.file.startsWith(tree) && location.line >= 1, JSON.stringify(location));
    const aggregate = childNodes(high[0]!, result.scope)[0] as Extract<FindingNode, { kind: 'row' }>;
    assert.equal(rowLocation(aggregate.run, aggregate.index), undefined, 'an aggregate row has no raw line');
    assert.equal(rowText(aggregate.run, aggregate.index).label, plantedActor('failed-logins', true));
    // Show Timeline follows the row's actor (the raw value, not the label's escaped copy).
    assert.equal(rowActor(row.run, row.index), plantedActor('admin-removals', true));
    assert.equal(rowActor(aggregate.run, aggregate.index), plantedActor('failed-logins', true));
    const noActor: DetectionRun = { ...row.run, result: { ...row.run.result, columns: ['n'], rows: [[3]] } };
    assert.equal(rowActor(noActor, 0), undefined);
  });

  it('says when nothing was found, and shows running and failed states as one note', () => {
    const none = rootNodes({ state: 'done', result: { ...result, runs: result.runs.map((r) => ({ ...r, result: { ...r.result, rows: [], rowCount: 0 } })) } });
    assert.deepEqual(none.map((n) => n.kind === 'note' && n.text), [`No findings: ${detections.length} detections over 9 records`]);
    assert.deepEqual(rootNodes({ state: 'idle' }), []);
    assert.equal(rootNodes({ state: 'running', scope: result.scope, message: 'Loading…' }).length, 1);
  });

  it('notes when a detection has more rows than the view keeps', () => {
    const run = result.runs.find((r) => r.detection.id === 'mounts')!;
    const many: DetectionRun = { ...run, result: { ...run.result, rowCount: 700 } };
    const nodes = childNodes({ kind: 'detection', scope: result.scope, run: many }, result.scope);
    assert.equal(nodes.at(-1)!.kind, 'note');
    assert.match((nodes.at(-1) as Extract<FindingNode, { kind: 'note' }>).text, /Showing 1 of 700/);
  });

  it('escapes control characters in row labels, descriptions and tooltips', () => {
    const run = result.runs.find((r) => r.detection.id === 'mounts')!;
    const hostile: DetectionRun = { ...run, result: { ...run.result, rows: [run.result.columns.map((c) => (c === '_line' ? 1 : `x\u001b[2J\u202e${c}`))] } };
    const text = rowText(hostile, 0);
    for (const t of [text.label, text.description, text.tooltip]) {
      assert.ok(!/[\u001b\u202e]/.test(t), t);
      assert.ok(t.includes('\\u{1b}'), t);
    }
  });

  it('a cancelled run stops with a cancelled error', async () => {
    const controller = new AbortController();
    const pending = runFindings({ sources: [tree] }, { workerPath }, { signal: controller.signal });
    controller.abort();
    await assert.rejects(pending, (e: { code?: string }) => e.code === 'cancelled');
  });

  it('answers at the run\'s as-of instant: the wall clock by default, or the end of the scope, and the view says which', async () => {
    assert.equal(result.asOf.choice.kind, 'now');
    assert.ok(result.asOf.at <= Date.now() && result.asOf.at > Date.parse('2024-03-03T00:00:00Z'));
    const atEnd = await runFindings({ sources: [tree] }, { workerPath, rowsPerDetection: 3 }, {}, { kind: 'scope-end' });
    // The last date the load read: the planted records' day (the other day holds none of the detections' services).
    const lastRead = [...atEnd.loadedFiles].map((f) => /date=([\d-]+)/.exec(f)![1]!).sort().at(-1);
    assert.equal(lastRead, '2024-03-01');
    assert.deepEqual(atEnd.asOf, { choice: { kind: 'scope-end' }, at: Date.parse('2024-03-02T00:00:00Z') });
    const toDate = await runFindings({ sources: [tree], to: '2024-03-02' }, { workerPath, rowsPerDetection: 3 }, {}, { kind: 'scope-end' });
    assert.equal(toDate.asOf.at, Date.parse('2024-03-03T00:00:00Z'), 'the To date ends the scope when there is one');
    assert.deepEqual(atEnd.runs.map((r) => r.result.rowCount), result.runs.map((r) => r.result.rowCount));
    assert.match(doneMessage(atEnd), / · 9 records · \d+ detections · as of end of scope \(2024-03-02T00:00:00\.000Z\)$/);
    assert.match(doneMessage(result), / · as of now \(\d{4}-\d\d-\d\dT[\d:.]+Z\)$/);
  });

  it('runs again over the record cache: the same findings, and the view says how many files it served', async () => {
    const cache = await mkdtemp(path.join(tmpdir(), 'audit-lens-findings-records-'));
    try {
      const options = { workerPath, rowsPerDetection: 3, recordCache: { directory: cache } };
      const first = await runFindings({ sources: [tree] }, options);
      assert.equal(first.fromCache, undefined);
      const second = await runFindings({ sources: [tree] }, options);
      assert.deepEqual(second.runs.map((r) => r.result.rows), first.runs.map((r) => r.result.rows));
      assert.equal(second.records, first.records);
      assert.ok(second.fromCache && second.fromCache.cached === second.fromCache.files && second.fromCache.files > 0, JSON.stringify(second.fromCache));
      assert.match(doneMessage(second), new RegExp(` · ${first.records} records \\(${second.fromCache!.files} of ${second.fromCache!.files} files from the record cache\\) · `));
    } finally {
      await rm(cache, { recursive: true, force: true });
    }
  });

  it('says above the findings when files could not be read, and never shows a clean "No findings" then', () => {
    assert.equal(result.unreadableFiles, 0);
    assert.equal(result.noLogs, false);
    const incomplete: FindingsResult = { ...result, unreadableFiles: 2 };
    const roots = rootNodes({ state: 'done', result: incomplete });
    assert.equal(roots[0]!.kind, 'note');
    assert.match((roots[0] as Extract<FindingNode, { kind: 'note' }>).text, /^Incomplete: 2 files unreadable/);
    assert.equal((roots[0] as Extract<FindingNode, { kind: 'note' }>).icon, 'warning');
    assert.deepEqual(roots.slice(1).map((n) => n.kind === 'severity' && n.severity), ['high', 'medium']);
    assert.match(doneMessage(incomplete), /^incomplete: 2 files unreadable · /);
    const quiet = rootNodes({ state: 'done', result: { ...incomplete, runs: result.runs.map((r) => ({ ...r, result: { ...r.result, rows: [], rowCount: 0 } })) } });
    assert.deepEqual(quiet.map((n) => n.kind === 'note' && n.icon), ['warning', 'warning']);
    assert.match((quiet[1] as Extract<FindingNode, { kind: 'note' }>).text, /^No findings in the files that could be read/);
  });

  it('says a scope with no audit logs holds none, not that it is clean', async () => {
    const empty = await runFindings({ sources: [tree], from: '2030-01-01', to: '2030-01-02' }, { workerPath });
    assert.equal(empty.noLogs, true);
    const roots = rootNodes({ state: 'done', result: empty });
    assert.deepEqual(roots.map((n) => n.kind === 'note' && n.text), ['No audit logs in the scope: check the sources and dates']);
  });

  it('refuses a scope without sources', async () => {
    await assert.rejects(runFindings({ sources: [] }, { workerPath }), (e: { code?: string }) => e.code === 'usage');
  });
});
