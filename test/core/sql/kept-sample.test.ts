/** The share of a load's bytes its prefilter keeps, from a sample of local files: what the load reserves room for. */
import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import { readFileSync } from 'node:fs';
import { listLoad } from '../../../src/core/sql/loader';
import { sampleKeptShare } from '../../../src/core/sql/kept-sample';
import { compilePrefilter } from '../../../src/core/sql/pushdown';
import { aRecord, writeDeliveryTree } from '../../support/deliveryTree';

const lines = (service: string, count: number, pad: number) => Array.from({ length: count }, (_, i) => aRecord({ serviceName: service, requestId: `${service}-${i}`, requestParams: { pad: 'x'.repeat(pad) } }));
const tree = writeDeliveryTree([
  { workspaceId: '1', date: '2024-01-01', lines: [...lines('clusters', 10, 10), ...lines('jobs', 30, 200)] },
  { workspaceId: '1', date: '2024-01-02', lines: [...lines('jobs', 5, 50), ...lines('clusters', 20, 300)] },
  { workspaceId: '2', date: '2024-01-01', lines: lines('jobs', 8, 20) },
]);
after(() => tree.remove());

it('is the kept lines’ bytes over all the bytes, when every file fits the sample', async () => {
  const listing = await listLoad({ sources: [tree.root] });
  const share = await sampleKeptShare(listing.files, compilePrefilter({ serviceNames: ['clusters'] })!);
  const all = tree.files.map((file) => readFileSync(file, 'utf8').split('\n').filter((line) => line !== ''));
  const bytes = (kept: (line: string) => boolean) => all.flat().filter(kept).reduce((sum, line) => sum + Buffer.byteLength(line) + 1, 0);
  assert.equal(share, bytes((line) => line.includes('"serviceName":"clusters"')) / bytes(() => true));
});

it('gives a load that replaces the table, with no scan to size it, the share to reserve room for; an append gets none', async () => {
  const prefilter = { serviceNames: ['jobs'] };
  const replacing = await listLoad({ sources: [tree.root], prefilter });
  assert.ok(replacing.keptShare !== undefined && replacing.keptShare > 0.3 && replacing.keptShare < 0.7, String(replacing.keptShare));
  assert.equal((await listLoad({ sources: [tree.root], prefilter, append: true })).keptShare, undefined);
  assert.equal((await listLoad({ sources: [tree.root] })).keptShare, undefined, 'without a prefilter every byte is kept');
  assert.equal((await listLoad({ sources: [tree.root], prefilter, recordCache: { directory: tree.root } })).keptShare, undefined, 'through the record cache, only a load it does not serve samples');
});
