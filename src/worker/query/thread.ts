/**
 * The worker thread of a query session: owns the sql.js database, runs one request at a time
 * and snapshots the database to a file after a statement changes it, so the main thread can
 * terminate it (the only way to stop a runaway query) and start a new one from the snapshot.
 * Loads take no snapshot (exporting the whole database would cost seconds and its size again in
 * memory): the session replays them after a restart instead. A load's lines are read in a second
 * thread while this one inserts.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { AuditLensError } from '../../core/errors';
import { AuditDatabase } from '../../core/sql/database';
import { exportQuery } from '../../core/sql/export';
import { parseQuery } from '../../core/sql/query';
import { SourceRegistry } from '../../core/sources/registry';
import { loadIntoDatabase } from '../../core/sql/loader';
import { assembleTimeline } from '../../core/timeline/assemble';
import { serve } from '../channel/thread';
import { QUERY_WORKER_FILE, READ_WORKER_FILE } from '../entries';
import { ReadThread } from '../read/client';
import type { InitRequest, QueryProtocol, Replied } from './protocol';

let database: AuditDatabase | undefined;
let settings: InitRequest | undefined;
/** Rows in `audit_logs`, counted after each change rather than on every reply. */
let loadedRows = 0;
/** Loads read their lines in a thread of their own (a sibling bundle), pipelined with the inserts. */
let reader: ReadThread | undefined;
/** The session's sources when it reads on this thread: each opened once. */
const sources = new SourceRegistry();

function ready(): { database: AuditDatabase; settings: InitRequest } {
  if (!database || !settings) throw new AuditLensError('internal', 'The query worker was used before it was initialized.');
  return { database, settings };
}

function saveSnapshot(): void {
  const { database, settings } = ready();
  const temporary = `${settings.snapshotPath}.partial`;
  writeFileSync(temporary, database.snapshot(), { mode: 0o600 });
  renameSync(temporary, settings.snapshotPath);
}

function replied<T>(value: T, snapshotSaved = false): Replied<T> {
  return snapshotSaved ? { value, loadedRows, snapshotSaved } : { value, loadedRows };
}

serve<QueryProtocol>(
  {
    async init(body) {
      settings = body;
      const snapshot = existsSync(body.snapshotPath) ? readFileSync(body.snapshotPath) : undefined;
      database = await AuditDatabase.open({ wasmPath: body.wasmPath, snapshot });
      if (!reader && body.readThread) {
        reader = new ReadThread(path.join(__dirname, READ_WORKER_FILE), { jsonb: body.wasmPath ? { wasmPath: body.wasmPath } : {} });
        reader.start();
      }
      loadedRows = database.rowCount;
      return replied(null);
    },
    async load(request, { signal, progress }) {
      const { database, settings } = ready();
      const summary = await loadIntoDatabase(database, request, { maxRows: settings.maxRows, maxBytes: settings.maxBytes }, { signal, onProgress: progress, ...(reader ? { readLines: reader.readLines, sources: reader.sources } : { sources }) });
      loadedRows = request.append ? database.rowCount : summary.recordsLoaded;
      return replied(summary);
    },
    async query(body) {
      const { changedData, ...result } = ready().database.query(parseQuery(body.sql), body.maxRows, { asOf: body.asOf }, body.rowsAs);
      if (changedData) {
        loadedRows = ready().database.rowCount;
        saveSnapshot();
      }
      return replied(result, changedData);
    },
    async timeline(body) {
      const { database } = ready();
      // No statement returns more rows than the table holds, so none is cut short.
      const maxRows = Math.max(1, database.rowCount);
      return replied(assembleTimeline(body.identity, body.statements.map((sql) => database.query(sql, maxRows))));
    },
    async export(body, { signal, progress, chunk }) {
      const outcome = await exportQuery(ready().database, parseQuery(body.sql), body.format, chunk, { chunkRows: body.chunkRows, maxRows: body.maxRows, asOf: body.asOf, signal, onProgress: progress });
      return replied(outcome);
    },
  },
  QUERY_WORKER_FILE,
);
