/** The Spark-style SQL dialect: lexer, translation to SQLite, and error positions. */
export { significant, type Token, type TokenKind } from '../../../shared/sql/lexer';
export { lex } from './lex';
export { translateSparkSql, JSON_COLUMNS, JSON_VALUE_MARK, type Translation } from './translate';
export { sqliteErrorToSqlError, type ParseProbe, type StatementSpan } from './errors';
export { SqlError, positionAt, type SqlPosition, type SerializedSqlError } from './position';
