/** The heatmap's model from a coverage run: columns, cells, gaps and duplicates on their cells, the summary, and a cell's files. */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildCoverageView, describeGap, filesOfCell, MAX_DAYS } from '../../../src/extension/coverage/view';
import { coverageHandlers } from '../../../src/worker/coverage/handlers';
import type { CoverageRun } from '../../../src/worker/coverage/protocol';
import type { CoverageRequest } from '../../../src/core/coverage';
import { writeCoverageTree } from '../../support/coverageTree';
import type { DeliveryTree } from '../../support/deliveryTree';

/** The thread's handler, run in this process. */
function measure(request: CoverageRequest): Promise<CoverageRun> {
  return coverageHandlers.measure(request, { signal: new AbortController().signal, progress: () => {}, chunk: async () => {} });
}

describe('the coverage view', () => {
  let tree: DeliveryTree;
  let run: CoverageRun;

  before(async () => {
    tree = writeCoverageTree();
    run = await measure({ sources: [tree.root] });
  });
  after(() => tree.remove());

  it('has a column per UTC day and a row per workspace, each day with its 24 hours', () => {
    const view = buildCoverageView(run);
    assert.deepEqual(view.days, ['2024-03-01', '2024-03-02']);
    assert.deepEqual(view.rows.map((r) => r.workspaceId), ['7', '8', '9']);
    const [first, second] = view.rows[0]!.days;
    assert.equal(first!.events, 22 * 25 + 2);
    assert.equal(first!.files, 2);
    assert.equal(first!.hours.length, 24);
    assert.equal(first!.hours[3], 27, 'both copies count as delivered');
    assert.equal(first!.hourFiles[3], 2);
    assert.equal(second!.events, 24 * 25);
    assert.equal(view.rows[2]!.days[0]!.events, 0, 'a day without events is an empty cell');
  });

  it('puts a gap on its hours with words, and marks the stopped workspace and its silence', () => {
    const view = buildCoverageView(run);
    const day = view.rows[0]!.days[0]!;
    assert.deepEqual(day.gapHours, [10, 11]);
    assert.deepEqual(day.gaps, ['No events from 2024-03-01 10:00 to 2024-03-01 12:00 UTC (2 hours), between an hour of 25 events and one of 25 events']);
    const eight = view.rows[1]!;
    assert.equal(eight.stopped, true);
    assert.equal(eight.lastEvent, '2024-03-01T05:00:24.000Z');
    assert.deepEqual(eight.days[0]!.gapHours, [6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23]);
    assert.equal(eight.days[1]!.gapHours.length, 24, 'the silence runs to the scope\'s last hour');
    assert.match(eight.days[1]!.gaps[0]!, /delivery may have stopped$/);
    assert.equal(view.rows[0]!.days[1]!.gapHours.length, 0);
  });

  it('marks the day a duplicate falls on, and sums the summary with its rules', () => {
    const view = buildCoverageView(run);
    assert.deepEqual(view.rows.map((r) => r.days.map((d) => d.duplicates)), [[1, 0], [0, 0], [0, 0]]);
    assert.deepEqual(view.summary, { files: 5, events: 22 * 25 + 2 + 24 * 25 + 6 * 25 + 4, gaps: 2, duplicates: 1, late: 0, rewritten: 0, rewrittenChanged: 0, unreadable: 0, rejectedLines: 0 });
    assert.match(view.rules.gaps, /each hold at least 20 events/);
    assert.match(view.rules.late, /more than 120 minutes/);
    assert.ok(view.notes.includes(`Duplicate: clusters.create request twice at 2024-03-01T03:00:00.500Z in ${path.join('workspaceId=7', 'date=2024-03-01', 'auditlogs_a.json')}:551 and ${path.join('workspaceId=7', 'date=2024-03-01', 'auditlogs_b.json')}:1.`), view.notes.join('\n'));
  });

  it('spans the tree\'s date range when one is set, and keeps the newest days past the limit', () => {
    assert.deepEqual(buildCoverageView(run, { from: '2024-02-28', to: '2024-03-03' }).days, ['2024-02-28', '2024-02-29', '2024-03-01', '2024-03-02', '2024-03-03']);
    const long = buildCoverageView(run, { from: '2022-01-01', to: '2024-03-02' });
    assert.equal(long.days.length, MAX_DAYS);
    assert.equal(long.days.at(-1), '2024-03-02');
    assert.ok(long.notes.some((n) => n.includes(`the newest ${MAX_DAYS} are shown`)));
  });

  it('finds the files read behind a day or an hour, and none elsewhere', () => {
    const names = (files: string[]) => files.map((f) => path.basename(f));
    assert.deepEqual(names(filesOfCell(run.files, { workspaceId: '7', date: '2024-03-01' })), ['auditlogs_a.json', 'auditlogs_b.json']);
    assert.deepEqual(names(filesOfCell(run.files, { workspaceId: '7', date: '2024-03-01', hour: 3 })), ['auditlogs_a.json', 'auditlogs_b.json']);
    assert.deepEqual(names(filesOfCell(run.files, { workspaceId: '7', date: '2024-03-01', hour: 4 })), ['auditlogs_a.json']);
    assert.deepEqual(filesOfCell(run.files, { workspaceId: '7', date: '2024-03-01', hour: 10 }), [], 'a gap hour holds no file');
    assert.deepEqual(names(filesOfCell(run.files, { workspaceId: '9', date: '2024-03-02', hour: 6 })), ['auditlogs_e.json']);
    assert.deepEqual(filesOfCell(run.files, { workspaceId: '8', date: '2024-03-02' }), []);
  });

  it('says a gap in words, with or without an hour after', () => {
    assert.equal(describeGap({ from: '2024-03-01T02:00:00.000Z', to: '2024-03-01T03:00:00.000Z', hours: 1, before: 1, after: 40 }), 'No events from 2024-03-01 02:00 to 2024-03-01 03:00 UTC (1 hour), between an hour of 1 event and one of 40 events');
    assert.equal(describeGap({ from: '2024-03-01T02:00:00.000Z', to: '2024-03-02T00:00:00.000Z', hours: 22, before: 30, after: null }), 'No events from 2024-03-01 02:00 to 2024-03-02 00:00 UTC (22 hours), the end of the scope, after an hour of 30 events: delivery may have stopped');
  });
});
