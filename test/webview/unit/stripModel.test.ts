/** The time strip's model: lanes, ranges, zoom and pan limits, per-column counts, ticks. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bucketCounts, buildLanes, fullRange, panRange, timeTicks, visibleEvents, zoomRange } from '../../../webview/timeline/stripModel';
import { anEvent, manyEvents, T0 } from '../../support/timelineEvents';

describe('strip model', () => {
  it('builds a lane per workspace × service, account level first, workspaces in numeric order, timeless events left out', () => {
    const lanes = buildLanes([
      anEvent({ workspaceId: '98765432109876543210', serviceName: 'jobs' }),
      anEvent({ workspaceId: '0', serviceName: 'accounts', statusCode: 401 }),
      anEvent({ workspaceId: '123', serviceName: null, timestamp: T0 + 5 }),
      anEvent({ workspaceId: '123', serviceName: 'clusters', timestamp: null }),
      anEvent({ workspaceId: '0', serviceName: 'accounts', timestamp: T0 - 10 }),
    ]);
    assert.deepEqual(lanes.map((l) => [l.workspaceId, l.serviceName, [...l.times], [...l.errorTimes]]), [
      ['0', 'accounts', [T0 - 10, T0], [T0]],
      ['123', '(none)', [T0 + 5], []],
      ['98765432109876543210', 'jobs', [T0], []],
    ]);
  });

  it('counts each event in exactly one column, the range ends included', () => {
    const lanes = buildLanes(manyEvents(1000));
    const range = fullRange(lanes)!;
    let total = 0;
    for (const lane of lanes) total += bucketCounts(lane.times, range, 37).reduce((a, b) => a + b, 0);
    assert.equal(total, 1000);
    const times = Float64Array.from([0, 10, 10, 20]);
    assert.deepEqual([...bucketCounts(times, { start: 0, end: 20 }, 2)], [1, 3]);
    assert.equal(visibleEvents(lanes, range), 1000);
  });

  it('zooms about the anchor within limits, and panning keeps the span but some events in view', () => {
    const extent = { start: 0, end: 1_000_000 };
    const zoomed = zoomRange(extent, 0.5, 0.25, extent);
    assert.deepEqual(zoomed, { start: 125_000, end: 625_000 });
    assert.equal(zoomRange(extent, 1e-9, 0.5, extent).end - zoomRange(extent, 1e-9, 0.5, extent).start, 1000, 'never narrower than a second');
    const out = zoomRange(extent, 100, 0.5, extent);
    assert.equal(out.end - out.start, 4_000_000, 'never wider than four extents');
    const far = panRange(zoomed, 10_000_000, extent);
    assert.equal(far.end - far.start, 500_000);
    assert.ok(far.start <= extent.end - 50_000, 'a tenth of the view still over the events');
    const back = panRange(zoomed, -10_000_000, extent);
    assert.ok(back.end >= extent.start + 50_000);
  });

  it('puts ticks on round instants', () => {
    const ticks = timeTicks({ start: Date.UTC(2026, 10, 30, 0, 7), end: Date.UTC(2026, 10, 30, 6, 7) }, 8);
    assert.deepEqual(ticks.map((t) => new Date(t).toISOString().slice(11, 16)), ['01:00', '02:00', '03:00', '04:00', '05:00', '06:00']);
  });
});
