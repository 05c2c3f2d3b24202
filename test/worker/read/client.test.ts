/** The read thread: the same feed as reading on the session's thread, per-file failures, cancel, and its bounded queue. */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ScanCache, scanFiles } from '../../../src/core/scan';
import type { LineIndex } from '../../../src/core/scan/line-index';
import { LocalFolderSource } from '../../../src/core/sources';
import { readLinesHere, type LoadPlan } from '../../../src/core/sql/line-feed';
import { AuditDatabase } from '../../../src/core/sql/database';
import { loadIntoDatabase } from '../../../src/core/sql/loader';
import { ReadThread } from '../../../src/worker/read/client';
import { packBatch } from '../../../src/worker/read/protocol';
import { ChunkQueue } from '../../../src/worker/read/queue';
import { aRecord, writeDeliveryTree, type DeliveryTree } from '../../support/deliveryTree';
import { feedOutline } from '../../support/feeds';
import { READ_WORKER_BUNDLE } from '../../support/workers';

const services = ['clusters', 'jobs', 'accounts'];
const actions = ['create', 'delete', 'login'];

function manyLines(count: number, seed: number): (ReturnType<typeof aRecord> | string | Uint8Array)[] {
  return Array.from({ length: count }, (_, i) => {
    const k = (i * 7 + seed) % 23;
    if (k === 0) return '{"serviceName":"clusters", truncated';
    if (k === 1) return '';
    if (k === 2) return Uint8Array.from([0x7b, 0xff, 0xfe, 0x7d]);
    if (k === 3) return '{"serviceName":"\\u0063lusters","actionName":"create"}';
    return aRecord({ serviceName: services[k % 3]!, actionName: actions[(k >> 1) % 3]!, requestParams: { note: services[(k + 1) % 3]!, i } });
  });
}

describe('the read thread', { timeout: 60_000 }, () => {
  let tree: DeliveryTree;
  let reader: ReadThread;
  before(() => {
    assert.ok(existsSync(READ_WORKER_BUNDLE), `${READ_WORKER_BUNDLE} is missing: run npm run build`);
    tree = writeDeliveryTree([
      { workspaceId: '1', date: '2024-01-01', lines: manyLines(3000, 1) },
      { workspaceId: '1', date: '2024-01-02', lines: manyLines(10, 2) },
      // All UTF-8, so its scan keeps a line index.
      { workspaceId: '2', date: '2024-01-01', lines: manyLines(2000, 3).filter((line) => !(line instanceof Uint8Array)) },
    ]);
    reader = new ReadThread(READ_WORKER_BUNDLE);
  });
  after(async () => {
    await reader.dispose();
    tree.remove();
  });

  async function plan(extra: Partial<LoadPlan> = {}): Promise<LoadPlan> {
    const source = new LocalFolderSource(tree.root);
    return { files: (await source.listFiles()).map((file) => ({ source, file })), sourceOptions: {}, ...extra };
  }

  it('gives exactly the lines, problems and counts that reading here gives, with and without a prefilter', async () => {
    for (const prefilter of [undefined, { serviceNames: ['clusters'] }, { serviceNames: ['clusters', 'accounts'], statements: [{ serviceNames: ['clusters'], actionNames: ['create'] }, { serviceNames: ['accounts'], actionContains: ['login'] }] }]) {
      const here = await feedOutline(readLinesHere(await plan(prefilter ? { prefilter } : {})));
      const there = await feedOutline(reader.readLines(await plan(prefilter ? { prefilter } : {})));
      assert.deepEqual(there, here);
      assert.equal(there.length, 3);
      if (!prefilter) assert.ok(there[0]!.items.some((item) => item.includes(':problem:')));
    }
  });

  it('reads by the line index the same way', async () => {
    const cacheFolder = mkdtempSync(path.join(tmpdir(), 'audit-lens-read-cache-'));
    try {
      const source = new LocalFolderSource(tree.root);
      const files = await source.listFiles();
      const cache = new ScanCache(cacheFolder);
      await scanFiles(source, files, { cache });
      const indexes = new Map<number, LineIndex>();
      for (const [position, file] of files.entries()) {
        const index = (await cache.getEntry(file))?.index;
        if (index && position !== 1) indexes.set(position, index);
      }
      // The first file has lines that are not UTF-8: the scan keeps no index of it.
      assert.ok(indexes.size >= 1);
      const prefilter = { serviceNames: ['jobs'], statements: [{ serviceNames: ['jobs'], actionNames: ['delete'] }] };
      const here = await feedOutline(readLinesHere(await plan({ prefilter, indexes })));
      const there = await feedOutline(reader.readLines(await plan({ prefilter, indexes })));
      assert.deepEqual(there, here);
      assert.ok(there.some((file) => file.byIndex));
    } finally {
      rmSync(cacheFolder, { recursive: true, force: true });
    }
  });

  it('reports a file that vanished after listing as the error of that file, and reads the rest', async () => {
    const lost = writeDeliveryTree([
      { workspaceId: '1', date: '2024-01-01', lines: manyLines(50, 4) },
      { workspaceId: '1', date: '2024-01-02', lines: manyLines(50, 5) },
    ]);
    try {
      const source = new LocalFolderSource(lost.root);
      const files = (await source.listFiles()).map((file) => ({ source, file }));
      unlinkSync(lost.files[0]!);
      const outcomes: string[] = [];
      for await (const file of reader.readLines({ files, sourceOptions: {} })) {
        try {
          let lines = 0;
          for await (const batch of file.batches) lines += batch.length;
          outcomes.push(`${file.position}: ${lines} lines`);
        } catch (error) {
          outcomes.push(`${file.position}: ${(error as { code?: string }).code}`);
        }
      }
      assert.deepEqual(outcomes, ['0: not-found', `1: ${manyLines(50, 5).filter((line) => line !== '').length} lines`]);
    } finally {
      lost.remove();
    }
  });

  it('stops when cancelled or left early, and reads again after', async () => {
    const controller = new AbortController();
    await assert.rejects(async () => {
      for await (const file of reader.readLines(await plan(), controller.signal)) {
        for await (const batch of file.batches) {
          assert.ok(batch.length > 0);
          controller.abort();
        }
      }
    }, /Cancelled/);
    for await (const file of reader.readLines(await plan())) {
      for await (const batch of file.batches) assert.ok(batch.length > 0);
      break;
    }
    const again = await feedOutline(reader.readLines(await plan()));
    assert.equal(again.length, 3);
  });

  it('loads the same table when the thread converts lines to JSONB as when the session parses them', async () => {
    const converting = new ReadThread(READ_WORKER_BUNDLE, { jsonb: {} });
    const odd = writeDeliveryTree([
      {
        workspaceId: '3',
        date: '2024-01-03',
        lines: [
          ...manyLines(300, 6),
          '42',
          '["clusters"]',
          '{"a":1} trailing',
          "{'single':'quotes'}",
          '{"trailing":1,}',
          '{"big":123456789012345678901234567890,"serviceName":"clusters"}',
          '{"dup":1,"serviceName":"jobs","serviceName":"clusters"}',
          `${'['.repeat(1500)}${']'.repeat(1500)}`,
          `{"deep":${'['.repeat(1500)}${']'.repeat(1500)},"serviceName":"clusters"}`,
        ],
      },
    ]);
    try {
      const dump = async (readLines?: ReadThread['readLines']) => {
        const database = await AuditDatabase.open();
        try {
          const summary = await loadIntoDatabase(database, { sources: [tree.root, odd.root] }, { maxRows: 100_000 }, readLines ? { readLines } : {});
          return {
            counts: [summary.linesRead, summary.recordsLoaded, summary.linesRejected],
            rows: database.query('SELECT * FROM audit_logs ORDER BY _file, _line', 100_000).rows.map((row) => JSON.stringify(row)),
            errors: database.query('SELECT * FROM audit_errors ORDER BY file, line', 100_000).rows,
          };
        } finally {
          database.close();
        }
      };
      const here = await dump();
      assert.deepEqual(await dump(converting.readLines), here);
      // A thread where sql.js cannot start sends every line as text: the load is the same.
      const without = new ReadThread(READ_WORKER_BUNDLE, { jsonb: { wasmPath: path.join(tmpdir(), 'no-such-sql-wasm.wasm') } });
      try {
        assert.deepEqual(await dump(without.readLines), here);
      } finally {
        await without.dispose();
      }
      assert.ok(here.errors.length >= 5, 'the odd lines are reported');
      let converted = 0;
      for await (const file of converting.readLines(await plan())) for await (const batch of file.batches) converted += batch.filter((item) => item.kind === 'line' && item.jsonb).length;
      assert.ok(converted > 1000, `the thread converted ${converted} lines`);
    } finally {
      await converting.dispose();
      odd.remove();
    }
  });

  it('holds the thread back while the inserts fall behind, so memory stays bounded', async () => {
    const queue = new ChunkQueue(100);
    const chunk = (position: number, size: number) => ({ position, kind: 'lines' as const, ...packBatch([]).packed, bytes: new Uint8Array(size) });
    let released = false;
    await queue.put(chunk(0, 40));
    const held = queue.put(chunk(0, 80)).then(() => (released = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(released, false, 'a put over the limit waits');
    assert.equal(queue.queuedBytes, 120);
    await queue.take(0);
    await held;
    assert.equal(queue.queuedBytes, 80);
    // Chunks of files the caller moved past are dropped, not handed to the next file.
    void queue.put({ position: 1, kind: 'end', passedOver: 0 });
    assert.deepEqual(await queue.take(1), { position: 1, kind: 'end', passedOver: 0 });
  });
});
