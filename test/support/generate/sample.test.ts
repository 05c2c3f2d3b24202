import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { generateTree, SAMPLE_BUCKET_OPTIONS } from './';

const committed = path.resolve(__dirname, '../../../samples/bucket');

async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

test('regenerating the sample bucket with its seed reproduces the committed files byte for byte', async () => {
  const out = await mkdtemp(path.join(tmpdir(), 'audit-lens-sample-'));
  try {
    const summary = await generateTree(out, SAMPLE_BUCKET_OPTIONS);
    const expected = await listFiles(committed);
    assert.deepEqual(await listFiles(out), expected);
    assert.equal(summary.files, expected.length);
    for (const file of expected) {
      const [a, b] = await Promise.all([readFile(path.join(out, file)), readFile(path.join(committed, file))]);
      assert.ok(a.equals(b), `${file} differs from the committed sample`);
    }
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});

test('the sample bucket holds a few workspaces and the account partition over a week', async () => {
  const files = await listFiles(committed);
  const workspaces = new Set(files.map((f) => f.split('/')[0]));
  const dates = new Set(files.map((f) => f.split('/')[1]));
  assert.ok(workspaces.has('workspaceId=0'));
  assert.equal(workspaces.size, 4);
  assert.equal(dates.size, 7);
});
