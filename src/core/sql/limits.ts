/** The query session's default budgets, apart from the engine so callers need not load sql.js to read them. */

/** Rows a load may put in `audit_logs` unless the caller sets another budget. */
export const DEFAULT_MAX_ROWS = 2_000_000;

/** Rows a query hands back (the rest are counted, not kept). */
export const DEFAULT_QUERY_MAX_ROWS = 10_000;
