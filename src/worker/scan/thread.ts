/**
 * The scan worker thread: reads and validates audit files off the main thread. Requests run
 * concurrently (each is mostly waiting on I/O); each has its own cancel signal.
 */
import { parentPort } from 'node:worker_threads';
import { AuditLensError } from '../../core/errors';
import { ScanCache, scanFiles } from '../../core/scan';
import {
  FINDINGS_BATCH_SIZE,
  type FromScanWorker,
  type ScanMessage,
  type ScanRequestBody,
  type ScanRequestResults,
  type ScanRequestType,
  type SourceDescriptor,
  type ToScanWorker,
  type ValidateMessage,
} from './protocol';
import { openSource, type AuditSource } from '../../core/sources';
import { validateFile, type Finding } from '../../core/validate';

if (!parentPort) throw new Error('scan-worker.js runs only as a worker thread');
const port = parentPort;

const cancels = new Map<number, AbortController>();
/** Opened sources, by descriptor: a gs:// source holds a storage client worth keeping. */
const sources = new Map<string, Promise<AuditSource>>();

function send(message: FromScanWorker): void {
  port.postMessage(message);
}

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

async function scan(id: number, body: ScanMessage, signal: AbortSignal): Promise<ScanRequestResults['scan']> {
  const source = await open(body.source);
  const result = await scanFiles(source, body.files, {
    cache: body.cacheDirectory === undefined ? undefined : new ScanCache(body.cacheDirectory),
    concurrency: body.concurrency,
    signal,
    onProgress: (update) => send({ type: 'progress', id, update }),
  });
  const indexOf = new Map(body.files.map((file, index) => [file, index]));
  return {
    scanned: result.scanned.map(({ file, scan, cached }) => ({ index: indexOf.get(file)!, scan, cached })),
    skipped: result.skipped.map(({ file, error }) => ({ index: indexOf.get(file)!, error: error.toJSON() })),
  };
}

async function validate(id: number, body: ValidateMessage, signal: AbortSignal): Promise<ScanRequestResults['validate']> {
  const source = await open(body.source);
  const limit = body.maxFindings ?? Infinity;
  let sent = 0;
  let pending: Finding[] = [];
  const flush = (): void => {
    if (pending.length === 0) return;
    send({ type: 'findings', id, findings: pending });
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
}

function handle(id: number, body: ScanRequestBody, signal: AbortSignal): Promise<ScanRequestResults[ScanRequestType]> {
  switch (body.type) {
    case 'scan':
      return scan(id, body, signal);
    case 'validate':
      return validate(id, body, signal);
    case 'fault':
      if (body.fault === 'hang') {
        const until = Date.now() + (body.ms ?? 30_000);
        while (Date.now() < until) {
          // Busy on purpose: a blocked thread cannot see the cancel message.
        }
        return Promise.reject(new AuditLensError('internal', 'The scan worker was blocked by a test.'));
      }
      // An uncaught exception ends the thread, as a real crash would.
      setImmediate(() => {
        throw new Error('crash requested by a test');
      });
      return new Promise<never>(() => undefined);
  }
}

port.on('message', (message: ToScanWorker) => {
  if (message.type === 'cancel') {
    cancels.get(message.id)?.abort();
    return;
  }
  const { id, ...body } = message;
  const controller = new AbortController();
  cancels.set(id, controller);
  handle(id, body as ScanRequestBody, controller.signal)
    .then(
      (value) => send({ type: 'result', id, value }),
      (error: unknown) => send({ type: 'error', id, error: AuditLensError.from(error).toJSON() }),
    )
    .finally(() => cancels.delete(id));
});
