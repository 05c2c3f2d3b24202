/** Spark's aggregates SQLite lacks, with Spark's NULL handling (NULL inputs are skipped unless noted). */
import type { Database, SqlValue } from 'sql.js';
import { distinct, jsonElement, text } from './spark-values';
import { registerAggregate, type Aggregate } from './udf';

export function registerAggregates(db: Database): void {
  registerCollections(db);
  registerPicks(db);
  registerPercentiles(db);
  registerBooleans(db);
  registerDeviations(db);
}

interface Moments {
  n: number;
  sum: number;
  squares: number;
}

/** stddev/variance (sample, or population for the _pop forms); NULL for too few rows, as in Spark. */
function registerDeviations(db: Database): void {
  const moments = (finish: (m: Moments) => number | null): Aggregate<Moments> => ({
    init: () => ({ n: 0, sum: 0, squares: 0 }),
    step: (m, value) => {
      if (value === null || value === undefined || !Number.isFinite(Number(value))) return m;
      const x = Number(value);
      return { n: m.n + 1, sum: m.sum + x, squares: m.squares + x * x };
    },
    finalize: (m) => (m && m.n > 0 ? finish(m) : null),
  });
  const variance = (population: boolean) => (m: Moments): number | null => {
    const divisor = population ? m.n : m.n - 1;
    if (divisor <= 0) return null;
    return Math.max(0, (m.squares - (m.sum * m.sum) / m.n) / divisor);
  };
  const deviation = (population: boolean) => (m: Moments): number | null => {
    const v = variance(population)(m);
    return v === null ? null : Math.sqrt(v);
  };
  for (const name of ['stddev', 'stddev_samp', 'std']) registerAggregate(db, name, moments(deviation(false)));
  registerAggregate(db, 'stddev_pop', moments(deviation(true)));
  for (const name of ['variance', 'var_samp']) registerAggregate(db, name, moments(variance(false)));
  registerAggregate(db, 'var_pop', moments(variance(true)));
}

function registerCollections(db: Database): void {
  const list: Aggregate<unknown[]> = {
    init: () => [],
    step: (state, value) => {
      if (value !== null && value !== undefined) state.push(jsonElement(value));
      return state;
    },
    finalize: (state) => JSON.stringify(state ?? []),
  };
  registerAggregate(db, 'collect_list', list);
  registerAggregate(db, 'array_agg', list);
  registerAggregate(db, 'collect_set', { ...list, finalize: (state) => JSON.stringify(distinct(state ?? [])) });
  registerAggregate<number>(db, 'count_if', {
    init: () => 0,
    step: (count, value) => (value !== null && Number(value) !== 0 ? count + 1 : count),
    finalize: (count) => count ?? 0,
  });
  // Exact, where Spark's HyperLogLog++ estimate may differ by a few percent on large inputs.
  registerAggregate<Set<string>>(db, 'approx_count_distinct', {
    init: () => new Set(),
    step: (seen, value) => (value === null ? seen : seen.add(JSON.stringify(jsonElement(value!)))),
    finalize: (seen) => seen?.size ?? 0,
  });
}

interface Pick {
  seen: boolean;
  value: SqlValue;
}

interface ByPick {
  value: SqlValue;
  order: SqlValue;
}

function registerPicks(db: Database): void {
  // first/last(x[, ignoreNulls]): the first or last row's value in the order rows arrive.
  const pick = (last: boolean): Aggregate<Pick> => ({
    init: () => ({ seen: false, value: null }),
    step: (state, value, ignoreNulls = 0) => {
      if (value === null && Number(ignoreNulls)) return state;
      if (!state.seen || last) return { seen: true, value: value! };
      return state;
    },
    finalize: (state) => state?.value ?? null,
  });
  for (const arity of [1, 2]) {
    registerAggregate(db, 'spark_first', pick(false), arity);
    registerAggregate(db, 'spark_last', pick(true), arity);
  }
  // max_by/min_by(x, y): x of the row with the largest/smallest y; rows with a NULL y are skipped.
  const by = (sign: number): Aggregate<ByPick | null> => ({
    init: () => null,
    step: (state, value, order) => {
      if (order === null || order === undefined) return state;
      if (state === null || sign * compare(order, state.order) > 0) return { value: value!, order };
      return state;
    },
    finalize: (state) => state?.value ?? null,
  });
  registerAggregate(db, 'max_by', by(1), 2);
  registerAggregate(db, 'min_by', by(-1), 2);
}

function compare(a: SqlValue, b: SqlValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = text(a!);
  const y = text(b!);
  return x < y ? -1 : x > y ? 1 : 0;
}

interface Percentiles {
  values: number[];
  percentages: SqlValue;
}

/** The percentages argument: one number, or a JSON array of them (Spark's array(0.25, 0.75)). */
function percentages(value: SqlValue): { list: number[]; many: boolean } {
  const raw = typeof value === 'string' && value.trim().startsWith('[') ? (JSON.parse(value) as unknown[]) : [value];
  const list = raw.map(Number);
  if (list.some((p) => !(p >= 0 && p <= 1))) throw new Error('percentile: the percentage must be between 0.0 and 1.0');
  return { list, many: raw !== undefined && typeof value === 'string' && value.trim().startsWith('[') };
}

/** Spark's percentile: exact, linear interpolation between the closest ranks. */
function exactPercentile(sorted: readonly number[], p: number): number {
  const position = p * (sorted.length - 1);
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}

/** Spark's approx_percentile: the smallest value with at least p of the values at or below it. */
function approxPercentile(sorted: readonly number[], p: number): number {
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

function percentileAggregate(pick: (sorted: readonly number[], p: number) => number, fixed?: number): Aggregate<Percentiles> {
  return {
    init: () => ({ values: [], percentages: fixed ?? null }),
    step: (state, value, p = fixed ?? null) => {
      state.percentages = p;
      if (value !== null && value !== undefined && Number.isFinite(Number(value))) state.values.push(Number(value));
      return state;
    },
    finalize: (state) => {
      if (!state || state.values.length === 0 || state.percentages === null) return null;
      const sorted = [...state.values].sort((a, b) => a - b);
      const { list, many } = percentages(state.percentages);
      const results = list.map((p) => pick(sorted, p));
      return many ? JSON.stringify(results) : results[0]!;
    },
  };
}

function registerPercentiles(db: Database): void {
  registerAggregate(db, 'percentile', percentileAggregate(exactPercentile), 2);
  registerAggregate(db, 'median', percentileAggregate(exactPercentile, 0.5), 1);
  for (const arity of [2, 3]) {
    registerAggregate(db, 'approx_percentile', percentileAggregate(approxPercentile), arity);
    registerAggregate(db, 'percentile_approx', percentileAggregate(approxPercentile), arity);
  }
}

function registerBooleans(db: Database): void {
  const fold = (any: boolean): Aggregate<boolean | null> => ({
    init: () => null,
    step: (state, value) => {
      if (value === null || value === undefined) return state;
      const b = Number(value) !== 0;
      return state === null ? b : any ? state || b : state && b;
    },
    finalize: (state) => (state === null || state === undefined ? null : state ? 1 : 0),
  });
  registerAggregate(db, 'bool_or', fold(true));
  registerAggregate(db, 'bool_and', fold(false));
  registerAggregate(db, 'every', fold(false));
}
