import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalFolderSource } from '../../../src/core/sources/local';
import { AuditLensError } from '../../../src/core/errors';

async function aTree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'audit-lens-local-'));
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(join(root, rel, '..'), { recursive: true });
    await writeFile(join(root, rel), content);
  }
  return root;
}

test('lists workspaces, dates and files of a delivery tree, pruned by filters', async (t) => {
  const root = await aTree({
    'workspaceId=0/date=2024-03-01/auditlogs_a.json': '{}\n',
    'workspaceId=1234567890123456789/date=2024-03-01/auditlogs_b.json': '{}\n{}\n',
    'workspaceId=1234567890123456789/date=2024-03-02/auditlogs_c.json': '{}\n',
    'workspaceId=1234567890123456789/date=2024-03-02/notes.txt': 'ignored',
    'workspaceId=x/date=2024-03-02/auditlogs_d.json': 'ignored',
    'README.md': 'ignored',
  });
  t.after(() => rm(root, { recursive: true, force: true }));
  const source = new LocalFolderSource(root);
  assert.deepEqual(await source.listWorkspaces(), ['0', '1234567890123456789']);
  assert.deepEqual(await source.listDates('1234567890123456789'), ['2024-03-01', '2024-03-02']);
  const all = await source.listFiles();
  assert.deepEqual(all.map((f) => f.relativePath), [
    'workspaceId=0/date=2024-03-01/auditlogs_a.json',
    'workspaceId=1234567890123456789/date=2024-03-01/auditlogs_b.json',
    'workspaceId=1234567890123456789/date=2024-03-02/auditlogs_c.json',
  ]);
  assert.equal(all[1]!.size, 6);
  const pruned = await source.listFiles({ from: '2024-03-02', workspaces: ['1234567890123456789'] });
  assert.deepEqual(pruned.map((f) => f.relativePath), ['workspaceId=1234567890123456789/date=2024-03-02/auditlogs_c.json']);
  let bytes = '';
  for await (const chunk of source.openRead(all[1]!)) bytes += Buffer.from(chunk).toString();
  assert.equal(bytes, '{}\n{}\n');
});

test('a missing root is a clear not-found error', async () => {
  const source = new LocalFolderSource(join(tmpdir(), 'audit-lens-does-not-exist-' + process.pid));
  await assert.rejects(source.listWorkspaces(), (e: unknown) => e instanceof AuditLensError && e.code === 'not-found' && /Folder not found/.test(e.userMessage));
});

test('a file that vanishes before it is read is reported as not found', async (t) => {
  const root = await aTree({ 'workspaceId=1/date=2024-03-01/auditlogs_a.json': '{}\n' });
  t.after(() => rm(root, { recursive: true, force: true }));
  const source = new LocalFolderSource(root);
  const [file] = await source.listFiles();
  await rm(file!.uri);
  await assert.rejects(async () => {
    for await (const _ of source.openRead(file!)) void _;
  }, (e: unknown) => e instanceof AuditLensError && e.code === 'not-found');
});
