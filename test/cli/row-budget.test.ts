/** `--row-budget N`: the budget the load message tells a user to raise can be raised from the CLI. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { aRecord, writeDeliveryTree, type DeliveryTree } from '../support/deliveryTree';
import { assertBuilt, runCli } from '../support/cli';

describe('--row-budget', () => {
  let tree: DeliveryTree;
  before(() => {
    assertBuilt();
    tree = writeDeliveryTree([{ workspaceId: '1', date: '2024-01-15', lines: Array.from({ length: 1500 }, () => aRecord()) }]);
  });
  after(() => tree.remove());

  it('stops a load past the budget, loading nothing, and a higher budget loads it all', async () => {
    const low = await runCli(['query', 'SELECT count(*) FROM audit_logs', '--source', tree.root, '--row-budget', '1000']);
    assert.equal(low.code, 1);
    assert.match(low.stderr, /more than 1,000 records, the row budget/);
    const high = await runCli(['query', 'SELECT count(*) FROM audit_logs', '--source', tree.root, '--row-budget', '2000', '--format', 'csv']);
    assert.equal(high.code, 0, high.stderr);
    assert.equal(high.stdout.trim().split('\n')[1], '1500');
  });

  it('refuses a budget that is not a positive whole number', async () => {
    const run = await runCli(['analyze', '--source', tree.root, '--row-budget', 'lots']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--row-budget 'lots' is not a positive whole number/);
  });
});
