import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { removeStaleTempFolders } from '../../src/core/tempFiles';

describe('stale temporary folders', () => {
  it('removes the folders of processes that no longer run, and only those', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'audit-lens-stale-test-'));
    try {
      const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
      const make = (name: string): void => {
        mkdirSync(path.join(root, name));
        writeFileSync(path.join(root, name, 'snapshot.sqlite'), 'records');
      };
      make(`audit-lens-${dead}-abc123`);
      make(`audit-lens-${process.pid}-def456`);
      make('audit-lens-session-ghi789');
      make('someone-elses-folder');
      assert.deepEqual(await removeStaleTempFolders(root), [path.join(root, `audit-lens-${dead}-abc123`)]);
      assert.deepEqual(readdirSync(root).sort(), [`audit-lens-${process.pid}-def456`, 'audit-lens-session-ghi789', 'someone-elses-folder']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
