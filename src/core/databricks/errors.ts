/** What went wrong on the warehouse, in words that say which permission or setting to check. */
import { AuditLensError } from '../errors';
import type { ServiceError, StatementStatus } from './api';

function serverSays(body: ServiceError | undefined): string {
  const parts = [body?.error_code, body?.message].filter((p): p is string => typeof p === 'string' && p !== '');
  return parts.length > 0 ? `Databricks says: ${parts.join(': ')}` : '';
}

/** An HTTP error answer of the API (not a FAILED statement), explained. */
export function httpError(status: number, body: ServiceError | undefined, context: { warehouseId?: string; host: string }): AuditLensError {
  const says = serverSays(body);
  const warehouse = context.warehouseId ? `SQL warehouse ${context.warehouseId}` : 'the SQL warehouse';
  switch (true) {
    case status === 400:
      return new AuditLensError('sql', `The warehouse rejected the request (HTTP 400). ${body?.message ?? ''}`.trim(), says || undefined);
    case status === 401:
      return new AuditLensError(
        'no-credentials',
        `Databricks did not accept the token (HTTP 401) at ${context.host}: it is missing, mistyped, expired or revoked. Create a personal access token (User Settings → Developer → Access tokens) and set it in DATABRICKS_TOKEN, the profile's token, or the editor's "Set Databricks Token".`,
        says || undefined,
      );
    case status === 403:
      return new AuditLensError(
        'permission-denied',
        `The token's user may not run statements on ${warehouse} (HTTP 403): they need the "Databricks SQL access" entitlement and CAN USE on the warehouse, and READ FILES on the bucket's external location (or SELECT on the audit table).`,
        says || undefined,
      );
    case status === 404:
      return new AuditLensError(
        'not-found',
        `Not found (HTTP 404): check the warehouse id (--warehouse or auditLens.databricks.warehouseId: ${context.warehouseId ?? 'none'}) and the workspace host ${context.host}; a statement's result is also gone 12 hours after it ends.`,
        says || undefined,
      );
    case status === 429:
      return new AuditLensError('network', 'Databricks is limiting requests (HTTP 429: too many requests or too many statements queued on the warehouse). Wait a moment and run it again, or use a larger warehouse.', says || undefined);
    case status >= 500:
      return new AuditLensError('network', `Databricks had a server error (HTTP ${status}): the workspace or warehouse may be starting, under maintenance or overloaded. Try again in a minute.`, says || undefined);
    default:
      return new AuditLensError('network', `Databricks answered HTTP ${status}.`, says || undefined);
  }
}

/** A statement that ended without rows: FAILED and CANCELED carry the warehouse's own message. */
export function statementEnded(status: StatementStatus, statementId: string): AuditLensError {
  const message = status.error?.message ?? 'no message';
  const detail = [`statement ${statementId}`, status.error?.error_code, status.sql_state ? `SQLSTATE ${status.sql_state}` : undefined].filter(Boolean).join(', ');
  switch (status.state) {
    case 'FAILED':
      return new AuditLensError('sql', `The statement failed on the warehouse: ${message}`, detail);
    case 'CANCELED':
      // Not the user's Ctrl+C (that never reaches here): someone or something on the warehouse stopped it.
      return new AuditLensError('sql', `The statement was cancelled on the warehouse: ${status.error?.message ?? 'it gave no reason'}`, detail);
    case 'CLOSED':
      return new AuditLensError('data', 'The statement was closed on the warehouse and its result is no longer available: run it again.', detail);
    default:
      return new AuditLensError('internal', `The statement ended in the unexpected state ${String(status.state)}.`, detail);
  }
}
