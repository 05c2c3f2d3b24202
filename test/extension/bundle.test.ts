/**
 * What activation loads: the extension bundle carries neither @google-cloud/storage nor sql.js;
 * storage is a sibling bundle required on first GCS use (`npm run build` makes the bundles).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { test } from 'node:test';

const dist = path.resolve(__dirname, '../../dist');
const bundle = (name: string): string => {
  const file = path.join(dist, name);
  assert.ok(existsSync(file), `${file} is missing: run npm run build`);
  return readFileSync(file, 'utf8');
};

test('the extension bundle leaves @google-cloud/storage and sql.js out, and requires storage as a sibling', () => {
  const extension = bundle('extension.js');
  assert.ok(!extension.includes('storage.googleapis.com'), 'no storage client code inlined');
  assert.ok(!/initSqlJs|sql-wasm\.js/.test(extension), 'no sql.js glue inlined');
  assert.match(extension, /require\("\.\/storage\.js"\)/);
});

test('the CLI and the threads require the same storage bundle instead of carrying it', () => {
  for (const name of ['cli.js', 'query-worker.js', 'scan-worker.js']) {
    const text = bundle(name);
    assert.ok(!text.includes('storage.googleapis.com'), `${name} inlines no storage client`);
    assert.match(text, /require\("\.\/storage\.js"\)/, name);
  }
});

test('the storage bundle is the package: it exports the Storage client', () => {
  bundle('storage.js');
  const { Storage } = createRequire(__filename)(path.join(dist, 'storage.js')) as { Storage: unknown };
  assert.equal(typeof Storage, 'function');
});
