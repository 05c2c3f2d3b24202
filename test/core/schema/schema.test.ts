import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { AUDIT_RECORD_SCHEMA, checkRecord, describeField, knownTopLevelFields } from '../../../src/core/schema';
import { aRecord } from '../../support/records';

test('the shipped schema file is what the code validates with', () => {
  const onDisk = JSON.parse(readFileSync(new URL('../../../schema/audit-record.schema.json', `file://${__filename}`), 'utf8'));
  assert.deepEqual(onDisk, AUDIT_RECORD_SCHEMA);
  assert.equal(onDisk.$schema, 'https://json-schema.org/draft/2020-12/schema');
  assert.ok(typeof onDisk.$id === 'string' && onDisk.$id.length > 0);
});

test('every field of the schema has a description', () => {
  const walk = (node: Record<string, unknown>, where: string): void => {
    assert.ok(typeof node.description === 'string' && node.description.length > 0, `${where} has no description`);
    const props = (node.properties ?? {}) as Record<string, Record<string, unknown>>;
    for (const [k, v] of Object.entries(props)) walk(v, `${where}.${k}`);
  };
  walk(AUDIT_RECORD_SCHEMA as Record<string, unknown>, 'record');
  assert.equal(knownTopLevelFields().length, 14);
});

test('a delivered record conforms, extra top-level keys included', () => {
  assert.deepEqual(checkRecord(aRecord({ shardName: 'x', somethingNew: { a: 1 } })), []);
  assert.deepEqual(checkRecord(aRecord({ userIdentity: { email: null }, response: { statusCode: null, errorMessage: null, result: null } })), []);
});

test('missing and mistyped fields are reported by path', () => {
  const record = aRecord({ timestamp: '2024-03-05T10:30:00Z', auditLevel: 'ORG_LEVEL', requestParams: { n: 1 } });
  delete record.serviceName;
  const issues = checkRecord(record).map((i) => `${i.keyword} ${i.path.join('.')}`).sort();
  assert.deepEqual(issues, ['enum auditLevel', 'required serviceName', 'type requestParams.n', 'type timestamp']);
  assert.deepEqual(checkRecord(aRecord({ workspaceId: 'ws-1' })).map((i) => i.keyword), ['pattern']);
  assert.deepEqual(checkRecord(aRecord({ workspaceId: 42 })), []);
});

test('describeField reads descriptions for hovers', () => {
  assert.match(describeField(['timestamp']) ?? '', /epoch/);
  assert.match(describeField(['response', 'statusCode']) ?? '', /HTTP status/);
  assert.match(describeField(['requestParams', 'anything']) ?? '', /string/);
  assert.equal(describeField(['nope']), undefined);
});
