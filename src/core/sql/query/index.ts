/** A cell's SQL parsed once, for every reader of it. */
export { parseQuery, asParsedQuery, type ParsedQuery } from './query';
export { parseSql, type ParsedSql, type ParsedStatement } from './parse';
export { WRITE_WORDS } from './statements';
