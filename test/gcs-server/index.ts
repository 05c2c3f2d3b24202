export { GcsTestServer, startGcsServer, type GcsServerOptions, type DownloadRecord } from './server';
export { bufferContent, repeatedLineContent, type ObjectContent, type StoredObject } from './store';
export type { FaultRule, Misbehaviour, RecordedRequest, RequestKind } from './faults';
