/** The loader's first step: the files a load reads, each source opened once for the session. */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { openSource, type SourceOptions } from '../../../src/core/sources';
import { SourceRegistry } from '../../../src/core/sources/registry';
import { AuditDatabase } from '../../../src/core/sql/database';
import { listLoad, loadIntoDatabase } from '../../../src/core/sql/loader';
import { aRecord, writeDeliveryTree } from '../../support/deliveryTree';

/** A registry whose every construction of a source is counted, by URI and options. */
function countingRegistry(): { sources: SourceRegistry; opened: string[] } {
  const opened: string[] = [];
  const sources = new SourceRegistry(async (uri: string, options: SourceOptions) => {
    opened.push(`${uri} ${JSON.stringify(options)}`);
    return openSource(uri, options);
  });
  return { sources, opened };
}

describe('listing a load', () => {
  it('selects a file that overlapping sources both list once, and notes the repeats', async (t) => {
    const tree = writeDeliveryTree([
      { workspaceId: '1', date: '2024-01-01', lines: [aRecord()] },
      { workspaceId: '2', date: '2024-01-01', lines: [aRecord(), aRecord()] },
    ]);
    t.after(() => tree.remove());
    const inner = path.join(tree.root, 'workspaceId=2');
    const listing = await listLoad({ sources: [tree.root, inner] });
    assert.deepEqual(listing.files.map(({ file }) => file.uri), tree.files);
    assert.equal(listing.overlapping, 1);
    assert.equal(listing.listingNotes.length, 1);
    assert.equal(listing.totalBytes, listing.files.reduce((sum, { file }) => sum + file.size, 0));
    assert.equal(listing.prefilter, undefined);
  });

  it('takes the prefilter of the slices a load names', async (t) => {
    const tree = writeDeliveryTree([{ workspaceId: '1', date: '2024-01-01', lines: [aRecord()] }]);
    t.after(() => tree.remove());
    const listing = await listLoad({ sources: [tree.root], slices: [{ service: 'clusters' }] });
    assert.deepEqual(listing.prefilter?.serviceNames, ['clusters']);
  });

  it('opens each source once in a session, however many loads list and read it', async (t) => {
    const tree = writeDeliveryTree([
      { workspaceId: '1', date: '2024-01-01', lines: [aRecord()] },
      { workspaceId: '1', date: '2024-01-02', lines: [aRecord()] },
    ]);
    t.after(() => tree.remove());
    const { sources, opened } = countingRegistry();
    const database = await AuditDatabase.open();
    t.after(() => database.close());
    for (let load = 0; load < 3; load++) {
      const summary = await loadIntoDatabase(database, { sources: [tree.root, tree.root] }, { maxRows: 100 }, { sources });
      assert.equal(summary.recordsLoaded, 2);
    }
    assert.deepEqual(opened, [`${tree.root} {}`]);
    // Another way of opening it is another source.
    await listLoad({ sources: [tree.root], gcs: { idleTimeoutMs: 5000 } }, { sources });
    assert.equal(opened.length, 2);
  });

  it('opens a folder inside a source apart from the source, and opens again one that failed to open', async (t) => {
    const tree = writeDeliveryTree([{ workspaceId: '1', date: '2024-01-01', lines: [aRecord()] }]);
    t.after(() => tree.remove());
    const { sources, opened } = countingRegistry();
    // Both give themselves the root's URI, but the inner one lists only its workspace.
    const inner = await sources.get(path.join(tree.root, 'workspaceId=1'));
    const root = await sources.get(tree.root);
    assert.equal(inner.uri, root.uri);
    assert.notEqual(inner, root);
    assert.equal(opened.length, 2);
    let attempts = 0;
    const flaky = new SourceRegistry(async (uri) => {
      if (++attempts === 1) throw new Error('no route to the bucket');
      return openSource(uri);
    });
    await assert.rejects(flaky.get(tree.root), /no route/);
    assert.equal((await flaky.get(tree.root)).uri, tree.root);
    assert.equal(attempts, 2);
  });

  it('opens each source once per load when no session keeps them', async (t) => {
    const tree = writeDeliveryTree([{ workspaceId: '1', date: '2024-01-01', lines: [aRecord()] }]);
    t.after(() => tree.remove());
    const first = await listLoad({ sources: [tree.root] });
    const second = await listLoad({ sources: [tree.root] });
    assert.notEqual(second.files[0]!.source, first.files[0]!.source);
  });
});
