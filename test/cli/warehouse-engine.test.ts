import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AuditLensError } from '../../src/core/errors';
import { engineChoice, offerWarehouseOnBudget } from '../../src/cli/warehouseEngine';

const args = (options: Record<string, string>) => ({ positionals: [], flags: new Set<string>(), options: new Map(Object.entries(options).map(([k, v]) => [k, [v]])) });

describe('the CLI engine choice', () => {
  it('defaults to local and refuses an unknown engine', () => {
    assert.equal(engineChoice(args({}), 'hint'), 'local');
    assert.equal(engineChoice(args({ engine: 'databricks', warehouse: 'w' }), 'hint'), 'databricks');
    assert.throws(() => engineChoice(args({ engine: 'spark' }), 'hint'), /not one of local, databricks/);
    assert.throws(() => engineChoice(args({ profile: 'prod' }), 'hint'), /--profile needs --engine databricks/);
    assert.throws(() => engineChoice({ ...args({}), flags: new Set(['allow-insecure-http']) }, 'hint'), /--allow-insecure-http needs --engine databricks/);
    assert.equal(engineChoice({ ...args({ engine: 'databricks' }), flags: new Set(['allow-insecure-http']) }, 'hint'), 'databricks');
  });

  it('points a load past the row budget at the warehouse, and leaves other errors alone', () => {
    const budget = offerWarehouseOnBudget(new AuditLensError('budget', 'The selection holds 3,000,000 records.')) as AuditLensError;
    assert.equal(budget.code, 'budget');
    assert.match(budget.userMessage, /^The selection holds 3,000,000 records\. Or run it on your Databricks SQL warehouse.*--engine databricks --warehouse ID/);
    const other = new AuditLensError('sql', 'no such column');
    assert.equal(offerWarehouseOnBudget(other), other);
  });
});
