/** The read side of a load: which lines a prefiltered feed gives the loader, and what it passes over. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LocalFolderSource } from '../../../src/core/sources';
import { readLinesHere, type LoadPlan } from '../../../src/core/sql/line-feed';
import { aRecord, writeDeliveryTree, type DeliveryTree } from '../../support/deliveryTree';
import { feedOutline } from '../../support/feeds';

/** A feed of every file of the folder tree at `root`, with the prefilter if one is given. */
async function planOver(root: string, prefilter?: LoadPlan['prefilter']): Promise<LoadPlan> {
  const source = new LocalFolderSource(root);
  const files = (await source.listFiles()).map((file) => ({ source, file }));
  return { files, sourceOptions: {}, ...(prefilter ? { prefilter } : {}) };
}

describe('the line feed with a prefilter', () => {
  let tree: DeliveryTree;
  const clustersCreate = JSON.stringify(aRecord({ serviceName: 'clusters', actionName: 'create' }));
  const jobsMentioningClusters = JSON.stringify(aRecord({ serviceName: 'jobs', actionName: 'create', requestParams: { note: 'clusters' } }));
  const repeatedKey = '{"serviceName":"jobs","serviceName":"clusters","actionName":"create"}';
  const escaped = '{"serviceName":"\\u0063lusters","actionName":"create"}';
  const notAnObject = '["clusters","create"]';
  const broken = '{"serviceName":"clusters", "actionName":"create"';
  const clustersDelete = JSON.stringify(aRecord({ serviceName: 'clusters', actionName: 'delete' }));
  before(() => {
    tree = writeDeliveryTree([
      { workspaceId: '1', date: '2024-01-01', lines: [clustersCreate, jobsMentioningClusters, repeatedKey, escaped, notAnObject, broken, clustersDelete, aRecord({ serviceName: 'accounts' })] },
      { workspaceId: '1', date: '2024-01-02', lines: [jobsMentioningClusters, clustersCreate] },
    ]);
  });
  after(() => tree.remove());

  it('drops a record whose own names the prefilter does not want, even when its bytes hold them', async () => {
    const [file, second] = await feedOutline(readLinesHere(await planOver(tree.root, { serviceNames: ['clusters'], statements: [{ serviceNames: ['clusters'], actionNames: ['create'] }] })));
    const lines = file!.items.map((item) => Number(item.split('@')[0]));
    // 2 (jobs, "clusters" in its parameters) and 7 (clusters/delete) are records the statement cannot read;
    // 3 (a repeated key), 4 (an escape), 5 (not an object) and 6 (not JSON) are SQLite's to judge.
    assert.deepEqual(lines, [1, 3, 4, 5, 6]);
    assert.equal(file!.passedOver, 3);
    assert.equal(file!.byIndex, false);
    // Each file counts only the lines passed over in it.
    assert.deepEqual([second!.items.length, second!.passedOver], [1, 1]);
  });

  it('gives every line, in order, with no prefilter', async () => {
    const [file] = await feedOutline(readLinesHere(await planOver(tree.root)));
    assert.equal(file!.items.length, 8);
    assert.equal(file!.passedOver, 0);
  });

  it('stops parsing lines for their names once the first ones show it almost never drops one', async () => {
    const create = JSON.stringify(aRecord({ serviceName: 'clusters', actionName: 'create' }));
    const mention = JSON.stringify(aRecord({ serviceName: 'jobs', actionName: 'create', requestParams: { note: 'clusters' } }));
    const prefilter = { serviceNames: ['clusters'], statements: [{ serviceNames: ['clusters'], actionNames: ['create'] }] };
    const outline = async (lines: string[]) => {
      const odd = writeDeliveryTree([{ workspaceId: '1', date: '2024-01-01', lines }]);
      try {
        const [file] = await feedOutline(readLinesHere(await planOver(odd.root, prefilter)));
        return file!;
      } finally {
        odd.remove();
      }
    };
    // 3000 wanted lines first: checking stops, so the 100 lines after are given, not dropped.
    const rare = await outline([...Array(3000).fill(create), ...Array(100).fill(mention)]);
    assert.deepEqual([rare.items.length, rare.passedOver], [3100, 0]);
    // One line in three dropped: checking goes on to the end.
    const often = await outline(Array.from({ length: 3000 }, (_, i) => (i % 3 === 0 ? mention : create)));
    assert.deepEqual([often.items.length, often.passedOver], [2000, 1000]);
  });
});

describe('a prefiltered local file read whole', () => {
  it('gives the lines, offsets and problems a stream gives, across the slices a batch is cut at', async () => {
    const wanted = (i: number) => JSON.stringify(aRecord({ serviceName: 'clusters', actionName: 'create', requestParams: { i: String(i), pad: 'x'.repeat(i % 997) } }));
    const other = (i: number) => JSON.stringify(aRecord({ serviceName: 'jobs', actionName: 'create', requestParams: { i: String(i), pad: 'y'.repeat(i % 1009) } }));
    // About 5 MB: lines of every length fall across the 1 MiB slices; blank lines, CRLF and a bad line among them.
    const lines = Array.from({ length: 6000 }, (_, i) => (i % 500 === 7 ? '' : i % 700 === 9 ? '{"serviceName":"clusters", broken' : i % 3 === 0 ? wanted(i) : other(i)));
    const tree = writeDeliveryTree([{ workspaceId: '1', date: '2024-01-01', lines: lines.map((line, i) => (i % 11 === 0 ? `${line}\r` : line)) }]);
    try {
      const plan = await planOver(tree.root);
      assert.ok(plan.files[0]!.file.size > 4 * 1024 * 1024);
      const [whole] = await feedOutline(readLinesHere({ ...plan, prefilter: { serviceNames: ['clusters'] } }));
      const [all] = await feedOutline(readLinesHere(plan));
      const expected = all!.items.filter((item) => item.includes('clusters'));
      assert.deepEqual(whole!.items, expected);
      assert.equal(whole!.passedOver, all!.items.length - expected.length);
      assert.ok(expected.length > 1900 && whole!.passedOver > 3900, `${expected.length} lines given, ${whole!.passedOver} passed over`);
    } finally {
      tree.remove();
    }
  });
});

describe('the line feed with a field filter', () => {
  it('drops a record whose bytes hold the value but whose field does not', async () => {
    const own = JSON.stringify(aRecord({ serviceName: 'accounts', actionName: 'login', userIdentity: { email: 'a@b.c' } }));
    const mentioned = JSON.stringify(aRecord({ serviceName: 'clusters', actionName: 'create', userIdentity: { email: 'x@b.c' }, requestParams: { owner: 'a@b.c' } }));
    const both = JSON.stringify(aRecord({ serviceName: 'clusters', actionName: 'create', userIdentity: { email: 'x@b.c' }, requestParams: { email: 'a@b.c' } }));
    const tree = writeDeliveryTree([{ workspaceId: '1', date: '2024-01-01', lines: [own, mentioned, both, JSON.stringify(aRecord({ serviceName: 'jobs' }))] }]);
    try {
      const [file] = await feedOutline(readLinesHere(await planOver(tree.root, { statements: [{ fields: [{ path: 'userIdentity.email', values: ['a@b.c'] }] }] })));
      // 2 holds the email in another field; 3 spells "email" twice, which only SQLite can judge; 4 has no such bytes.
      assert.deepEqual(file!.items.map((item) => Number(item.split('@')[0])), [1, 3]);
      assert.equal(file!.passedOver, 2);
    } finally {
      tree.remove();
    }
  });
});
