/**
 * Names in a date folder that are not regular files — a link to nothing, two links to each other,
 * a pipe, a link to a device — are noted by kind, never opened; a link to a regular file loads.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AuditLensError } from '../../../src/core/errors';
import { LocalFolderSource } from '../../../src/core/sources/local';
import { describeSkipped, type Skipped } from '../../../src/core/sources/skipped';

const DAY = 'workspaceId=7/date=2024-03-05';

describe('entries of a date folder that are not regular files', { skip: process.platform === 'win32', timeout: 20_000 }, () => {
  let root = '';
  let day = '';

  before(() => {
    root = mkdtempSync(path.join(tmpdir(), 'audit-lens-special-'));
    day = path.join(root, DAY);
    mkdirSync(day, { recursive: true });
    writeFileSync(path.join(day, 'auditlogs_real.json'), '{}\n');
    symlinkSync('auditlogs_real.json', path.join(day, 'auditlogs_alias.json'));
    symlinkSync('missing.json', path.join(day, 'auditlogs_broken.json'));
    symlinkSync('auditlogs_loop2.json', path.join(day, 'auditlogs_loop1.json'));
    symlinkSync('auditlogs_loop1.json', path.join(day, 'auditlogs_loop2.json'));
    execFileSync('mkfifo', [path.join(day, 'auditlogs_pipe.json')]);
    symlinkSync('/dev/zero', path.join(day, 'auditlogs_zero.json'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('lists the regular files and a link to one, and notes each other entry once, by kind', async () => {
    const passedOver: Skipped[] = [];
    const files = await new LocalFolderSource(root).listFiles(undefined, { onSkipped: (s) => passedOver.push(s) });
    assert.deepEqual(files.map((f) => path.basename(f.uri)), ['auditlogs_alias.json', 'auditlogs_real.json']);
    const byKind = (kind: Skipped['kind']) => passedOver.filter((s) => s.kind === kind).map((s) => path.basename(s.path)).sort();
    assert.deepEqual(byKind('broken-link'), ['auditlogs_broken.json', 'auditlogs_loop1.json', 'auditlogs_loop2.json']);
    assert.deepEqual(byKind('not-regular-file'), ['auditlogs_pipe.json', 'auditlogs_zero.json']);
    assert.equal(passedOver.length, 5);
    const notes = describeSkipped(passedOver);
    assert.equal(notes.length, 2);
    assert.match(notes[0]!, /^skipped: 3 symbolic links lead to no file \(a missing target or a loop of links\) \(/);
    assert.match(notes[1]!, /^skipped: 2 entries are not a regular file \(a pipe, device or socket, never opened\) \(/);
  });

  it('a link to a regular file reads its target', async () => {
    const source = new LocalFolderSource(root);
    const alias = (await source.listPartitionFiles('7', '2024-03-05')).find((f) => f.uri.endsWith('auditlogs_alias.json'))!;
    const chunks: Uint8Array[] = [];
    for await (const chunk of source.openRead(alias)) chunks.push(chunk);
    assert.equal(Buffer.concat(chunks).toString(), '{}\n');
  });

  it('a file replaced by a pipe after the listing is refused at once, whole or by range, not waited on', async () => {
    const target = path.join(day, 'auditlogs_swapped.json');
    writeFileSync(target, '{}\n');
    const source = new LocalFolderSource(root);
    const listed = (await source.listPartitionFiles('7', '2024-03-05')).find((f) => f.uri === target)!;
    unlinkSync(target);
    execFileSync('mkfifo', [target]);
    const readAll = async (range?: { start: number; end: number }) => {
      for await (const chunk of source.openRead(listed, range ? { range } : {})) void chunk;
    };
    for (const range of [undefined, { start: 0, end: 3 }]) {
      await assert.rejects(readAll(range), (error: unknown) => {
        assert.ok(error instanceof AuditLensError);
        assert.match(error.userMessage, /auditlogs_swapped\.json is no longer a regular file .*it was not read/);
        return true;
      });
    }
  });
});
