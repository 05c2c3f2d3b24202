/**
 * What a watch has seen and said, kept between runs so a restart alerts nothing twice: the
 * version of every file it ran the detections over, and the key of every finding it wrote. Per
 * watch (its sources and detections), private to the user (folder 0700, file 0600), written whole
 * then renamed.
 */
import { createHash } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { AuditLensError } from '../errors';

export interface WatchMemory {
  /** File URI → the version the detections ran over. */
  files: Record<string, string>;
  /** Keys of the findings already written, oldest first. */
  alerted: string[];
}

const FORMAT = 1;
/** Findings remembered; the oldest are forgotten past this (a finding that old does not come back from new files). */
export const MAX_REMEMBERED_FINDINGS = 200_000;

export class WatchState {
  private readonly file: string;

  constructor(directory: string, identity: string) {
    this.file = path.join(directory, `${createHash('sha256').update(identity).digest('hex').slice(0, 32)}.json`);
  }

  get location(): string {
    return this.file;
  }

  async read(): Promise<WatchMemory> {
    try {
      const parsed = JSON.parse(await readFile(this.file, 'utf8')) as { format?: unknown; files?: unknown; alerted?: unknown };
      if (parsed.format !== FORMAT || typeof parsed.files !== 'object' || parsed.files === null || !Array.isArray(parsed.alerted)) return empty();
      return { files: Object.assign(Object.create(null) as Record<string, string>, parsed.files), alerted: parsed.alerted.filter((k): k is string => typeof k === 'string') };
    } catch {
      return empty();
    }
  }

  async write(memory: WatchMemory): Promise<void> {
    const directory = path.dirname(this.file);
    const temporary = `${this.file}.${process.pid}.tmp`;
    const alerted = memory.alerted.length > MAX_REMEMBERED_FINDINGS ? memory.alerted.slice(-MAX_REMEMBERED_FINDINGS) : memory.alerted;
    try {
      await mkdir(directory, { recursive: true, mode: 0o700 });
      await chmod(directory, 0o700);
      await writeFile(temporary, JSON.stringify({ format: FORMAT, files: memory.files, alerted }), { mode: 0o600 });
      await rename(temporary, this.file);
    } catch (error) {
      await rm(temporary, { force: true });
      throw new AuditLensError('data', `Could not save the watch's state in ${directory}`, String(error), { cause: error });
    }
  }
}

function empty(): WatchMemory {
  return { files: Object.create(null) as Record<string, string>, alerted: [] };
}

/** What identifies a finding across runs: its detection and its row, whatever the order of columns. */
export function findingKey(detectionId: string, columns: readonly string[], row: readonly unknown[]): string {
  const entries = columns.map((c, i) => [c, row[i] ?? null] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256').update(JSON.stringify([detectionId, entries])).digest('base64url');
}
