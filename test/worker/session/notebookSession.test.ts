/**
 * The notebook's query work over a real worker session: load, capped display rows, histogram,
 * cancel, and an export that streams the WHOLE result to a file (100k+ rows), not the page shown.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { generateTree } from '../../support/generate';
import { fileSink } from '../../../src/extension/notebook/exportFileSink';
import { ScanCache, scanFiles } from '../../../src/core/scan';
import { LocalFolderSource } from '../../../src/core/sources';
import type { LoadSummary } from '../../../src/worker/query/client';
import { NotebookSession } from '../../../src/worker/session/notebookSession';
import { toWireError } from '../../../src/extension/webview/wireError';
import { QUERY_WORKER_BUNDLE } from '../../support/workers';

const workerPath = QUERY_WORKER_BUNDLE;

async function countLines(file: string): Promise<number> {
  let n = 0;
  for await (const _ of createInterface({ input: createReadStream(file) })) n++;
  return n;
}

describe('notebook session over a real worker', () => {
  let folder: string;
  let session: NotebookSession;
  let loaded = 0;

  before(async () => {
    assert.ok(existsSync(workerPath), `${workerPath} is missing: run npm run build`);
    folder = await mkdtemp(path.join(tmpdir(), 'audit-lens-notebook-session-'));
    await generateTree(path.join(folder, 'tree'), { seed: 'notebook-export', workspaces: 2, days: 5, recordsPerDay: 10_500 });
    session = new NotebookSession({ workerPath, displayRows: 1000 });
    const summary = await session.load({ sources: [path.join(folder, 'tree')] });
    loaded = summary.recordsLoaded;
    assert.ok(loaded >= 100_000, `${loaded} records`);
  });

  after(async () => {
    await session?.dispose();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('refuses to query before anything is loaded', async () => {
    const empty = new NotebookSession({ workerPath });
    await assert.rejects(empty.runCell(1, 'SELECT 1'), /Nothing is loaded yet/);
    await assert.rejects(empty.load({ sources: [] }), /No sources in the scope/);
    await empty.dispose();
  });

  it('shows at most the display budget, and says the result is truncated', async () => {
    const result = await session.runCell(1, 'SELECT * FROM audit_logs');
    assert.equal(result.rows.length, 1000);
    assert.equal(result.rowCount, loaded);
    assert.equal(result.truncated, true);
    assert.ok(result.columns.includes('_file') && result.columns.includes('_line'));
  });

  it('counts events per day and service for the histogram', async () => {
    const buckets = await session.histogram();
    assert.equal(buckets.reduce((sum, b) => sum + b.count, 0), loaded);
    assert.equal(new Set(buckets.map((b) => b.date)).size, 5);
  });

  it('exports every row of a 100k-row result to CSV and JSON files, streamed', async () => {
    for (const format of ['csv', 'json'] as const) {
      const file = path.join(folder, `all.${format}`);
      const stream = createWriteStream(file);
      let chunks = 0;
      const sink = fileSink(stream);
      const started = performance.now();
      const { rowCount } = await session.exportRows(2, 'SELECT timestamp, serviceName, actionName, userIdentity.email, requestParams FROM audit_logs', format, async (chunk) => {
        chunks++;
        await sink(chunk);
      });
      await new Promise<void>((resolve) => stream.end(resolve));
      const seconds = (performance.now() - started) / 1000;
      assert.equal(rowCount, loaded);
      assert.ok(chunks > 1, 'the export arrives in several chunks');
      const lines = await countLines(file);
      if (format === 'csv') assert.equal(lines, loaded + 1, 'header + every row');
      else assert.ok(lines >= loaded, 'one JSON object per line');
      if (process.env.AUDIT_LENS_VERBOSE) console.log(`exported ${rowCount} rows as ${format} in ${seconds.toFixed(2)} s`);
    }
  });

  it('cancels a running export by its request id', async () => {
    const file = path.join(folder, 'cancelled.csv');
    const stream = createWriteStream(file);
    const sink = fileSink(stream);
    let chunks = 0;
    const running = session.exportRows(3, 'SELECT * FROM audit_logs', 'csv', async (chunk) => {
      chunks++;
      if (chunks === 1) assert.equal(session.cancel(3), true);
      await sink(chunk);
    });
    await assert.rejects(running, (error) => toWireError(error).code === 'cancelled');
    stream.destroy();
    const after = await session.runCell(4, 'SELECT COUNT(*) FROM audit_logs');
    assert.deepEqual(after.rows, [[loaded]], 'the session still answers');
  });

  it('gives SQL errors the offset and length of the token at fault', async () => {
    const sql = 'SELECT nope FROM audit_logs';
    const error = await session.runCell(5, sql).catch((e: unknown) => e);
    assert.deepEqual(toWireError(error, sql).position, { offset: 7, length: 4 });
  });
});

describe('notebook session loading slices as its cells ask', () => {
  let folder: string;
  let cacheDirectory: string;
  let whole: NotebookSession;
  let sliced: NotebookSession;
  const scope = () => ({ sources: [path.join(folder, 'tree')] });

  before(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'audit-lens-notebook-slices-'));
    cacheDirectory = path.join(folder, 'scan-cache');
    await generateTree(path.join(folder, 'tree'), { seed: 'notebook-slices', workspaces: 2, days: 2, recordsPerDay: 300 });
    const source = new LocalFolderSource(path.join(folder, 'tree'));
    await scanFiles(source, await source.listFiles(), { cache: new ScanCache(cacheDirectory) });
    whole = new NotebookSession({ workerPath });
    await whole.load(scope());
    sliced = new NotebookSession({ workerPath, scanCacheDirectory: cacheDirectory });
    sliced.setScope(scope());
  });

  after(async () => {
    await whole?.dispose();
    await sliced?.dispose();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('loads the services (or actions) a cell names before it runs, adds the next ones, and answers as the whole scope does', async () => {
    const loads: LoadSummary[] = [];
    const hooks = { onLoaded: (summary: LoadSummary) => loads.push(summary) };
    const cells = [
      `SELECT DISTINCT userIdentity.email, sourceIPAddress FROM audit_logs WHERE serviceName = "accounts" AND actionName LIKE "%login%"`,
      `SELECT actionName, count(*) FROM audit_logs WHERE serviceName = 'accounts' GROUP BY 1 ORDER BY 1`,
      `SELECT requestParams.spark_version, COUNT(*) FROM audit_logs WHERE serviceName = "clusters" AND actionName = "create" GROUP BY 1 ORDER BY 1`,
    ];
    const labels: (readonly string[] | undefined)[] = [];
    for (const sql of cells) {
      const expected = await whole.runCell(10, sql);
      const actual = await sliced.runCell(11, sql, hooks);
      assert.deepEqual([...actual.rows].map(String).sort(), [...expected.rows].map(String).sort(), sql);
      labels.push(sliced.loadedServices);
    }
    assert.deepEqual(labels, [["accounts (LIKE '%login%')"], ['accounts'], ['accounts', 'clusters (create)']]);
    assert.equal(loads.length, 3, 'each cell added what it reads');
    assert.deepEqual(sliced.loadedServices, ['accounts', 'clusters (create)'], 'the third cell loaded only the action it names');
    assert.ok(loads.every((l) => l.filesReadByIndex === l.files), 'each slice read by the line index');
    assert.equal(loads[1]!.recordsInScope, await whole.loadedRows());
    const held = await sliced.runCell(12, 'SELECT count(*) FROM audit_logs WHERE serviceName IN ("accounts", "clusters")', hooks);
    assert.deepEqual(held.rows, (await whole.runCell(13, 'SELECT count(*) FROM audit_logs WHERE serviceName IN ("accounts", "clusters")')).rows);
    assert.equal(loads.length, 4, 'the rest of clusters was added');
    const again = await sliced.runCell(14, cells[0]!, hooks);
    assert.equal(loads.length, 4, 'a cell over slices held loads nothing');
    assert.deepEqual([...again.rows].map(String).sort(), [...(await whole.runCell(15, cells[0]!)).rows].map(String).sort());
    assert.deepEqual(sliced.loadedServices, ['accounts', 'clusters']);
    assert.ok((await sliced.loadedRows()) < (await whole.loadedRows()));
  });

  it('loads the rest of the scope for a cell that names no service', async () => {
    const sql = 'SELECT serviceName, count(*) FROM audit_logs GROUP BY 1 ORDER BY 1';
    assert.deepEqual((await sliced.runCell(16, sql)).rows, (await whole.runCell(17, sql)).rows);
    assert.equal(sliced.loadedServices, undefined);
    assert.equal(await sliced.loadedRows(), await whole.loadedRows());
  });
});
