/** Test data builders: audit records and delivery trees written to a temp folder, and put on a test server. */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { GcsTestServer } from '../gcs-server';
import type { AuditRecord } from './records';
export { aRecord, jsonLines, type AuditRecord } from './records';


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

/** Puts every file of `tree` in `bucket` of the GCS test server, named `prefix` and its path in the tree. */
export function putDeliveryTree(server: GcsTestServer, bucket: string, prefix: string, tree: DeliveryTree): void {
  server.createBucket(bucket);
  for (const file of tree.files) server.put(bucket, path.posix.join(prefix, path.relative(tree.root, file).split(path.sep).join('/')), readFileSync(file, 'utf8'));
}
