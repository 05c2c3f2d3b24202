/** Errors as the webviews receive them. */
import { AuditLensError } from '../../core/errors';
import { tokenize } from '../../shared/sql/lexer';
import type { WireError } from '../../protocol/notebook';

/** An error for the webview: code, message, detail and, for SQL errors, the offset and length of the token there. */
export function toWireError(error: unknown, sql?: string): WireError {
  const e = AuditLensError.from(error);
  const wire: WireError = { code: e.code, userMessage: e.userMessage };
  if (e.detail) wire.detail = e.detail;
  const position = (e as { position?: { offset?: unknown } }).position;
  if (sql !== undefined && position && typeof position.offset === 'number') {
    const offset = Math.max(0, Math.min(position.offset, sql.length));
    const token = tokenize(sql, { lenient: true, backslashEscapes: true }).find((t) => t.start <= offset && offset < t.end && t.kind !== 'space');
    wire.position = { offset, length: token ? token.end - offset : 1 };
  }
  return wire;
}
