/**
 * The one instant every "now" of a statement reads: Spark evaluates current_timestamp() once per
 * query, so two calls in one statement are equal. A statement starts at its as-of instant when the
 * caller set one, else at the wall clock read when it starts.
 */
export class StatementClock {
  private instant = Date.now();

  /** Starts a statement at `asOf` (epoch ms), or at the wall clock. */
  start(asOf?: number): void {
    this.instant = asOf ?? Date.now();
  }

  /** The running statement's instant in epoch ms. */
  now(): number {
    return this.instant;
  }
}

/** What a query may say about its clock. */
export interface ClockOptions {
  /** The instant (epoch ms) every "now" of each statement evaluates at; the wall clock when absent. */
  asOf?: number;
}
