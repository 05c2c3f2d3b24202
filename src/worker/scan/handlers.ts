/**
 * What the scan thread does: reads and validates audit files off the caller's thread. Requests
 * run concurrently (each is mostly waiting on I/O); each has its own cancel signal.
 */
import { ScanCache, scanFiles } from '../../core/scan';
import { openSource, type AuditSource } from '../../core/sources';
import { validateFile, type Finding } from '../../core/validate';
import type { Handlers } from '../channel/thread';
import { FINDINGS_BATCH_SIZE, type ScanProtocol, type SourceDescriptor } from './protocol';

/** Opened sources, by descriptor: a gs:// source holds a storage client worth keeping. */
const sources = new Map<string, Promise<AuditSource>>();

function open(descriptor: SourceDescriptor): Promise<AuditSource> {
  const key = JSON.stringify(descriptor);
  let source = sources.get(key);
  if (!source) {
    source = openSource(descriptor.uri, { gcsEndpoint: descriptor.gcsEndpoint, gcs: descriptor.gcs });
    source.catch(() => sources.delete(key));
    sources.set(key, source);
  }
  return source;
}

export const scanHandlers: Handlers<ScanProtocol> = {
  async scan(body, { signal, progress }) {
    const source = await open(body.source);
    const result = await scanFiles(source, body.files, {
      cache: body.cacheDirectory === undefined ? undefined : new ScanCache(body.cacheDirectory),
      concurrency: body.concurrency,
      signal,
      onProgress: progress,
    });
    const indexOf = new Map(body.files.map((file, index) => [file, index]));
    return {
      scanned: result.scanned.map(({ file, scan, cached }) => ({ index: indexOf.get(file)!, scan, cached })),
      skipped: result.skipped.map(({ file, error }) => ({ index: indexOf.get(file)!, error: error.toJSON() })),
    };
  },

  async validate(body, { signal, chunk }) {
    const source = await open(body.source);
    const limit = body.maxFindings ?? Infinity;
    let sent = 0;
    let pending: Finding[] = [];
    const flush = (): void => {
      if (pending.length === 0) return;
      void chunk(pending); // findings are small: the scan goes on without waiting for the caller
      pending = [];
    };
    const result = await validateFile(source, body.file, {
      signal,
      maxLineBytes: body.maxLineBytes,
      onFindings: (batch) => {
        for (const finding of batch) {
          if (sent >= limit) break;
          pending.push(finding);
          sent++;
          if (pending.length >= FINDINGS_BATCH_SIZE) flush();
        }
      },
    });
    flush();
    return { file: result.file, summary: result.summary };
  },
};
