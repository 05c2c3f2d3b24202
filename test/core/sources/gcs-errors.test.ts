import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseGcsUri, resolveEndpoint, toGcsError } from '../../../src/core/sources/gcs';

const list = { operation: 'list' as const, bucket: 'b', name: 'logs/' };

describe('GCS error messages', () => {
  it('tells a user without Application Default Credentials how to log in', () => {
    // The message google-auth-library throws when it finds no credentials anywhere.
    const error = toGcsError(
      new Error('Could not load the default credentials. Browse to https://cloud.google.com/docs/authentication/getting-started for more information.'),
      list,
    );
    assert.equal(error.code, 'no-credentials');
    assert.match(error.userMessage, /gcloud auth application-default login/);
    assert.match(error.userMessage, /GOOGLE_APPLICATION_CREDENTIALS/);
  });

  it('asks to log in again when the token is rejected', () => {
    const error = toGcsError(Object.assign(new Error('invalid_grant: reauth related error'), { code: 400 }), list);
    assert.equal(error.code, 'no-credentials');
  });

  it('reports a cancelled operation as cancelled whatever the underlying error', () => {
    const controller = new AbortController();
    controller.abort();
    assert.equal(toGcsError(new Error('socket hang up'), { ...list, signal: controller.signal }).code, 'cancelled');
  });

  it('reports DNS failures and timeouts as network problems', () => {
    assert.equal(toGcsError(Object.assign(new Error('getaddrinfo ENOTFOUND storage.googleapis.com'), { code: 'ENOTFOUND' }), list).code, 'network');
    assert.match(toGcsError(new Error('network timeout at: https://storage.googleapis.com/'), list).userMessage, /timed out/);
  });
});

describe('gs:// URIs and endpoints', () => {
  it('parses bucket and prefix', () => {
    assert.deepEqual(parseGcsUri('gs://my-bucket'), { bucket: 'my-bucket', prefix: '' });
    assert.deepEqual(parseGcsUri('gs://my-bucket/path/to/logs/'), { bucket: 'my-bucket', prefix: 'path/to/logs' });
    assert.throws(() => parseGcsUri('gs://'), (e: { code?: string }) => e.code === 'usage');
    assert.throws(() => parseGcsUri('gs://Bad_Bucket!'), (e: { code?: string }) => e.code === 'usage');
  });

  it('prefers the explicit endpoint over STORAGE_EMULATOR_HOST', () => {
    assert.equal(resolveEndpoint({ endpoint: 'http://127.0.0.1:1/', env: { STORAGE_EMULATOR_HOST: 'http://x:2' } }), 'http://127.0.0.1:1');
    assert.equal(resolveEndpoint({ env: { STORAGE_EMULATOR_HOST: 'localhost:4443/storage/v1/' } }), 'http://localhost:4443');
    assert.equal(resolveEndpoint({ env: {} }), undefined);
  });
});
