/** The shape of a delivered Databricks audit-log record, as the generator writes it: the model's, narrowed. */
import type { DeliveredRecord } from '../../../src/shared/auditRecord';

export type AuditResponse = DeliveredRecord['response'];

export type AuditRecord = Omit<DeliveredRecord, 'version' | 'auditLevel' | 'workspaceId'> & {
  version: '2.0';
  auditLevel: 'WORKSPACE_LEVEL' | 'ACCOUNT_LEVEL';
  /** Kept as a string: workspace ids exceed JavaScript's safe integers. Sometimes absent. */
  workspaceId?: string;
  orgId?: string;
  shardName?: string;
};

/** A record together with the partition folder it is delivered under. */
export interface GeneratedRecord {
  /** The `workspaceId=` folder ('0' for account-level events). */
  workspaceId: string;
  /** The `date=` folder (UTC day of the timestamp). */
  date: string;
  record: AuditRecord;
}
