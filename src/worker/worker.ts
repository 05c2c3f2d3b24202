/**
 * The worker thread of a query session: owns the sql.js database, runs one request at a time
 * and snapshots the database to a file after a statement changes it, so the main thread can
 * terminate it (the only way to stop a runaway query) and start a new one from the snapshot.
 * Loads take no snapshot (exporting the whole database would cost seconds and its size again in
 * memory): the session replays them after a restart instead.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { AuditLensError } from '../core/errors';
import { AuditDatabase } from '../core/sql/database';
import { exportQuery } from '../core/sql/export';
import { loadIntoDatabase } from '../core/sql/loader';
import type { FromWorker, InitRequest, RequestBody, RequestResults, RequestType, ToWorker } from '../core/sql/protocol';

if (!parentPort) throw new Error('worker.js runs only as a worker thread');
const port = parentPort;

let database: AuditDatabase | undefined;
let settings: InitRequest | undefined;
let loadedRows = 0;
/** Whether the request being handled saved a snapshot. */
let snapshotSaved = false;
const cancels = new Map<number, AbortController>();
const acks = new Map<number, () => void>();

function send(message: FromWorker): void {
  port.postMessage(message);
}

function ready(): { database: AuditDatabase; settings: InitRequest } {
  if (!database || !settings) throw new AuditLensError('internal', 'The query worker was used before it was initialized.');
  return { database, settings };
}

function saveSnapshot(): void {
  const { database, settings } = ready();
  const temporary = `${settings.snapshotPath}.partial`;
  writeFileSync(temporary, database.snapshot());
  renameSync(temporary, settings.snapshotPath);
}

async function handle(id: number, body: RequestBody, signal: AbortSignal): Promise<RequestResults[RequestType]> {
  switch (body.type) {
    case 'init': {
      settings = body;
      const snapshot = existsSync(body.snapshotPath) ? readFileSync(body.snapshotPath) : undefined;
      database = await AuditDatabase.open({ wasmPath: body.wasmPath, snapshot });
      loadedRows = database.rowCount;
      return { loadedRows };
    }
    case 'load': {
      const { database, settings } = ready();
      const summary = await loadIntoDatabase(
        database,
        body.request,
        { maxRows: settings.maxRows, maxBytes: settings.maxBytes },
        { signal, onProgress: (update) => send({ type: 'progress', id, update }) },
      );
      loadedRows = summary.recordsLoaded;
      return summary;
    }
    case 'query': {
      const { changedData, ...result } = ready().database.query(body.sql, body.maxRows);
      if (changedData) {
        loadedRows = ready().database.rowCount;
        saveSnapshot();
        snapshotSaved = true;
      }
      return result;
    }
    case 'export': {
      const sink = (chunk: string): Promise<void> =>
        new Promise((resolve) => {
          acks.set(id, resolve);
          send({ type: 'chunk', id, chunk });
        });
      return exportQuery(ready().database, body.sql, body.format, sink, {
        chunkRows: body.chunkRows,
        signal,
        onProgress: (update) => send({ type: 'progress', id, update }),
      });
    }
  }
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'ack') {
    const resolve = acks.get(message.id);
    acks.delete(message.id);
    resolve?.();
    return;
  }
  if (message.type === 'cancel') {
    cancels.get(message.id)?.abort();
    const resolve = acks.get(message.id);
    acks.delete(message.id);
    resolve?.();
    return;
  }
  const { id, ...body } = message;
  const controller = new AbortController();
  cancels.set(id, controller);
  snapshotSaved = false;
  handle(id, body as RequestBody, controller.signal).then(
    (value) => send({ type: 'result', id, value, loadedRows, ...(snapshotSaved ? { snapshotSaved } : {}) }),
    (error: unknown) => {
      const failure = AuditLensError.from(error);
      send({ type: 'error', id, error: failure.toJSON() });
    },
  ).finally(() => {
    cancels.delete(id);
    acks.delete(id);
  });
});
