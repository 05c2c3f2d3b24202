/** The record cache: a load of the same shape starts from what the last one left and reads only new or changed files. */
import assert from 'node:assert/strict';
import { appendFile, mkdir, mkdtemp, readdir, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { AuditDatabase } from '../../../src/core/sql/database';
import { loadIntoDatabase, type LoadRequest, type LoadSummary } from '../../../src/core/sql/loader';
import { RecordCache } from '../../../src/core/sql/record-cache';
import { ScanCache, scanFiles } from '../../../src/core/scan';
import { LocalFolderSource } from '../../../src/core/sources';
import { aDeliveryTree, aRecord, jsonLines, objectNameOf, writeTreeToFolder } from '../../support/sources';

const cleanup: string[] = [];
after(() => Promise.all(cleanup.map((dir) => rm(dir, { recursive: true, force: true }))));

async function scratch(): Promise<{ tree: string; cache: string }> {
  const files = aDeliveryTree(['1001', '1002'], ['2024-03-01', '2024-03-02'], 4);
  // One malformed line, reported on every load, cached or not.
  files[0]!.text += '{"serviceName": "clusters", broken\n';
  const tree = await writeTreeToFolder(files);
  const cache = await mkdtemp(path.join(tmpdir(), 'audit-lens-records-'));
  cleanup.push(tree, cache);
  return { tree, cache: path.join(cache, 'records') };
}

const fileOf = (tree: string, workspaceId: string, date: string) => path.join(tree, objectNameOf('', { workspaceId, date, internalId: `${workspaceId}-${date}-a`, text: '' }));

async function load(request: LoadRequest, database?: AuditDatabase): Promise<{ database: AuditDatabase; summary: LoadSummary }> {
  const db = database ?? (await AuditDatabase.open());
  const summary = await loadIntoDatabase(db, request, { maxRows: 10_000 });
  return { database: db, summary };
}

const everything = (database: AuditDatabase) => database.query('SELECT workspaceId, date, _file, _line, serviceName, actionName, timestamp, requestParams FROM audit_logs ORDER BY _file, _line').rows;
const errors = (database: AuditDatabase) => database.query('SELECT file, line, reason FROM audit_errors ORDER BY file, line').rows;
/** A summary's counts, without what depends on the cache or the clock. */
const counts = ({ durationMs: _d, filesFromCache: _c, recordCacheCurrent: _r, ...rest }: LoadSummary) => rest;

describe('the record cache', () => {
  it('serves an unchanged tree whole from the cache: the same rows, errors and counts', async () => {
    const { tree, cache } = await scratch();
    const request: LoadRequest = { sources: [tree], recordCache: { directory: cache } };
    const first = await load(request);
    assert.equal(first.summary.filesFromCache, 0);
    assert.equal(first.summary.recordCacheCurrent, true, 'the cache holds this table now');
    const second = await load(request);
    assert.equal(second.summary.filesFromCache, 4);
    assert.equal(second.summary.recordCacheCurrent, true);
    assert.deepEqual(everything(second.database), everything(first.database));
    assert.deepEqual(errors(second.database), errors(first.database));
    assert.deepEqual(counts(second.summary), counts(first.summary));
    assert.equal(second.summary.problems.length, 1, 'the malformed line is reported again');
    assert.match(second.summary.problems[0]!.reason, /JSON|object/i);
    const plain = await load({ sources: [tree] });
    assert.deepEqual(everything(second.database), everything(plain.database));
  });

  it('serves a scanned tree whole without reading the scan cache, and still says how many records the scope holds', async () => {
    const { tree, cache } = await scratch();
    const scans = path.join(path.dirname(cache), 'scans');
    const source = new LocalFolderSource(tree);
    await scanFiles(source, await source.listFiles(), { cache: new ScanCache(scans) });
    const request: LoadRequest = { sources: [tree], slices: [{ service: 'clusters' }], scanCacheDirectory: scans, recordCache: { directory: cache } };
    const first = await load(request);
    assert.equal(first.summary.recordsInScope, first.summary.recordsLoaded, 'the scan counted every record of the scope');
    // A scan cache it cannot read changes nothing: a load served whole does not open it.
    await rm(scans, { recursive: true, force: true });
    await writeFile(scans, 'not a folder');
    const second = await load(request);
    assert.equal(second.summary.filesFromCache, 4);
    // Read by their line index the first time; not read at all the second.
    assert.deepEqual({ ...counts(second.summary), filesReadByIndex: 4 }, counts(first.summary));
    assert.deepEqual(everything(second.database), everything(first.database));
  });

  it('reads again only a file rewritten in place with lines added; its old rows are gone, its new ones there', async () => {
    const { tree, cache } = await scratch();
    const request: LoadRequest = { sources: [tree], recordCache: { directory: cache } };
    await load(request);
    const changed = fileOf(tree, '1002', '2024-03-02');
    await appendFile(changed, jsonLines([aRecord({ actionName: 'added-later', requestId: 'new-1' }), aRecord({ actionName: 'added-later', requestId: 'new-2' })]));
    const { database, summary } = await load(request);
    assert.equal(summary.filesFromCache, 3);
    assert.equal(summary.recordsLoaded, 4 * 4 + 2);
    const plain = await load({ sources: [tree] });
    assert.deepEqual(everything(database), everything(plain.database));
    assert.deepEqual(counts(summary), counts(plain.summary));
  });

  it('drops the rows of a file that vanished or left the scope, and reads only a new one', async () => {
    const { tree, cache } = await scratch();
    const request: LoadRequest = { sources: [tree], recordCache: { directory: cache } };
    await load(request);
    await rm(fileOf(tree, '1001', '2024-03-01'));
    const newFile = fileOf(tree, '1003', '2024-03-01');
    await mkdir(path.dirname(newFile), { recursive: true });
    await writeFile(newFile, jsonLines([aRecord({ workspaceId: '1003', actionName: 'fresh' })]));
    const { database, summary } = await load(request);
    assert.equal(summary.filesFromCache, 3);
    assert.deepEqual(everything(database), everything((await load({ sources: [tree] })).database));
    assert.deepEqual(errors(database), [], 'the malformed line went with its file');

    const narrower = await load({ ...request, filter: { from: '2024-03-02' } });
    assert.equal(narrower.summary.filesFromCache, 2);
    assert.deepEqual(everything(narrower.database), everything((await load({ sources: [tree], filter: { from: '2024-03-02' } })).database));
  });

  it('keeps one entry per shape: another prefilter or other columns never read rows made for others', async () => {
    const { tree, cache } = await scratch();
    await load({ sources: [tree], recordCache: { directory: cache } });
    const narrowed: LoadRequest = { sources: [tree], recordCache: { directory: cache }, prefilter: { serviceNames: ['clusters'], statements: [{ serviceNames: ['clusters'], actionNames: ['create'] }] }, columns: ['actionName'] };
    const first = await load(narrowed);
    assert.equal(first.summary.filesFromCache, 0);
    assert.equal(first.summary.recordsLoaded, 8);
    const second = await load(narrowed);
    assert.equal(second.summary.filesFromCache, 4);
    assert.deepEqual(everything(second.database), everything(first.database));
    assert.equal((await new RecordCache(cache).entries()).length, 2);
  });

  it('is private to the user: the folder 0700 (even one made open before), each entry 0600', async () => {
    const { tree, cache } = await scratch();
    await mkdir(cache, { recursive: true, mode: 0o755 });
    await load({ sources: [tree], recordCache: { directory: cache } });
    assert.equal((await stat(cache)).mode & 0o777, 0o700);
    const names = await readdir(cache);
    assert.equal(names.length, 1);
    assert.equal((await stat(path.join(cache, names[0]!))).mode & 0o777, 0o600);
  });

  it('stays within its size: the entry used longest ago goes first, and one bigger than the cache is not kept', async () => {
    const { tree, cache } = await scratch();
    const shapes: LoadRequest[] = ['create', 'delete'].map((action) => ({ sources: [tree], prefilter: { serviceNames: ['clusters'], statements: [{ serviceNames: ['clusters'], actionNames: [action] }] } }));
    await load({ ...shapes[0]!, recordCache: { directory: cache } });
    const [only] = await new RecordCache(cache).entries();
    const room = only!.size * 1.5;
    await load({ ...shapes[1]!, recordCache: { directory: cache, maxBytes: room } });
    const left = await new RecordCache(cache).entries();
    assert.equal(left.length, 1, 'the older entry was dropped');
    assert.notEqual(left[0]!.file, only!.file);
    // Using an entry makes it the most recent.
    const again = await load({ ...shapes[1]!, recordCache: { directory: cache, maxBytes: room } });
    assert.equal(again.summary.filesFromCache, 4);

    const tiny = await load({ sources: [tree], recordCache: { directory: cache, maxBytes: 1000 } });
    assert.equal(tiny.summary.filesFromCache, 0);
    assert.equal(tiny.summary.recordCacheCurrent, false);
    assert.equal((await new RecordCache(cache, 1000).entries()).length, 1, 'the whole-tree entry was not written');
  });

  it('never replaces a table that holds the user’s own tables: it reads every file, and the user’s table stays', async () => {
    const { tree, cache } = await scratch();
    const request: LoadRequest = { sources: [tree], recordCache: { directory: cache } };
    const { database } = await load(request);
    database.query('CREATE TABLE mine AS SELECT 42 AS answer');
    const { summary } = await load(request, database);
    assert.equal(summary.filesFromCache, 0);
    assert.equal(summary.recordCacheCurrent, false);
    assert.deepEqual(database.query('SELECT answer FROM mine').rows, [[42]]);
    assert.equal(summary.recordsLoaded, 16);
    const other = await load(request);
    assert.equal(other.summary.filesFromCache, 4);
    assert.deepEqual(other.database.query(`SELECT name FROM sqlite_schema WHERE name = 'mine'`).rows, [], 'the user’s table never went into the cache');
  });

  it('reads every file afresh when the cache holds less than half of the scope', async () => {
    const { tree, cache } = await scratch();
    await load({ sources: [tree], filter: { workspaces: ['1001'], from: '2024-03-01', to: '2024-03-01' }, recordCache: { directory: cache } });
    const { summary } = await load({ sources: [tree], recordCache: { directory: cache } });
    assert.equal(summary.filesFromCache, 0);
    assert.equal(summary.recordsLoaded, 16);
  });

  it('reads every file when the entry is damaged, and answers the same', async () => {
    const { tree, cache } = await scratch();
    const request: LoadRequest = { sources: [tree], recordCache: { directory: cache } };
    const first = await load(request);
    const [entry] = await new RecordCache(cache).entries();
    const bytes = Buffer.alloc(entry!.size, 0x41);
    await writeFile(entry!.file, bytes);
    const second = await load(request);
    assert.equal(second.summary.filesFromCache, 0);
    assert.deepEqual(everything(second.database), everything(first.database));
    const third = await load(request);
    assert.equal(third.summary.filesFromCache, 4, 'the damaged entry was written again');
  });

  it('reads every file when the entry was cut short, and answers the same', async () => {
    const { tree, cache } = await scratch();
    const request: LoadRequest = { sources: [tree], recordCache: { directory: cache } };
    const first = await load(request);
    const [entry] = await new RecordCache(cache).entries();
    await truncate(entry!.file, Math.floor(entry!.size * 0.6));
    const second = await load(request);
    assert.equal(second.summary.filesFromCache, 0);
    assert.deepEqual(everything(second.database), everything(first.database));
  });

  it('leaves the table empty when a load that started from the cache fails (over the row budget)', async () => {
    const { tree, cache } = await scratch();
    const request: LoadRequest = { sources: [tree], recordCache: { directory: cache } };
    await load(request);
    const big = fileOf(tree, '1002', '2024-03-02');
    await appendFile(big, jsonLines(Array.from({ length: 50 }, (_, i) => aRecord({ requestId: `bulk-${i}` }))));
    const database = await AuditDatabase.open();
    await assert.rejects(loadIntoDatabase(database, request, { maxRows: 30 }), /row budget/);
    assert.equal(database.rowCount, 0);
    assert.ok(database.holdsNothing());
  });

  it('is emptied by clear()', async () => {
    const { tree, cache } = await scratch();
    await load({ sources: [tree], recordCache: { directory: cache } });
    assert.ok((await new RecordCache(cache).clear()) > 0);
    assert.deepEqual(await new RecordCache(cache).entries(), []);
    assert.equal((await load({ sources: [tree], recordCache: { directory: cache } })).summary.filesFromCache, 0);
  });
});
