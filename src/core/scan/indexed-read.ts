/**
 * Reads chosen lines of a file by their place in its line index: nearby lines share one read
 * (a positioned read locally, a `Range` request on GCS), and each line comes out as the line
 * reader would give it with `keepBytes`. Local reads reuse one buffer: a batch's line bytes are
 * valid until the next batch is asked for (its text stays valid).
 */
import { isUtf8 } from 'node:buffer';
import { AuditLensError, throwIfCancelled } from '../errors';
import { lineOfBytes, type LineItem } from '../jsonl';
import type { AuditFile, AuditSource } from '../sources/types';
import { planReads, type IndexedLine } from './line-index';

/** Bytes between two wanted lines below which one read takes both: a round trip costs more on GCS. */
export const MAX_READ_GAP: Record<AuditSource['kind'], number> = { local: 256 * 1024, gcs: 1024 * 1024 };

/** One buffer that reads of many files take turns with, grown by doubling: a load allocates a few, not one a read. */
export class ScratchBuffer {
  private buffer = Buffer.alloc(0);

  take(length: number): Buffer {
    if (this.buffer.length < length) this.buffer = Buffer.allocUnsafe(Math.max(length, this.buffer.length * 2));
    return this.buffer;
  }
}

export async function* readIndexedLines(
  source: AuditSource,
  file: AuditFile,
  lines: readonly IndexedLine[],
  options: { signal?: AbortSignal; scratch?: ScratchBuffer } = {},
): AsyncGenerator<LineItem[]> {
  const scratch = options.scratch ?? new ScratchBuffer();
  for (const read of planReads(lines, MAX_READ_GAP[source.kind])) {
    throwIfCancelled(options.signal);
    const chunks: Buffer[] = [];
    for await (const chunk of source.openRead(file, { signal: options.signal, range: read, scratch: scratch.take(read.end - read.start) })) chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    if (bytes.length !== read.end - read.start) {
      throw new AuditLensError('data', `${file.uri} is shorter than when it was scanned; refresh its scan.`, `wanted bytes ${read.start}-${read.end}, got ${bytes.length}`);
    }
    yield read.lines.map((line): LineItem => {
      const text = bytes.subarray(line.offset - read.start, line.offset - read.start + line.length);
      if (!isUtf8(text)) return { kind: 'problem', line: line.line, offset: line.offset, reason: 'line is not valid UTF-8', preview: text.toString('utf8', 0, 200) };
      return lineOfBytes(line.line, line.offset, text);
    });
  }
}
