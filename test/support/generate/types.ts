/** The shape of a delivered Databricks audit-log record, as the generator writes it. */

export interface AuditResponse {
  statusCode: number | null;
  errorMessage: string | null;
  result: string | null;
}

export interface AuditRecord {
  version: '2.0';
  auditLevel: 'WORKSPACE_LEVEL' | 'ACCOUNT_LEVEL';
  /** Epoch milliseconds. */
  timestamp: number;
  orgId?: string;
  shardName?: string;
  accountId: string;
  /** Kept as a string: workspace ids exceed JavaScript's safe integers. Sometimes absent. */
  workspaceId?: string;
  sourceIPAddress: string | null;
  userAgent: string | null;
  sessionId: string | null;
  userIdentity: { email: string | null };
  serviceName: string;
  actionName: string;
  requestId: string;
  /** Values are strings: numbers, booleans and objects arrive JSON-encoded. */
  requestParams: Record<string, string>;
  response: AuditResponse;
}

/** A record together with the partition folder it is delivered under. */
export interface GeneratedRecord {
  /** The `workspaceId=` folder ('0' for account-level events). */
  workspaceId: string;
  /** The `date=` folder (UTC day of the timestamp). */
  date: string;
  record: AuditRecord;
}
