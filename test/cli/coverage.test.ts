/** `audit-lens coverage` as a user runs it: the JSON shape, the three formats, --fail-on and the exit codes. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { assertBuilt, runCli, STACK_FRAME } from '../support/cli';
import { aRecord, writeDeliveryTree, type DeliveryTree } from '../support/deliveryTree';

const HOUR = 3_600_000;
const DAY_START = Date.parse('2024-03-01T00:00:00Z');

interface CoverageJson {
  workspaces: { workspaceId: string; hours: { hour: string; events: number; files: number }[]; gaps: { from: string; to: string }[]; stopped: boolean }[];
  duplicates: { events: number; examples: { requestId: string; places: string[] }[] };
  late: { file: string }[];
  rewritten: unknown[];
}

describe('audit-lens coverage', () => {
  let tree: DeliveryTree;
  let cache: string;
  before(() => {
    assertBuilt();
    const perHour = [30, 30, 0, 0, 30, 30];
    const records = perHour.flatMap((n, hour) => Array.from({ length: n }, (_, i) => aRecord({ workspaceId: '11', requestId: `r-${hour}-${i}`, timestamp: DAY_START + hour * HOUR + i })));
    tree = writeDeliveryTree([
      { workspaceId: '11', date: '2024-03-01', name: 'auditlogs_1.json', lines: records },
      { workspaceId: '11', date: '2024-03-01', name: 'auditlogs_2.json', lines: [records[0]!] },
    ]);
    for (const file of tree.files) utimesSync(file, new Date(DAY_START + 6 * HOUR), new Date(DAY_START + 6 * HOUR));
    cache = mkdtempSync(path.join(tmpdir(), 'audit-lens-coverage-cli-'));
  });
  after(() => {
    tree.remove();
    rmSync(cache, { recursive: true, force: true });
  });

  const coverage = (args: string[]) => runCli(['coverage', '--source', tree.root, ...args], { env: { AUDIT_LENS_SCAN_CACHE: cache } });

  it('prints the documented JSON: hours per workspace, gaps, duplicates with where, late and rewritten files', async () => {
    const run = await coverage(['--format', 'json']);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as CoverageJson;
    assert.deepEqual(report.workspaces.map((w) => w.workspaceId), ['11']);
    assert.deepEqual(report.workspaces[0]!.hours.map((h) => [h.hour, h.events, h.files]), [
      ['2024-03-01T00:00:00.000Z', 31, 2],
      ['2024-03-01T01:00:00.000Z', 30, 1],
      ['2024-03-01T04:00:00.000Z', 30, 1],
      ['2024-03-01T05:00:00.000Z', 30, 1],
    ]);
    assert.deepEqual(report.workspaces[0]!.gaps.map((g) => [g.from, g.to]), [['2024-03-01T02:00:00.000Z', '2024-03-01T04:00:00.000Z']]);
    assert.equal(report.duplicates.events, 1);
    assert.deepEqual(report.duplicates.examples[0]!.places, [`${tree.files[0]}:1`, `${tree.files[1]}:1`]);
    assert.deepEqual(report.late.map((l) => l.file), [tree.files[1]], 'the copy was written six hours after its only event');
    assert.deepEqual(report.rewritten, []);
  });

  for (const [failOn, code] of [['gaps', 3], ['duplicates', 3], ['late', 3], ['any', 3], ['rewritten', 0], ['none', 0]] as const) {
    it(`--fail-on ${failOn} exits ${code}`, async () => {
      const run = await coverage(['--fail-on', failOn]);
      assert.equal(run.code, code, run.stderr);
    });
  }

  it('prints a table and Markdown a person reads, without stack traces', async () => {
    const table = await coverage([]);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^ {2}11: 121 events in 2 files, 4 hours with events, 2024-03-01T00:00:00Z \.\. 2024-03-01T05:00:00\.029Z — 1 gap$/m);
    assert.match(table.stdout, /^ {2}11: 2024-03-01T02:00Z \.\. 2024-03-01T04:00Z \(2 hours; 30 events before, 30 after\)$/m);
    const markdown = await coverage(['--format', 'markdown']);
    assert.match(markdown.stdout, /^\| 11 \| 121 \| 2 \|/m);
    assert.doesNotMatch(table.stdout + table.stderr + markdown.stderr, STACK_FRAME);
  });

  it('a usage error exits 2', async () => {
    assert.equal((await coverage(['--fail-on', 'sometimes'])).code, 2);
    assert.equal((await coverage(['--gap-threshold', '0'])).code, 2);
  });
});
