/** The session's sources open in the read thread: listed and read through it as they are here, each opened once. */
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AuditLensError } from '../../../src/core/errors';
import { openSource, type AuditSource } from '../../../src/core/sources';
import type { Skipped } from '../../../src/core/sources/skipped';
import { AuditDatabase } from '../../../src/core/sql/database';
import { listLoad, loadIntoDatabase } from '../../../src/core/sql/loader';
import { ReadThread } from '../../../src/worker/read/client';
import { ThreadSource } from '../../../src/worker/read/threadSource';
import { startGcsServer, type GcsTestServer } from '../../gcs-server';
import { aDeliveryTree, collect, dateRange, putTree, writeTreeToFolder } from '../../support/sources';
import { READ_WORKER_BUNDLE } from '../../support/workers';

/** Everything a source's listings give, and what they pass over. */
async function listingOf(source: AuditSource): Promise<unknown> {
  const skipped: Skipped[] = [];
  const onSkipped = (s: Skipped): void => void skipped.push(s);
  const workspaces = await source.listWorkspaces(undefined, { onSkipped });
  const dates = await Promise.all(workspaces.map((id) => source.listDates(id, { from: '2024-02-28' }, { onSkipped })));
  const partition = await source.listPartitionFiles(workspaces[0]!, dates[0]![0]!, { onSkipped });
  const files = await source.listFiles({ workspaces: [workspaces[0]!] }, { onSkipped });
  return { uri: source.uri, kind: source.kind, workspaces, dates, partition, files, skipped };
}

describe('sources open in the read thread', { timeout: 60_000 }, () => {
  const tree = aDeliveryTree(['42', '7'], dateRange('2024-02-27', 3));
  let server: GcsTestServer;
  let folder: string;
  let reader: ReadThread;
  before(async () => {
    server = await startGcsServer();
    putTree(server, 'logs', 'audit', tree);
    server.put('logs', 'audit/workspaceId=42/date=2024-02-27/notes.txt', 'not a log');
    folder = await writeTreeToFolder(tree);
    mkdirSync(path.join(folder, 'workspaceId=abc'));
    writeFileSync(path.join(folder, 'workspaceId=7', 'date=2024-02-28', 'notes.txt'), 'not a log');
    reader = new ReadThread(READ_WORKER_BUNDLE);
  });
  after(async () => {
    await reader.dispose();
    await server.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  for (const kind of ['local', 'gcs'] as const) {
    it(`lists and reads a ${kind} source as the source itself does`, async () => {
      const [uri, options] = kind === 'gcs' ? ['gs://logs/audit/', { gcsEndpoint: server.endpoint }] : [`${folder}${path.sep}`, {}];
      const here = await openSource(uri, options);
      const there = await reader.sources.get(uri, options);
      assert.ok(there instanceof ThreadSource);
      assert.deepEqual(await listingOf(there), await listingOf(here));
      const [file] = await here.listFiles();
      assert.deepEqual(await collect(there.openRead(file!)), await collect(here.openRead(file!)));
      const range = { start: 5, end: Math.min(file!.size, 90) };
      assert.deepEqual(await collect(there.openRead(file!, { range })), await collect(here.openRead(file!, { range })));
    });
  }

  it('gives a file that vanished as the source’s own error, and a cancelled read as cancelled', async () => {
    const gone = await writeTreeToFolder(tree.slice(0, 1));
    const source = await reader.sources.get(gone);
    const [file] = await source.listFiles();
    rmSync(gone, { recursive: true, force: true });
    await assert.rejects(collect(source.openRead(file!)), (error: unknown) => error instanceof AuditLensError && error.code === 'not-found');
    const [big] = await (await reader.sources.get(folder)).listFiles();
    const controller = new AbortController();
    controller.abort();
    const cancelled = (error: unknown) => error instanceof AuditLensError && error.code === 'cancelled';
    await assert.rejects(collect((await reader.sources.get(folder)).openRead(big!, { signal: controller.signal })), cancelled);
  });

  it('gives a session one source per URI and options across loads', async () => {
    const options = { gcsEndpoint: server.endpoint };
    const first = await listLoad({ sources: ['gs://logs/audit/'], gcsEndpoint: server.endpoint }, { sources: reader.sources });
    const second = await listLoad({ sources: ['gs://logs/audit/', 'gs://logs/audit/'], gcsEndpoint: server.endpoint }, { sources: reader.sources });
    const [source] = new Set([...first.files, ...second.files].map((f) => f.source));
    assert.ok(source !== undefined);
    assert.equal(new Set([...first.files, ...second.files].map((f) => f.source)).size, 1);
    assert.equal(await reader.sources.get('gs://logs/audit/', options), source);
    assert.notEqual(await reader.sources.get('gs://logs/audit/', { gcsEndpoint: server.endpoint, gcs: { idleTimeoutMs: 9000 } }), source);
  });

  it('loads through the thread’s sources exactly what a load here loads', async () => {
    // A folder inside another source names itself by the root's URI, yet lists only its workspace.
    const request = { sources: ['gs://logs/audit/', path.join(folder, 'workspaceId=7'), folder], gcsEndpoint: server.endpoint };
    const loaded = async (threaded: boolean) => {
      const database = await AuditDatabase.open();
      try {
        const summary = await loadIntoDatabase(database, request, { maxRows: 10_000 }, threaded ? { readLines: reader.readLines, sources: reader.sources } : {});
        return { summary: { ...summary, durationMs: 0 }, rows: database.query('SELECT _file, _line, requestId FROM audit_logs ORDER BY 1, 2', 10_000).rows };
      } finally {
        database.close();
      }
    };
    const there = await loaded(true);
    assert.equal(there.summary.recordsLoaded, 2 * tree.length * 3);
    assert.equal(there.summary.filesOverlapping, tree.length / 2);
    assert.deepEqual(there, await loaded(false));
  });
});
