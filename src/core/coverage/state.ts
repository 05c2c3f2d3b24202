/**
 * What coverage saw of each file last time (version, lines, bytes, digest), so the next run can
 * tell a file rewritten in place, and whether the rewrite only appended. Kept per source, private
 * to the user (folder 0700, files 0600), written whole then renamed.
 */
import { createHash } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { AuditLensError } from '../errors';

export interface SeenFile {
  version: string;
  lines: number;
  bytes: number;
  sha256: string;
}

export type SeenFiles = Record<string, SeenFile>;

const FORMAT = 1;

export class CoverageState {
  constructor(private readonly directory: string) {}

  private fileFor(sourceUri: string): string {
    return path.join(this.directory, `${createHash('sha256').update(sourceUri).digest('hex').slice(0, 32)}.json`);
  }

  /** What was seen under a source; nothing when it was never scanned (or its state is unreadable). */
  async read(sourceUri: string): Promise<SeenFiles> {
    try {
      const parsed = JSON.parse(await readFile(this.fileFor(sourceUri), 'utf8')) as { format?: unknown; source?: unknown; files?: unknown };
      if (parsed.format !== FORMAT || parsed.source !== sourceUri || typeof parsed.files !== 'object' || parsed.files === null) return Object.create(null) as SeenFiles;
      return Object.assign(Object.create(null) as SeenFiles, parsed.files);
    } catch {
      return Object.create(null) as SeenFiles;
    }
  }

  async write(sourceUri: string, files: SeenFiles): Promise<void> {
    const target = this.fileFor(sourceUri);
    const temporary = `${target}.${process.pid}.tmp`;
    try {
      await mkdir(this.directory, { recursive: true, mode: 0o700 });
      await chmod(this.directory, 0o700);
      await writeFile(temporary, JSON.stringify({ format: FORMAT, source: sourceUri, files }), { mode: 0o600 });
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true });
      throw new AuditLensError('data', `Could not save what coverage saw in ${this.directory}`, String(error), { cause: error });
    }
  }
}
