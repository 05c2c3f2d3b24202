/** The loader's second step: a load over budget is refused before anything changes, and room is reserved for the rest. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AuditLensError } from '../../../src/core/errors';
import type { AuditFile } from '../../../src/core/sources';
import { LocalFolderSource } from '../../../src/core/sources';
import { budgetLoad, type LoadListing, type LoadRequest } from '../../../src/core/sql/loader';
import { compilePrefilter, type LinePrefilter } from '../../../src/core/sql/pushdown';

const source = new LocalFolderSource('/logs');

function aListing(sizes: number[], extra: Partial<LoadListing> = {}): LoadListing {
  const files = sizes.map((size, i): { source: LocalFolderSource; file: AuditFile } => ({
    source,
    file: { sourceUri: '/logs', uri: `/logs/workspaceId=1/date=2024-01-0${i + 1}/a.json`, relativePath: `a${i}.json`, workspaceId: '1', date: `2024-01-0${i + 1}`, size, version: '1' },
  }));
  return { files, overlapping: 0, listingNotes: [], totalBytes: sizes.reduce((a, b) => a + b, 0), cached: { indexes: new Map() }, ...extra };
}

/** A database that only records what is reserved in it. */
function aDatabase(rowCount = 0): { rowCount: number; reserved: number[]; reserve(bytes: number): boolean } {
  const reserved: number[] = [];
  return { rowCount, reserved, reserve: (bytes) => (reserved.push(bytes), true) };
}

/** A listing's prefilter, with its compiled form when it compiles. */
function filtered(prefilter: LinePrefilter): Pick<LoadListing, 'prefilter' | 'compiled'> {
  const compiled = compilePrefilter(prefilter);
  return { prefilter, ...(compiled ? { compiled } : {}) };
}

const refusedFor = (code: string, message: RegExp) => (error: unknown) => error instanceof AuditLensError && error.code === code && message.test(error.userMessage);

describe('budgeting a load', () => {
  const request: LoadRequest = { sources: ['/logs'] };

  it('refuses a selection over the byte budget, naming its size and the budget', () => {
    const database = aDatabase();
    assert.throws(() => budgetLoad(database, request, { maxRows: 100, maxBytes: 2000 }, aListing([1500, 1500])), refusedFor('budget', /holds 2\.9 KiB in 2 files, more than the budget of 2\.0 KiB/));
    assert.deepEqual(database.reserved, []);
  });

  it('refuses a load whose records the scan cache counts over the row budget, with the rows already there when it adds to them', () => {
    const listing = aListing([100], { cached: { indexes: new Map(), recordsInScope: 60 } });
    assert.doesNotThrow(() => budgetLoad(aDatabase(50), request, { maxRows: 100 }, listing));
    assert.throws(() => budgetLoad(aDatabase(50), { ...request, append: true }, { maxRows: 100 }, listing), refusedFor('budget', /more than 100 records/));
    assert.throws(() => budgetLoad(aDatabase(), request, { maxRows: 59 }, listing), refusedFor('budget', /more than 59 records/));
  });

  it('leaves a prefiltered load to the rows it keeps: the cache counts every record, not the ones kept', () => {
    const listing = aListing([100], { prefilter: { serviceNames: ['clusters'] }, cached: { indexes: new Map(), recordsInScope: 1000 } });
    assert.doesNotThrow(() => budgetLoad(aDatabase(), request, { maxRows: 10 }, listing));
  });

  it('reserves room for the bytes a load keeps, no more than its row budget can fill', () => {
    const whole = aDatabase();
    budgetLoad(whole, request, { maxRows: 1_000_000 }, aListing([1000, 3000]));
    assert.deepEqual(whole.reserved, [4000 * 1.2]);
    const few = aDatabase();
    budgetLoad(few, request, { maxRows: 2 }, aListing([1000, 3000]));
    assert.deepEqual(few.reserved, [2 * 850]);
  });

  it('reserves for a prefiltered load what the scan says its wanted lines hold, and leaves a slice room for the next ones', () => {
    const wanted: string[] = [];
    const listing = aListing([10_000], {
      ...filtered({ serviceNames: ['clusters'] }),
      cached: { indexes: new Map(), wantedBytes: (admits) => (['clusters', 'jobs'].forEach((service) => admits(service, 'create') && wanted.push(service)), 500) },
    });
    const database = aDatabase();
    budgetLoad(database, request, { maxRows: 1_000_000 }, listing);
    assert.deepEqual(wanted, ['clusters'], 'the prefilter decides which lines are kept');
    assert.deepEqual(database.reserved, [500 * 1.2]);
    const slice = aDatabase();
    budgetLoad(slice, { ...request, slices: [{ service: 'clusters' }] }, { maxRows: 1_000_000 }, listing);
    assert.deepEqual(slice.reserved, [500 * 1.2 + 64 * 1024 ** 2]);
  });

  it('reserves nothing for a prefiltered load the scan cache cannot size', () => {
    const database = aDatabase();
    budgetLoad(database, request, { maxRows: 1_000_000 }, aListing([10_000], filtered({ serviceNames: ['clusters'] })));
    assert.deepEqual(database.reserved, []);
  });

  it('reserves for the whole selection when the prefilter cannot be searched for soundly, as the load then reads every line', () => {
    const unsound = filtered({ serviceNames: ['clu"sters'] });
    assert.equal(unsound.compiled, undefined);
    const database = aDatabase();
    budgetLoad(database, request, { maxRows: 1_000_000 }, aListing([10_000], { ...unsound, cached: { indexes: new Map(), wantedBytes: () => 1 } }));
    assert.deepEqual(database.reserved, [10_000 * 1.2]);
  });
});
