import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { checkGcsUri, parseSourceInput, sameSource } from '../../src/extension/sourceInput';

test('accepts a bucket with and without a delivery prefix', () => {
  assert.equal(checkGcsUri('gs://audit-logs'), undefined);
  assert.equal(checkGcsUri('gs://audit-logs/databricks/prod'), undefined);
  assert.deepEqual(parseSourceInput(' gs://audit-logs/databricks/prod/ '), {
    kind: 'gcs',
    uri: 'gs://audit-logs/databricks/prod',
    bucket: 'audit-logs',
    prefix: 'databricks/prod',
  });
});

test('explains what is wrong with a bucket URI', () => {
  assert.match(checkGcsUri('')!, /Enter a gs:/);
  assert.match(checkGcsUri('s3://logs')!, /starts with gs:\/\//);
  assert.match(checkGcsUri('gs://')!, /names no bucket/);
  assert.match(checkGcsUri('gs://Audit_Logs')!, /not a bucket name/);
  assert.match(checkGcsUri('gs://ab')!, /not a bucket name/);
  assert.match(checkGcsUri('gs://logs/db/*')!, /Wildcards/);
  assert.match(checkGcsUri('gs://logs/db/workspaceId=1/')!, /above the workspaceId= folders/);
});

test('takes absolute folders and refuses relative ones', () => {
  const folder = path.resolve('some', 'logs');
  assert.deepEqual(parseSourceInput(folder + path.sep), { kind: 'local', uri: folder });
  assert.deepEqual(parseSourceInput('logs/here'), { error: 'Give the folder as an absolute path.' });
  assert.deepEqual(parseSourceInput('  '), { error: 'Enter a folder path or a gs:// URI.' });
});

test('compares sources ignoring trailing slashes and the scheme case', () => {
  assert.equal(sameSource('gs://logs/db/', 'GS://logs/db'), true);
  assert.equal(sameSource('gs://logs/db', 'gs://logs/db2'), false);
});
