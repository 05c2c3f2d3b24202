/** The loader's third step: the feed's lines into the table one file at a time, a lost file rolled back alone. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AuditLensError } from '../../../src/core/errors';
import type { LineItem } from '../../../src/core/jsonl';
import { LocalFolderSource, type AuditFile } from '../../../src/core/sources';
import { AuditDatabase } from '../../../src/core/sql/database';
import type { FileLines, LineReader } from '../../../src/core/sql/line-feed';
import { insertLoad, type LoadListing } from '../../../src/core/sql/loader';

const source = new LocalFolderSource('/logs');

function aFile(i: number): AuditFile {
  return { sourceUri: '/logs', uri: `/logs/workspaceId=${i}/date=2024-01-0${i}/a.json`, relativePath: `a${i}.json`, workspaceId: String(i), date: `2024-01-0${i}`, size: 100 * i, version: '1' };
}

function aListing(count: number): LoadListing {
  const files = Array.from({ length: count }, (_, i) => ({ source, file: aFile(i + 1) }));
  return { files, overlapping: 0, listingNotes: ['a note'], totalBytes: files.reduce((sum, { file }) => sum + file.size, 0), cached: { indexes: new Map() } };
}

const record = (line: number, action: string): LineItem => ({ kind: 'line', line, offset: line * 100, text: JSON.stringify({ serviceName: 'clusters', actionName: action, requestId: `r${line}` }) });
const problem = (line: number): LineItem => ({ kind: 'problem', line, offset: line * 100, reason: 'line is not valid UTF-8', preview: '{"bad' });

/** What a file of the fake feed gives: batches of lines, then its count passed over, or a failure after the batches. */
interface FakeFile {
  batches: LineItem[][];
  passedOver?: number;
  byIndex?: boolean;
  failure?: AuditLensError;
}

function fakeFeed(files: FakeFile[]): LineReader {
  return async function* (plan) {
    assert.equal(plan.files.length, files.length);
    for (const [position, fake] of files.entries()) {
      async function* batches(): AsyncGenerator<LineItem[]> {
        for (const batch of fake.batches) yield batch;
        if (fake.failure) throw fake.failure;
      }
      const lines: FileLines = { position, byIndex: fake.byIndex ?? false, batches: batches(), passedOver: () => fake.passedOver ?? 0 };
      yield lines;
    }
  };
}

const rows = (database: AuditDatabase) => database.query('SELECT workspaceId, date, _line, actionName FROM audit_logs ORDER BY rowid').rows;

describe('inserting a load', () => {
  it('inserts each file’s records, rejects its bad lines and counts what was passed over', async (t) => {
    const database = await AuditDatabase.open();
    t.after(() => database.close());
    const readLines = fakeFeed([
      { batches: [[record(1, 'create'), problem(2)], [record(3, 'delete')]], passedOver: 4 },
      { batches: [[record(1, 'start')]], passedOver: 2, byIndex: true },
    ]);
    const summary = await insertLoad(database, { sources: ['/logs'] }, { maxRows: 100 }, aListing(2), { readLines });
    assert.deepEqual(rows(database), [['1', '2024-01-01', 1, 'create'], ['1', '2024-01-01', 3, 'delete'], ['2', '2024-01-02', 1, 'start']]);
    assert.deepEqual(
      { ...summary, durationMs: 0 },
      { files: 2, filesSkipped: 0, filesFailed: 0, filesOverlapping: 0, bytes: 300, linesRead: 10, recordsLoaded: 3, linesRejected: 1, linesSkippedByFilter: 6, filesReadByIndex: 1, loadedFiles: [aFile(1).uri, aFile(2).uri], listingNotes: ['a note'], problems: [{ file: aFile(1).uri, line: 2, offset: 200, reason: 'line is not valid UTF-8' }], problemCount: 1, durationMs: 0 },
    );
    assert.deepEqual(database.query('SELECT file, line, reason FROM audit_errors').rows, [[aFile(1).uri, 2, 'line is not valid UTF-8']]);
  });

  for (const [code, failed] of [['not-found', 0], ['permission-denied', 1], ['network', 1]] as const) {
    it(`rolls back and skips a file lost to ${code} after some of its lines, and loads the rest`, async (t) => {
      const database = await AuditDatabase.open();
      t.after(() => database.close());
      const readLines = fakeFeed([
        { batches: [[record(1, 'create')]] },
        { batches: [[record(1, 'lost'), problem(2)]], passedOver: 3, failure: new AuditLensError(code, 'The file went away.') },
        { batches: [[record(1, 'start')]] },
      ]);
      const summary = await insertLoad(database, { sources: ['/logs'] }, { maxRows: 100 }, aListing(3), { readLines });
      assert.deepEqual(rows(database), [['1', '2024-01-01', 1, 'create'], ['3', '2024-01-03', 1, 'start']]);
      assert.equal(summary.filesSkipped, 1);
      assert.equal(summary.filesFailed, failed);
      assert.deepEqual([summary.linesRead, summary.recordsLoaded, summary.linesRejected, summary.problemCount], [2, 2, 0, 1]);
      assert.deepEqual(summary.problems, [{ file: aFile(2).uri, line: 0, offset: 0, reason: 'file skipped: The file went away.' }]);
      assert.deepEqual(summary.loadedFiles, [aFile(1).uri, aFile(3).uri]);
      assert.deepEqual(database.query('SELECT count(*) FROM audit_errors').rows, [[0]]);
    });
  }

  it('fails the load, changing nothing, when no file could be read or a file fails otherwise', async (t) => {
    const database = await AuditDatabase.open();
    t.after(() => database.close());
    await insertLoad(database, { sources: ['/logs'] }, { maxRows: 100 }, aListing(1), { readLines: fakeFeed([{ batches: [[record(1, 'kept')]] }]) });
    const lost = new AuditLensError('not-found', 'Gone.');
    await assert.rejects(insertLoad(database, { sources: ['/logs'] }, { maxRows: 100 }, aListing(2), { readLines: fakeFeed([{ batches: [], failure: lost }, { batches: [[record(1, 'x')]], failure: lost }]) }), /Gone/);
    await assert.rejects(insertLoad(database, { sources: ['/logs'] }, { maxRows: 100 }, aListing(2), { readLines: fakeFeed([{ batches: [[record(1, 'x')]] }, { batches: [], failure: new AuditLensError('data', 'Broken.') }]) }), /Broken/);
    assert.deepEqual(rows(database), [['1', '2024-01-01', 1, 'kept']]);
  });

  it('stops at the row budget, counting the rows already there when it adds to them', async (t) => {
    const database = await AuditDatabase.open();
    t.after(() => database.close());
    await insertLoad(database, { sources: ['/logs'] }, { maxRows: 2 }, aListing(1), { readLines: fakeFeed([{ batches: [[record(1, 'kept')]] }]) });
    const two = (): LineReader => fakeFeed([{ batches: [[record(1, 'a')]] }, { batches: [[record(1, 'b')]] }]);
    await assert.rejects(insertLoad(database, { sources: ['/logs'], append: true }, { maxRows: 2 }, aListing(2), { readLines: two() }), (error: unknown) => error instanceof AuditLensError && error.code === 'budget');
    assert.deepEqual(rows(database), [['1', '2024-01-01', 1, 'kept']]);
    const replaced = await insertLoad(database, { sources: ['/logs'] }, { maxRows: 2 }, aListing(2), { readLines: two() });
    assert.equal(replaced.recordsLoaded, 2);
  });

  it('inserts a big file through inserts with its place written in, the same rows as a small one, whatever its name holds', async (t) => {
    const oddPlace = { sourceUri: '/logs', uri: "/logs/workspaceId=7/date=2024-01-07/auditlogs_o'brien \u00e9\u2028x.json", relativePath: 'odd.json', workspaceId: '7', date: '2024-01-07', version: '1' };
    const loadAs = async (size: number) => {
      const database = await AuditDatabase.open();
      t.after(() => database.close());
      const listing: LoadListing = { files: [{ source, file: { ...oddPlace, size } }], overlapping: 0, listingNotes: [], totalBytes: size, cached: { indexes: new Map() } };
      await insertLoad(database, { sources: ['/logs'] }, { maxRows: 100 }, listing, { readLines: fakeFeed([{ batches: [[record(1, 'create'), record(2, 'delete')]] }]) });
      return database.query('SELECT _file, workspaceId, date, _line, _offset, actionName FROM audit_logs ORDER BY rowid').rows;
    };
    const big = await loadAs(1024 * 1024);
    assert.deepEqual(big, await loadAs(100));
    assert.deepEqual(big[0], [oddPlace.uri, '7', '2024-01-07', 1, 100, 'create']);
  });

  it('refuses a feed that is out of step with the listing', async (t) => {
    const database = await AuditDatabase.open();
    t.after(() => database.close());
    const skipping: LineReader = async function* () {
      yield { position: 1, byIndex: false, batches: (async function* () {})(), passedOver: () => 0 };
    };
    await assert.rejects(insertLoad(database, { sources: ['/logs'] }, { maxRows: 100 }, aListing(2), { readLines: skipping }), (error: unknown) => error instanceof AuditLensError && error.code === 'internal' && /out of step/.test(error.userMessage));
  });
});
