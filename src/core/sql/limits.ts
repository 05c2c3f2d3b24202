/** The query session's default result cap, apart from the engine so callers need not load sql.js to read it (the row budget: see budget). */

/** Rows a query hands back (the rest are counted, not kept). */
export const DEFAULT_QUERY_MAX_ROWS = 10_000;
