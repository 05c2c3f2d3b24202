/** Validation of audit-log lines, files and documents against the schema and the catalog. */
export * from './types';
export { validateLine } from './line';
export { validateStream, validateFile, type ValidateOptions } from './stream';
export { validateDocument, validateDocumentInSlices } from './document';
export { scanJson, type ScanResult, type ScannedMember } from './scan';
