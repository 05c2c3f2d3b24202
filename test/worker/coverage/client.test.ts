/** The coverage client runs the pass in its thread: the report, the hours of each file read, where duplicates fall, progress and cancel. */
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { measureCoverage } from '../../../src/core/coverage';
import { AuditLensError } from '../../../src/core/errors';
import type { ProgressUpdate } from '../../../src/core/progress';
import { CoverageClient } from '../../../src/worker/coverage/client';
import { COVERAGE_WORKER_FILE } from '../../../src/worker/entries';
import { COVERAGE_DAY_START, writeCoverageTree } from '../../support/coverageTree';
import { aRecord, type DeliveryTree } from '../../support/deliveryTree';

/** The bundled thread (`npm run build` makes it). */
const workerPath = path.resolve(__dirname, '../../../dist', COVERAGE_WORKER_FILE);
const HOUR = 3_600_000;

describe('the coverage client', () => {
  let tree: DeliveryTree;
  let state: string;
  const client = new CoverageClient({ workerPath });

  before(() => {
    tree = writeCoverageTree();
    state = mkdtempSync(path.join(tmpdir(), 'audit-lens-coverage-client-'));
  });
  after(async () => {
    await client.dispose();
    tree.remove();
    rmSync(state, { recursive: true, force: true });
  });

  it('answers as the engine does, off the caller\'s thread, with progress', async () => {
    const updates: ProgressUpdate[] = [];
    const run = await client.measure({ sources: [tree.root] }, { onProgress: (u) => updates.push(u) });
    assert.ok(client.workerThreadId !== undefined, 'a thread ran the pass');
    const direct = await measureCoverage({ sources: [tree.root] });
    assert.deepEqual(run.report, direct);
    assert.ok(updates.some((u) => u.message === 'Listing files…'), 'progress crossed from the thread');
    const seven = run.report.workspaces.find((w) => w.workspaceId === '7')!;
    assert.deepEqual(seven.gaps.map((g) => [g.from, g.to]), [['2024-03-01T10:00:00.000Z', '2024-03-01T12:00:00.000Z']]);
    assert.equal(run.report.workspaces.find((w) => w.workspaceId === '8')!.stopped, true);
  });

  it('names the hours each file read holds, and the days duplicates fall on', async () => {
    const run = await client.measure({ sources: [tree.root] });
    const byName = new Map(run.files.map((f) => [path.basename(f.uri), f]));
    assert.equal(run.files.length, 5);
    assert.deepEqual(byName.get('auditlogs_b.json'), { uri: tree.files[1], workspaceId: '7', hours: [COVERAGE_DAY_START + 3 * HOUR] });
    assert.equal(byName.get('auditlogs_a.json')!.hours.length, 22, '24 hours less the gap');
    assert.deepEqual(byName.get('auditlogs_e.json')!.hours, [COVERAGE_DAY_START + 30 * HOUR, COVERAGE_DAY_START + 31 * HOUR]);
    assert.deepEqual(run.report.duplicates.days, [{ workspaceId: '7', date: '2024-03-01', events: 1 }]);
  });

  it('passes the scope through: one workspace, a date range', async () => {
    const run = await client.measure({ sources: [tree.root], filter: { workspaces: ['7'], from: '2024-03-02', to: '2024-03-02' } });
    assert.deepEqual(run.report.workspaces.map((w) => w.workspaceId), ['7']);
    assert.deepEqual(run.files.map((f) => path.basename(f.uri)), ['auditlogs_c.json']);
    assert.deepEqual(run.report.duplicates.days, []);
  });

  it('keeps what it saw in the state folder, so a rewrite shows next time', async () => {
    await client.measure({ sources: [tree.root], stateDirectory: state });
    assert.deepEqual((await client.measure({ sources: [tree.root], stateDirectory: state })).report.rewritten, [], 'nothing changed');
    appendFileSync(tree.files[4]!, `${JSON.stringify(aRecord({ workspaceId: '9', requestId: 'late', timestamp: COVERAGE_DAY_START + 31 * HOUR }))}\n`);
    utimesSync(tree.files[4]!, new Date(), new Date(Date.now() + 5000));
    const again = await client.measure({ sources: [tree.root], stateDirectory: state });
    assert.deepEqual(again.report.rewritten.map((r) => [r.file, r.appendOnly, r.linesAdded]), [[tree.files[4], true, 1]]);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(client.measure({ sources: [tree.root] }, { signal: controller.signal }), (e: unknown) => e instanceof AuditLensError && e.code === 'cancelled');
    const run = await client.measure({ sources: [tree.root] });
    assert.equal(run.files.length, 5, 'the next pass runs');
  });

  it('fails with the engine\'s error for a source that is not there', async () => {
    await assert.rejects(client.measure({ sources: [path.join(tree.root, 'missing')] }), (e: unknown) => e instanceof AuditLensError && e.code === 'not-found');
  });
});
