/** Writes a generated delivery tree to a folder, laid out like the bucket. */
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { generateDeliveryFiles, serializeRecords, type GenerateOptions } from './generator';

export interface TreeSummary {
  files: number;
  records: number;
  bytes: number;
  /** Partitions written, as `workspaceId=<id>/date=<d>` (without prefix). */
  partitions: number;
}

export async function generateTree(outDir: string, options: GenerateOptions): Promise<TreeSummary> {
  const summary: TreeSummary = { files: 0, records: 0, bytes: 0, partitions: 0 };
  const seen = new Set<string>();
  for (const file of generateDeliveryFiles(options)) {
    const target = path.join(outDir, ...file.relativePath.split('/'));
    await mkdir(path.dirname(target), { recursive: true });
    const text = serializeRecords(file.records);
    await writeFile(target, text);
    seen.add(`${file.workspaceId}/${file.date}`);
    summary.files++;
    summary.records += file.records.length;
    summary.bytes += Buffer.byteLength(text);
  }
  summary.partitions = seen.size;
  return summary;
}
