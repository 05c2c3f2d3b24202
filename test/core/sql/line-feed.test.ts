/** The read side of a load: which lines a prefiltered feed gives the loader, and what it passes over. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LocalFolderSource } from '../../../src/core/sources';
import { readLinesHere, type FeedPlan } from '../../../src/core/sql/line-feed';
import { aRecord, writeDeliveryTree, type DeliveryTree } from '../../support/deliveryTree';
import { feedOutline } from '../../support/feeds';

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
    ]);
  });
  after(() => tree.remove());

  async function plan(prefilter: FeedPlan['prefilter']): Promise<FeedPlan> {
    const source = new LocalFolderSource(tree.root);
    const files = (await source.listFiles()).map((file) => ({ source, file }));
    return { files, sourceOptions: {}, ...(prefilter ? { prefilter } : {}) };
  }

  it('drops a record whose own names the prefilter does not want, even when its bytes hold them', async () => {
    const [file] = await feedOutline(readLinesHere(await plan({ serviceNames: ['clusters'], statements: [{ serviceNames: ['clusters'], actionNames: ['create'] }] })));
    const lines = file!.items.map((item) => Number(item.split('@')[0]));
    // 2 (jobs, "clusters" in its parameters) and 7 (clusters/delete) are records the statement cannot read;
    // 3 (a repeated key), 4 (an escape), 5 (not an object) and 6 (not JSON) are SQLite's to judge.
    assert.deepEqual(lines, [1, 3, 4, 5, 6]);
    assert.equal(file!.passedOver, 3);
    assert.equal(file!.byIndex, false);
  });

  it('gives every line, in order, with no prefilter', async () => {
    const [file] = await feedOutline(readLinesHere(await plan(undefined)));
    assert.equal(file!.items.length, 8);
    assert.equal(file!.passedOver, 0);
  });
});
