/** Registers JavaScript functions on a sql.js database: scalars of several arities, aggregates. */
import type { Database, SqlValue } from 'sql.js';

export type ScalarFunction = (...args: SqlValue[]) => SqlValue | boolean;

/**
 * Registers `impl` for each arity in [min, max]: sql.js takes a function's arity from its `length`
 * and calls it with exactly that many arguments, so a bound copy with that `length` is enough.
 */
export function registerScalar(db: Database, name: string, min: number, max: number, impl: ScalarFunction): void {
  for (let arity = min; arity <= max; arity++) {
    const bound = impl.bind(undefined);
    Object.defineProperty(bound, 'length', { value: arity });
    db.create_function(name, bound);
  }
}

export interface Aggregate<S> {
  init: () => S;
  step: (state: S, ...values: SqlValue[]) => S;
  finalize: (state: S) => SqlValue;
}

/**
 * Registers an aggregate of `arity` arguments (sql.js takes the arity from `step.length - 1`).
 * sql.js has `create_aggregate` but its typings do not.
 */
export function registerAggregate<S>(db: Database, name: string, aggregate: Aggregate<S>, arity = 1): void {
  const step = (state: S, ...values: SqlValue[]): S => aggregate.step(state, ...values);
  Object.defineProperty(step, 'length', { value: arity + 1 });
  (db as unknown as { create_aggregate(name: string, functions: Aggregate<S>): void }).create_aggregate(name, { ...aggregate, step });
}
