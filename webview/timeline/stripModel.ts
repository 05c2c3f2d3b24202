/**
 * The time strip's model, pure: one lane per workspace × service with its events' times sorted,
 * the visible range (zoom about a point, pan, clamped), and per-pixel-column counts, so drawing
 * costs the strip's width, not the number of events.
 */
import type { TimelineEvent } from '../../src/shared/timeline';

export interface Lane {
  key: string;
  workspaceId: string;
  serviceName: string;
  /** Times of the lane's events, ascending. */
  times: Float64Array;
  /** Times of its failed events (status 400 and above), ascending. */
  errorTimes: Float64Array;
}

export interface TimeRange {
  start: number;
  end: number;
}

const MIN_SPAN_MS = 1000;
/** The lane of events without a service, named as the CLI's summary names it. */
const NO_SERVICE = '(none)';
const HOUR_MS = 3_600_000;

export function laneLabel(lane: Pick<Lane, 'workspaceId' | 'serviceName'>): string {
  return `${lane.workspaceId === '0' ? 'account' : lane.workspaceId} · ${lane.serviceName}`;
}

/** Lanes sorted by workspace (account level first) then service; events without a time are left out. */
export function buildLanes(events: readonly TimelineEvent[]): Lane[] {
  const byKey = new Map<string, { workspaceId: string; serviceName: string; times: number[]; errorTimes: number[] }>();
  for (const event of events) {
    if (event.timestamp === null || !Number.isFinite(event.timestamp)) continue;
    const serviceName = event.serviceName ?? NO_SERVICE;
    const key = `${event.workspaceId}\u0000${serviceName}`;
    let lane = byKey.get(key);
    if (!lane) byKey.set(key, (lane = { workspaceId: event.workspaceId, serviceName, times: [], errorTimes: [] }));
    lane.times.push(event.timestamp);
    if (event.statusCode !== null && event.statusCode >= 400) lane.errorTimes.push(event.timestamp);
  }
  const sorted = (values: number[]) => Float64Array.from(values).sort();
  return [...byKey.entries()]
    .map(([key, l]) => ({ key, workspaceId: l.workspaceId, serviceName: l.serviceName, times: sorted(l.times), errorTimes: sorted(l.errorTimes) }))
    .sort((a, b) => compareWorkspaces(a.workspaceId, b.workspaceId) || (a.serviceName < b.serviceName ? -1 : a.serviceName > b.serviceName ? 1 : 0));
}

/** Workspace ids are digit strings of any length: order by length, then text (numeric order without Number). */
function compareWorkspaces(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** The range that shows every event with a little margin (an hour either side of a single instant). */
export function fullRange(lanes: readonly Lane[]): TimeRange | undefined {
  let first = Infinity;
  let last = -Infinity;
  for (const lane of lanes) {
    if (lane.times.length === 0) continue;
    first = Math.min(first, lane.times[0]!);
    last = Math.max(last, lane.times[lane.times.length - 1]!);
  }
  if (first === Infinity) return undefined;
  const span = last - first;
  const margin = span === 0 ? HOUR_MS : span * 0.02;
  return { start: first - margin, end: last + margin };
}

/**
 * Zooms by `factor` (< 1 in, > 1 out) keeping the instant at `anchor` (0..1 across the strip)
 * in place; never narrower than a second, nor wider than four times the whole extent.
 */
export function zoomRange(range: TimeRange, factor: number, anchor: number, extent: TimeRange): TimeRange {
  const span = range.end - range.start;
  const maxSpan = Math.max((extent.end - extent.start) * 4, MIN_SPAN_MS);
  const next = Math.min(maxSpan, Math.max(MIN_SPAN_MS, span * factor));
  const pivot = range.start + span * Math.min(1, Math.max(0, anchor));
  const start = pivot - (pivot - range.start) * (next / span);
  return clampRange({ start, end: start + next }, extent);
}

/** Moves the range by `deltaMs`, keeping some of the events in view. */
export function panRange(range: TimeRange, deltaMs: number, extent: TimeRange): TimeRange {
  return clampRange({ start: range.start + deltaMs, end: range.end + deltaMs }, extent);
}

/** Keeps at least a tenth of the view over the events' extent. */
function clampRange(range: TimeRange, extent: TimeRange): TimeRange {
  const span = range.end - range.start;
  const slack = span * 0.9;
  let start = range.start;
  if (start > extent.end - span + slack) start = extent.end - span + slack;
  if (start < extent.start - slack) start = extent.start - slack;
  return { start, end: start + span };
}

/** First index whose time is ≥ `t` in an ascending array. */
export function lowerBound(times: Float64Array, t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose time is > `t` in an ascending array. */
export function upperBound(times: Float64Array, t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Events per column: `columns` equal slices of the range (the last one closed at the range's end). */
export function bucketCounts(times: Float64Array, range: TimeRange, columns: number): Uint32Array {
  const counts = new Uint32Array(columns);
  if (columns <= 0 || times.length === 0) return counts;
  const width = (range.end - range.start) / columns;
  let previous = lowerBound(times, range.start);
  for (let c = 0; c < columns; c++) {
    const next = c === columns - 1 ? upperBound(times, range.end) : lowerBound(times, range.start + width * (c + 1));
    counts[c] = next - previous;
    previous = next;
  }
  return counts;
}

/** Events of all lanes inside the range. */
export function visibleEvents(lanes: readonly Lane[], range: TimeRange): number {
  let n = 0;
  for (const lane of lanes) n += upperBound(lane.times, range.end) - lowerBound(lane.times, range.start);
  return n;
}

const TICK_STEPS_MS = [1, 2, 5, 10, 15, 30].map((s) => s * 1000).concat([1, 2, 5, 10, 15, 30].map((m) => m * 60_000), [1, 2, 3, 6, 12].map((h) => h * HOUR_MS), [1, 2, 7, 14, 30, 90, 180, 365].map((d) => d * 24 * HOUR_MS));

/** Round instants (UTC) across the range, about `wanted` of them. */
export function timeTicks(range: TimeRange, wanted: number): number[] {
  const span = range.end - range.start;
  const step = TICK_STEPS_MS.find((s) => span / s <= wanted) ?? TICK_STEPS_MS[TICK_STEPS_MS.length - 1]!;
  const ticks: number[] = [];
  for (let t = Math.ceil(range.start / step) * step; t <= range.end && ticks.length < 1000; t += step) ticks.push(t);
  return ticks;
}

/** A tick's label: the date at midnight, the time otherwise (seconds only when the step needs them). */
export function tickLabel(t: number, stepMs: number): string {
  const iso = new Date(t).toISOString();
  if (stepMs >= 24 * HOUR_MS || iso.slice(11, 19) === '00:00:00') return iso.slice(0, 10);
  return stepMs < 60_000 ? iso.slice(11, 19) : iso.slice(11, 16);
}

/** An instant as the strip and grid show it: `yyyy-mm-dd hh:mm:ss.mmm` UTC. */
export function formatInstant(t: number | null): string {
  return t === null || !Number.isFinite(t) ? '' : new Date(t).toISOString().replace('T', ' ').replace('Z', '');
}
