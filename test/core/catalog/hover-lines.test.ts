/**
 * What a hover shows for lines of the current reference's services: the position's record names
 * (as the hover provider reads them) looked up in the catalog.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { targetAt } from '../../../src/extension/language/documentContext';
import { describeAction, describeParam, describeService } from '../../../src/core/catalog';

function at(line: string, needle: string) {
  const target = targetAt(line, line.indexOf(needle) + 2);
  assert.ok(target, needle);
  return target;
}

const verbose = JSON.stringify({
  serviceName: 'databrickssql',
  actionName: 'commandSubmit',
  auditLevel: 'WORKSPACE_LEVEL',
  requestParams: { commandText: 'SELECT 1', warehouseId: 'w1', commandId: 'c1' },
});

test('a verbose databrickssql line hovers with its docs, fields and source', () => {
  const key = at(verbose, '"commandText"');
  const { service = '', action = '', level } = key.record;
  const param = describeParam(service, action, 'commandText', level);
  assert.equal(param.documented, true);
  assert.match(param.description, /SQL statement/);
  const actionDoc = describeAction(service, at(verbose, '"commandSubmit"').value as string, level);
  assert.deepEqual(actionDoc.documentedKeys, ['commandText', 'warehouseId', 'commandId']);
  assert.match(actionDoc.source ?? '', /verbose-logs/);
  const serviceDoc = describeService(at(verbose, '"databrickssql"').value as string, level);
  assert.equal(serviceDoc.level, 'WORKSPACE_LEVEL');
  assert.match(serviceDoc.description, /Also named sqlanalytics/);
});

test('a modelRegistry line hovers with the mlflowModelRegistry entry and names it', () => {
  const line = JSON.stringify({ serviceName: 'modelRegistry', actionName: 'createModelVersion', requestParams: { run_id: 'r' } });
  const { service = '', action = '', level } = at(line, '"run_id"').record;
  assert.equal(describeParam(service, action, 'run_id', level).documented, true);
  assert.match(describeAction(service, action, level).description, /under mlflowModelRegistry/);
});

test('a unityCatalog line hovers at the account level', () => {
  const line = JSON.stringify({ serviceName: 'unityCatalog', actionName: 'createMetastoreAssignment', auditLevel: 'ACCOUNT_LEVEL', requestParams: { metastore_id: 'm' } });
  const { service = '', action = '', level } = at(line, '"metastore_id"').record;
  const doc = describeParam(service, action, 'metastore_id', level);
  assert.equal(doc.level, 'ACCOUNT_LEVEL');
  assert.match(doc.description, /metastore/);
});
