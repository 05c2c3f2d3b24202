/** Builds audit records as delivered: every documented field, overridable. */
export function aRecord(overrides: Record<string, unknown> = {}): Record<string, unknown> {
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

export function aLine(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify(aRecord(overrides));
}
