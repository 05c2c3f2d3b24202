/** Test data builders: audit records and delivery trees written to a temp folder. */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export interface AuditRecord {
  version?: string;
  timestamp?: number;
  workspaceId?: string;
  sourceIPAddress?: string;
  userAgent?: string;
  sessionId?: string | null;
  userIdentity?: { email: string | null };
  serviceName?: string;
  actionName?: string;
  requestId?: string;
  requestParams?: Record<string, string>;
  response?: { statusCode: number | null; errorMessage: string | null; result: string | null };
  auditLevel?: string;
  accountId?: string;
  [extra: string]: unknown;
}

let sequence = 0;

export function aRecord(overrides: AuditRecord = {}): AuditRecord {
  sequence++;
  return {
    version: '2.0',
    timestamp: Date.UTC(2024, 0, 15, 10, 0, 0) + sequence * 1000,
    sourceIPAddress: `10.0.0.${sequence % 250}`,
    userAgent: 'Apache-HttpClient/4.5.13 (Java/1.8.0_345)',
    sessionId: `session-${sequence}`,
    userIdentity: { email: `user${sequence % 7}@example.com` },
    serviceName: 'clusters',
    actionName: 'list',
    requestId: `req-${sequence}`,
    requestParams: {},
    response: { statusCode: 200, errorMessage: null, result: null },
    auditLevel: 'WORKSPACE_LEVEL',
    accountId: 'b1d5c6a0-0000-4000-8000-000000000001',
    ...overrides,
  };
}

/** One delivered file: its partition and its lines (records are serialized, strings and bytes written as-is). */
export interface FileSpec {
  workspaceId: string;
  date: string;
  name?: string;
  lines: (AuditRecord | string | Uint8Array)[];
}

function lineBytes(line: AuditRecord | string | Uint8Array): Buffer {
  if (line instanceof Uint8Array) return Buffer.from(line);
  return Buffer.from(typeof line === 'string' ? line : JSON.stringify(line), 'utf8');
}

export interface DeliveryTree {
  root: string;
  /** Absolute path of each file, in the order given. */
  files: string[];
  remove(): void;
}

export function writeDeliveryTree(specs: FileSpec[]): DeliveryTree {
  const root = mkdtempSync(path.join(tmpdir(), 'audit-lens-sql-'));
  const files = specs.map((spec, i) => {
    const folder = path.join(root, `workspaceId=${spec.workspaceId}`, `date=${spec.date}`);
    mkdirSync(folder, { recursive: true });
    const file = path.join(folder, spec.name ?? `auditlogs_${String(i).padStart(4, '0')}.json`);
    writeFileSync(file, Buffer.concat(spec.lines.flatMap((line) => [lineBytes(line), Buffer.from('\n')])));
    return file;
  });
  return { root, files, remove: () => rmSync(root, { recursive: true, force: true }) };
}
