/** Pure chart models: what to draw for a result, and the events-over-time histogram series. */
import type { HistogramBucket } from '../../src/protocol/notebook';

export interface Bar {
  label: string;
  value: number;
}

export interface Series {
  name: string;
  values: number[];
}

export type ChartModel =
  | { kind: 'bars'; title: string; bars: Bar[] }
  | { kind: 'timeseries'; title: string; labels: string[]; series: Series[] }
  | { kind: 'stacked'; title: string; labels: string[]; series: Series[] };

const MAX_BARS = 30;
const TIME_NAME = /(^|_)(date|day|time|timestamp|week|month|hour|event_time|event_date)$|date|time/i;
const DAY = /^\d{4}-\d{2}-\d{2}/;

function isNumeric(value: unknown): boolean {
  return typeof value === 'number' || (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)));
}

function isEpochMs(value: unknown): boolean {
  return typeof value === 'number' && value > 946684800000 && value < 4102444800000;
}

/** The day (yyyy-mm-dd, UTC) a time value falls on; undefined when it is not a time. */
export function dayOf(value: unknown): string | undefined {
  if (typeof value === 'string' && DAY.test(value)) return value.slice(0, 10);
  if (isEpochMs(value)) return new Date(value as number).toISOString().slice(0, 10);
  return undefined;
}

function timeColumn(columns: readonly string[], rows: readonly unknown[][]): number {
  const sample = rows.slice(0, 50);
  return columns.findIndex((name, i) => TIME_NAME.test(name) && sample.length > 0 && sample.every((r) => r[i] === null || dayOf(r[i]) !== undefined));
}

function numericColumn(columns: readonly string[], rows: readonly unknown[][], except: number): number {
  const sample = rows.slice(0, 50);
  for (let i = columns.length - 1; i >= 0; i--) {
    if (i === except) continue;
    if (sample.length > 0 && sample.every((r) => r[i] === null || (isNumeric(r[i]) && !isEpochMs(r[i])))) return i;
  }
  return -1;
}

/** A chart for a query result: a time series when a date/timestamp column is there, else bars for grouped counts. */
export function chartForResult(columns: readonly string[], rows: readonly unknown[][]): ChartModel | undefined {
  if (rows.length === 0 || columns.length === 0) return undefined;
  const time = timeColumn(columns, rows);
  if (time >= 0) {
    const value = numericColumn(columns, rows, time);
    const totals = new Map<string, number>();
    for (const r of rows) {
      const day = dayOf(r[time]);
      if (day === undefined) continue;
      totals.set(day, (totals.get(day) ?? 0) + (value >= 0 ? Number(r[value] ?? 0) : 1));
    }
    const labels = [...totals.keys()].sort();
    const name = value >= 0 ? columns[value] : 'rows';
    return { kind: 'timeseries', title: `${name} per day (${columns[time]})`, labels, series: [{ name, values: labels.map((l) => totals.get(l) ?? 0) }] };
  }
  const value = numericColumn(columns, rows, -1);
  if (value < 0) return undefined;
  const labelColumns = columns.map((_, i) => i).filter((i) => i !== value);
  const bars = rows.map((r) => ({
    label: labelColumns.length ? labelColumns.map((i) => (r[i] === null || r[i] === undefined ? 'NULL' : String(r[i]))).join(' · ') : String(rows.indexOf(r) + 1),
    value: Number(r[value] ?? 0),
  }));
  bars.sort((a, b) => b.value - a.value);
  const shown = bars.slice(0, MAX_BARS);
  return { kind: 'bars', title: bars.length > MAX_BARS ? `${columns[value]} (top ${MAX_BARS} of ${bars.length})` : columns[value], bars: shown };
}

/** Events per day stacked by the busiest services; the rest are summed as "other". */
export function histogramModel(buckets: readonly HistogramBucket[], topServices = 5): ChartModel {
  const byService = new Map<string, number>();
  const days = new Set<string>();
  for (const b of buckets) {
    byService.set(b.serviceName, (byService.get(b.serviceName) ?? 0) + b.count);
    days.add(b.date);
  }
  const top = [...byService.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, topServices).map(([s]) => s);
  const labels = [...days].sort();
  const index = new Map(labels.map((d, i) => [d, i]));
  const names = byService.size > top.length ? [...top, 'other'] : top;
  const series: Series[] = names.map((name) => ({ name, values: labels.map(() => 0) }));
  for (const b of buckets) {
    const s = top.indexOf(b.serviceName);
    series[s >= 0 ? s : names.length - 1].values[index.get(b.date) as number] += b.count;
  }
  return { kind: 'stacked', title: 'Events per day by service', labels, series };
}
