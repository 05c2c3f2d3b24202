/** The read thread's chunks on the session's side, waiting to be inserted. */
import { AuditLensError } from '../../core/errors';
import type { ReadChunk } from './protocol';

/** Line bytes waiting for the inserts before the thread is held back. */
export const QUEUED_BYTES_LIMIT = 16 * 1024 * 1024;

function chunkBytes(chunk: ReadChunk): number {
  if (chunk.kind !== 'lines') return 0;
  return [chunk.bytes, chunk.line, chunk.offset, chunk.start, chunk.length, chunk.jsonb].reduce((sum, column) => sum + column.byteLength, 0);
}

/**
 * The chunks received and not yet taken, in order. `put` settles when there is room again; `take`
 * waits for the next chunk of a file, dropping what is left of files the caller has moved past.
 */
export class ChunkQueue {
  private readonly chunks: ReadChunk[] = [];
  private bytes = 0;
  private finished = false;
  private failure: AuditLensError | undefined;
  private wakeTaker: (() => void) | undefined;
  private wakePutter: (() => void) | undefined;

  constructor(private readonly limit = QUEUED_BYTES_LIMIT) {}

  /** Bytes received and not yet taken. */
  get queuedBytes(): number {
    return this.bytes;
  }

  put(chunk: ReadChunk): Promise<void> {
    if (this.finished) return Promise.resolve();
    this.chunks.push(chunk);
    this.bytes += chunkBytes(chunk);
    this.wake();
    if (this.bytes < this.limit) return Promise.resolve();
    return new Promise((resolve) => (this.wakePutter = resolve));
  }

  async take(position: number): Promise<ReadChunk> {
    for (;;) {
      const chunk = this.chunks.shift();
      if (chunk) {
        this.bytes -= chunkBytes(chunk);
        if (this.bytes < this.limit) this.releasePutter();
        if (chunk.position < position) continue;
        if (chunk.position > position) throw new AuditLensError('internal', `The read worker skipped file ${position + 1} of the load.`);
        return chunk;
      }
      if (this.failure) throw this.failure;
      if (this.finished) throw new AuditLensError('internal', 'The read worker ended before the load read every file.');
      await new Promise<void>((resolve) => (this.wakeTaker = resolve));
    }
  }

  end(): void {
    this.finished = true;
    this.wake();
  }

  fail(error: AuditLensError): void {
    this.failure ??= error;
    this.end();
  }

  /** The caller is done: nothing more is kept, and the thread is not held back. */
  close(): void {
    this.finished = true;
    this.chunks.length = 0;
    this.bytes = 0;
    this.releasePutter();
  }

  private wake(): void {
    const wake = this.wakeTaker;
    this.wakeTaker = undefined;
    wake?.();
  }

  private releasePutter(): void {
    const wake = this.wakePutter;
    this.wakePutter = undefined;
    wake?.();
  }
}
