/**
 * Coverage over planted trees: gaps by the neighbour rule (and none on a quiet workspace), late
 * files, files rewritten in place (appended, or changed), duplicate events; locally and through
 * the GCS test server.
 */
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { findGaps, measureCoverage } from '../../../src/core/coverage';
import { startGcsServer, type GcsTestServer } from '../../gcs-server';
import { aRecord, writeDeliveryTree, type AuditRecord, type DeliveryTree } from '../../support/deliveryTree';

const HOUR = 3_600_000;
const DAY_START = Date.parse('2024-03-01T00:00:00Z');

/** `perHour[h]` events in hour h of 2024-03-01 (and 2024-03-02 past 23), for one workspace. */
function eventsByHour(workspaceId: string, perHour: readonly number[], tag: string): AuditRecord[] {
  return perHour.flatMap((n, hour) => Array.from({ length: n }, (_, i) => aRecord({ workspaceId, requestId: `${tag}-${hour}-${i}`, timestamp: DAY_START + hour * HOUR + i * 1000 })));
}

describe('the gap rule', () => {
  const hours = (counts: Record<number, number>) => new Map(Object.entries(counts).map(([h, n]) => [DAY_START + Number(h) * HOUR, n]));

  it('flags a silence between two hours that each hold at least N events', () => {
    const { gaps, stopped } = findGaps(hours({ 0: 30, 1: 25, 4: 40, 5: 22 }), DAY_START + 5 * HOUR, 20);
    assert.deepEqual(gaps, [{ from: '2024-03-01T02:00:00.000Z', to: '2024-03-01T04:00:00.000Z', hours: 2, before: 25, after: 40 }]);
    assert.equal(stopped, false);
  });

  it('leaves a quiet workspace alone: neighbours below N are no evidence', () => {
    assert.deepEqual(findGaps(hours({ 0: 3, 5: 2, 9: 19, 12: 40 }), DAY_START + 12 * HOUR, 20).gaps, []);
  });

  it('says delivery may have stopped when a busy workspace is silent to the end of the scope', () => {
    const { gaps, stopped } = findGaps(hours({ 0: 30, 1: 30 }), DAY_START + 6 * HOUR, 20);
    assert.equal(stopped, true);
    assert.deepEqual(gaps, [{ from: '2024-03-01T02:00:00.000Z', to: '2024-03-01T07:00:00.000Z', hours: 5, before: 30, after: null }]);
    assert.equal(findGaps(hours({ 0: 30, 1: 3 }), DAY_START + 6 * HOUR, 20).stopped, false, 'a quiet last hour is no evidence');
  });
});

describe('coverage of a local tree', () => {
  let tree: DeliveryTree;
  let state: string;
  const busy = Array.from({ length: 24 }, (_, h) => (h === 10 || h === 11 ? 0 : 25));
  const quiet = Array.from({ length: 24 }, (_, h) => (h % 6 === 0 ? 2 : 0));

  before(() => {
    const duplicated = aRecord({ workspaceId: '7', requestId: 'twice', timestamp: DAY_START + 3 * HOUR, serviceName: 'clusters', actionName: 'create' });
    tree = writeDeliveryTree([
      { workspaceId: '7', date: '2024-03-01', name: 'auditlogs_a.json', lines: [...eventsByHour('7', busy, 'a'), duplicated] },
      { workspaceId: '7', date: '2024-03-01', name: 'auditlogs_b.json', lines: [duplicated, aRecord({ workspaceId: '7', requestId: 'once', timestamp: DAY_START + 3 * HOUR })] },
      { workspaceId: '8', date: '2024-03-01', name: 'auditlogs_q.json', lines: eventsByHour('8', quiet, 'q') },
    ]);
    state = mkdtempSync(path.join(tmpdir(), 'audit-lens-coverage-state-'));
    // Files written soon after their newest event, except one written a day later.
    for (const file of tree.files) utimesSync(file, new Date(DAY_START + 24 * HOUR), new Date(DAY_START + 24 * HOUR));
    utimesSync(tree.files[1]!, new Date(DAY_START + 30 * HOUR), new Date(DAY_START + 30 * HOUR));
    utimesSync(tree.files[2]!, new Date(DAY_START + 19 * HOUR), new Date(DAY_START + 19 * HOUR));
  });
  after(() => {
    tree.remove();
    rmSync(state, { recursive: true, force: true });
  });

  it('counts events and files per workspace and hour, with first and last times', async () => {
    const report = await measureCoverage({ sources: [tree.root], stateDirectory: state });
    assert.equal(report.files, 3);
    const seven = report.workspaces.find((w) => w.workspaceId === '7')!;
    assert.equal(seven.events, 22 * 25 + 3);
    assert.equal(seven.files, 2);
    const three = seven.hours.find((h) => h.hour === '2024-03-01T03:00:00.000Z')!;
    assert.deepEqual(three, { hour: '2024-03-01T03:00:00.000Z', events: 28, files: 2, first: DAY_START + 3 * HOUR, last: DAY_START + 3 * HOUR + 24_000 });
    assert.equal(seven.first, DAY_START);
    assert.equal(report.workspaces.map((w) => w.workspaceId).join(), '7,8');
  });

  it('finds the planted gap in the busy workspace and none in the quiet one', async () => {
    const report = await measureCoverage({ sources: [tree.root] });
    const seven = report.workspaces.find((w) => w.workspaceId === '7')!;
    assert.deepEqual(seven.gaps, [{ from: '2024-03-01T10:00:00.000Z', to: '2024-03-01T12:00:00.000Z', hours: 2, before: 25, after: 25 }]);
    assert.deepEqual(report.workspaces.find((w) => w.workspaceId === '8')!.gaps, []);
    const lower = await measureCoverage({ sources: [tree.root], minNeighbourEvents: 2 });
    const quietAtLowThreshold = lower.workspaces.find((w) => w.workspaceId === '8')!;
    assert.deepEqual(quietAtLowThreshold.gaps.map((g) => g.from.slice(11, 13)), ['01', '07', '13', '19'], 'a low threshold flags the quiet workspace’s silences');
    assert.equal(quietAtLowThreshold.stopped, true, 'silent from 19:00 while the busy workspace goes on to 23:00');
  });

  it('finds the same event in two files, with where', async () => {
    const report = await measureCoverage({ sources: [tree.root] });
    assert.equal(report.duplicates.events, 1);
    assert.deepEqual(report.duplicates.examples, [{ requestId: 'twice', timestamp: DAY_START + 3 * HOUR, serviceName: 'clusters', actionName: 'create', places: [`${tree.files[0]}:${22 * 25 + 1}`, `${tree.files[1]}:1`] }]);
  });

  it('finds a file written more than two hours after its newest event', async () => {
    const report = await measureCoverage({ sources: [tree.root] });
    assert.deepEqual(report.late.map((l) => [l.file, l.delayMinutes]), [[tree.files[1], 27 * 60]]);
  });

  it('finds a file rewritten in place: lines added, and loudly a rewrite that changed old lines', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'audit-lens-coverage-rewrite-'));
    const local = writeDeliveryTree([{ workspaceId: '9', date: '2024-03-01', lines: eventsByHour('9', [3, 3], 'r') }]);
    try {
      const first = await measureCoverage({ sources: [local.root], stateDirectory: dir });
      assert.deepEqual(first.rewritten, []);
      assert.equal(statSync(dir).mode & 0o777, 0o700);
      for (const name of readdirSync(dir)) assert.equal(statSync(path.join(dir, name)).mode & 0o777, 0o600, name);
      appendFileSync(local.files[0]!, `${JSON.stringify(aRecord({ workspaceId: '9', requestId: 'late', timestamp: DAY_START + HOUR }))}\n`);
      utimesSync(local.files[0]!, new Date(DAY_START + 2 * HOUR), new Date(DAY_START + 2 * HOUR));
      const appended = await measureCoverage({ sources: [local.root], stateDirectory: dir });
      assert.deepEqual(appended.rewritten.map((r) => [r.appendOnly, r.linesAdded, r.linesRemoved, r.before.lines, r.after.lines]), [[true, 1, 0, 6, 7]]);
      const again = await measureCoverage({ sources: [local.root], stateDirectory: dir });
      assert.deepEqual(again.rewritten, [], 'seen once, a rewrite is not reported again');
      writeFileSync(local.files[0]!, `${JSON.stringify(aRecord({ workspaceId: '9', requestId: 'other', timestamp: DAY_START }))}\n`);
      utimesSync(local.files[0]!, new Date(DAY_START + 3 * HOUR), new Date(DAY_START + 3 * HOUR));
      const changed = await measureCoverage({ sources: [local.root], stateDirectory: dir });
      assert.deepEqual(changed.rewritten.map((r) => [r.appendOnly, r.linesRemoved, r.after.lines]), [[false, 6, 1]]);
    } finally {
      local.remove();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('coverage through the GCS test server', () => {
  let server: GcsTestServer;
  let state: string;
  before(async () => {
    server = await startGcsServer();
    server.createBucket('cov');
    state = mkdtempSync(path.join(tmpdir(), 'audit-lens-coverage-gcs-'));
  });
  after(async () => {
    await server.stop();
    rmSync(state, { recursive: true, force: true });
  });

  const body = (records: AuditRecord[]) => records.map((r) => JSON.stringify(r)).join('\n') + '\n';
  const name = 'logs/workspaceId=5/date=2024-03-01/auditlogs_x.json';

  it('uses the object update time for late deliveries and its generation for rewrites', async () => {
    const records = eventsByHour('5', [25, 0, 25], 'g');
    server.put('cov', name, body(records)).created = new Date(DAY_START + 3 * HOUR);
    server.put('cov', 'logs/workspaceId=5/date=2024-03-01/auditlogs_y.json', body([records[0]!])).created = new Date(DAY_START + 20 * HOUR);
    const first = await measureCoverage({ sources: ['gs://cov/logs'], gcsEndpoint: server.endpoint, stateDirectory: state });
    assert.deepEqual(first.workspaces[0]!.gaps.map((g) => g.from), ['2024-03-01T01:00:00.000Z']);
    assert.deepEqual(first.late.map((l) => l.file), ['gs://cov/logs/workspaceId=5/date=2024-03-01/auditlogs_y.json']);
    assert.equal(first.duplicates.events, 1);
    server.put('cov', name, body([...records, aRecord({ workspaceId: '5', requestId: 'added', timestamp: DAY_START + 2 * HOUR })])).created = new Date(DAY_START + 3 * HOUR);
    const second = await measureCoverage({ sources: ['gs://cov/logs'], gcsEndpoint: server.endpoint, stateDirectory: state });
    assert.deepEqual(second.rewritten.map((r) => [r.file, r.appendOnly, r.linesAdded]), [[`gs://cov/${name}`, true, 1]]);
  });

  it('reports a file it could not read instead of passing over it', async () => {
    server.failNext({ kind: 'media', object: name, status: 403, times: Infinity });
    const report = await measureCoverage({ sources: ['gs://cov/logs'], gcsEndpoint: server.endpoint });
    assert.deepEqual(report.unreadable.map((u) => u.file), [`gs://cov/${name}`]);
    assert.match(report.unreadable[0]!.reason, /Permission denied/);
  });
});


