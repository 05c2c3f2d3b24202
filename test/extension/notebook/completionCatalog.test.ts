import { test } from 'node:test';
import assert from 'node:assert/strict';
import { completionCatalog } from '../../../src/extension/notebook/completionCatalog';

function actionsOf(service: string): Map<string, string[]> {
  const entry = completionCatalog().services.find((s) => s.name === service);
  return new Map((entry?.actions ?? []).map((a) => [a.name, a.params]));
}

test('completion offers the current reference services and their verbose actions', () => {
  assert.deepEqual(actionsOf('databrickssql').get('commandSubmit'), ['commandText', 'warehouseId', 'commandId']);
  assert.deepEqual(actionsOf('notebook').get('runCommand'), ['notebookId', 'executionTime', 'status', 'commandId', 'commandText']);
  assert.deepEqual(actionsOf('unityCatalog').get('createMetastoreAssignment'), ['workspace_id', 'metastore_id', 'default_catalog_name']);
  assert.ok(completionCatalog().services.some((s) => s.name === 'lineageTracking'));
});

test("a service's older and newer names complete each other's actions", () => {
  assert.deepEqual(actionsOf('databrickssql').get('createQuery'), ['queryId']);
  assert.deepEqual(actionsOf('sqlanalytics').get('commandFinish'), ['warehouseId', 'commandId']);
  assert.ok(actionsOf('modelRegistry').has('createRegisteredModel'));
  assert.equal(actionsOf('genie').has('createSpace'), false);
});
