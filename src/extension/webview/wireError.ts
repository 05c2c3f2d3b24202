/** Errors as the webviews receive them. */
import { AuditLensError } from '../../core/errors';
import { lexSpark, tokenAt, type LexedSql } from '../../shared/sql/lexer';
import type { WireError } from '../../protocol/notebook';

/**
 * An error for the webview: code, message, detail and, for SQL errors, the offset and length of
 * the token there (in the SQL as lexed already, or lexed here when given as text).
 */
export function toWireError(error: unknown, sql?: string | LexedSql): WireError {
  const e = AuditLensError.from(error);
  const wire: WireError = { code: e.code, userMessage: e.userMessage };
  if (e.detail) wire.detail = e.detail;
  const position = (e as { position?: { offset?: unknown } }).position;
  if (sql !== undefined && position && typeof position.offset === 'number') {
    const lexed = typeof sql === 'string' ? lexSpark(sql) : sql;
    const offset = Math.max(0, Math.min(position.offset, lexed.source.length));
    const token = tokenAt(lexed.tokens, offset);
    wire.position = { offset, length: token ? token.end - offset : 1 };
  }
  return wire;
}
