/** Test data builders: audit records and delivery trees written to a folder or a test server. */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { formatObjectPath } from '../../src/core/layout';
import type { GcsTestServer } from '../gcs-server';
import { aRecord, jsonLines } from './records';
export { aRecord, jsonLines, type AuditRecord } from './records';



export interface DeliveredFile {
  workspaceId: string;
  date: string;
  internalId: string;
  text: string;
}

/** One file per (workspace, date), with `perFile` records each. */
export function aDeliveryTree(workspaces: readonly string[], dates: readonly string[], perFile = 3): DeliveredFile[] {
  const files: DeliveredFile[] = [];
  for (const workspaceId of workspaces) {
    for (const date of dates) {
      const base = Date.parse(`${date}T00:00:00Z`);
      const records = Array.from({ length: perFile }, (_, i) =>
        aRecord({ workspaceId, timestamp: base + i * 60_000, actionName: i % 2 === 0 ? 'create' : 'delete' }),
      );
      files.push({ workspaceId, date, internalId: `${workspaceId}-${date}-a`, text: jsonLines(records) });
    }
  }
  return files;
}

export function objectNameOf(prefix: string, file: DeliveredFile): string {
  return formatObjectPath({ prefix, workspaceId: file.workspaceId, date: file.date, internalId: file.internalId });
}

export function putTree(server: GcsTestServer, bucket: string, prefix: string, files: readonly DeliveredFile[]): void {
  server.createBucket(bucket);
  for (const file of files) server.put(bucket, objectNameOf(prefix, file), file.text);
}

export async function writeTreeToFolder(files: readonly DeliveredFile[]): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'audit-lens-tree-'));
  for (const file of files) {
    const full = path.join(root, objectNameOf('', file));
    await mkdir(path.dirname(full), { recursive: true });
    await writeFile(full, file.text);
  }
  return root;
}

export async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts);
}

export function dateRange(from: string, days: number): string[] {
  const start = Date.parse(`${from}T00:00:00Z`);
  return Array.from({ length: days }, (_, i) => new Date(start + i * 86_400_000).toISOString().slice(0, 10));
}
