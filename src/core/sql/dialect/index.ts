/** The Spark-style SQL dialect: lexer, translation to SQLite, and error positions. */
export { tokenize, significant, type Token, type TokenKind } from './tokens';
export { translateSparkSql, JSON_COLUMNS, JSON_VALUE_MARK, type Translation } from './translate';
export { sqliteErrorToSqlError, type ParseProbe, type StatementSpan } from './errors';
export { SqlError, positionAt, type SqlPosition, type SerializedSqlError } from './position';
