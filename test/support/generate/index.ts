/** Deterministic, seedable generator of realistic Databricks audit-log delivery trees. */
export { generateDeliveryFiles, generateRecords, generatedWorkspaceIds, serializeRecords } from './generator';
export type { DeliveryFile, GenerateOptions } from './generator';
export { generateTree } from './tree';
export type { TreeSummary } from './tree';
export type { AuditRecord, AuditResponse, GeneratedRecord } from './types';
export { Random } from './random';
export { SYSTEM_USER } from './context';
export { SAMPLE_BUCKET_OPTIONS } from './sample';
