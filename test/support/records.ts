/**
 * The one audit-record builder of the tests: a record as delivered (every documented field and
 * the extra top-level keys real files carry), any field overridable or removable with `undefined`.
 */
import type { DeliveredRecord } from '../../src/shared/auditRecord';

export type AuditRecord = Partial<DeliveredRecord> & { [extra: string]: unknown };

/** Overrides are loose on purpose: validation tests give fields the wrong types. */
export function aRecord(overrides: AuditRecord | Record<string, unknown> = {}): AuditRecord {
  return {
    version: '2.0',
    auditLevel: 'WORKSPACE_LEVEL',
    timestamp: Date.UTC(2024, 2, 5, 10, 30),
    orgId: '1234567890123456',
    shardName: 'shard-1',
    accountId: 'acct-1',
    sourceIPAddress: '10.0.0.1',
    userAgent: 'curl/8.0',
    sessionId: 'session-1',
    userIdentity: { email: 'ana@example.com' },
    serviceName: 'clusters',
    actionName: 'delete',
    requestId: 'req-1',
    requestParams: { cluster_id: '0305-abc' },
    response: { statusCode: 200, errorMessage: null, result: null },
    workspaceId: '1234567890123456',
    ...overrides,
  };
}

export function aLine(overrides: AuditRecord | Record<string, unknown> = {}): string {
  return JSON.stringify(aRecord(overrides));
}

export function jsonLines(records: readonly object[]): string {
  return records.map((r) => JSON.stringify(r)).join('\n') + '\n';
}

/** Names a plain JavaScript object answers from its prototype: hostile as keys of data. */
export const PROTOTYPE_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', '__defineGetter__', '__lookupGetter__'];
