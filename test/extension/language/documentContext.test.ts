import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileContextOf, isPlausibleEpochMs, targetAt } from '../../../src/extension/language/documentContext';
import { documentedNameFrom, epochMsOfDateString } from '../../../src/extension/language/quickFixes';

const line = JSON.stringify({
  serviceName: 'clusters',
  actionName: 'create',
  auditLevel: 'WORKSPACE_LEVEL',
  timestamp: 1714550400000,
  requestParams: { cluster_name: 'etl' },
});

test('finds the requestParams key under the cursor with the record names', () => {
  const target = targetAt(line, line.indexOf('"cluster_name"') + 3);
  assert.ok(target);
  assert.deepEqual(target.member.path, ['requestParams', 'cluster_name']);
  assert.equal(target.onKey, true);
  assert.deepEqual(target.record, { service: 'clusters', action: 'create', level: 'WORKSPACE_LEVEL' });
});

test('finds a value and decodes it', () => {
  const target = targetAt(line, line.indexOf('1714550400000') + 1);
  assert.equal(target?.onKey, false);
  assert.equal(target?.value, 1714550400000);
  assert.equal(targetAt(line, 0), undefined);
});

test('reads the expected workspace and date from the delivery path', () => {
  assert.deepEqual(fileContextOf('f', '/b/p/workspaceId=42/date=2024-05-01/auditlogs_x.json'), {
    file: 'f',
    expectedWorkspaceId: '42',
    expectedDate: '2024-05-01',
  });
  assert.deepEqual(fileContextOf('f', '/tmp/events.jsonl'), { file: 'f' });
});

test('tells epoch milliseconds from other numbers', () => {
  assert.equal(isPlausibleEpochMs(1714550400000), true);
  assert.equal(isPlausibleEpochMs(1714550400), false);
  assert.equal(isPlausibleEpochMs(1.5e12 + 0.5), false);
});

test('works out quick-fix replacements', () => {
  assert.equal(documentedNameFrom('requestParams.Cluster_Name differs from the documented key cluster_name only in letter case: …'), 'cluster_name');
  assert.equal(documentedNameFrom('userIdentity.Email differs from the field userIdentity.email only in letter case: …'), 'email');
  assert.equal(documentedNameFrom('something else'), undefined);
  assert.equal(epochMsOfDateString('"2024-05-01T08:00:00Z"'), Date.UTC(2024, 4, 1, 8));
  assert.equal(epochMsOfDateString('"yesterday"'), undefined);
  assert.equal(epochMsOfDateString('17'), undefined);
});
