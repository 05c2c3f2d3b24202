/**
 * What a listing passes over is said once, as information, and the rest still loads: folders
 * outside the layout, files not named auditlogs_*.json, nested folders, a folder the process may
 * not read; a gzip or UTF-16 file is named for what it is, once, not line by line.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { aLine } from '../support/records';
import { assertBuilt, runCli, STACK_FRAME } from '../support/cli';

const WS = '1234567890123456';
// root reads anything: run the CLI as an unprivileged user then.
const AS_USER = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

describe('folders and files outside the delivery layout', { skip: process.platform === 'win32' }, () => {
  let root = '';

  before(() => {
    assertBuilt();
    root = mkdtempSync(path.join(tmpdir(), 'audit-lens-skipped-'));
    chmodSync(root, 0o755);
    const put = (relative: string, content: string | Buffer): void => {
      const target = path.join(root, relative);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, content);
    };
    const good = `${aLine()}\n${aLine({ requestId: 'r2' })}\n`;
    put(`workspaceId=${WS}/date=2024-03-05/auditlogs_good.json`, good);
    put(`workspaceId=${WS}/date=2024-03-05/notes.txt`, 'not a log');
    put(`workspaceId=${WS}/date=2024-03-05/extra/auditlogs_nested.json`, good);
    put(`workspaceId=${WS}/date=2024-03-05/auditlogs_zipped.json`, gzipSync(good));
    put(`workspaceId=${WS}/date=2024-03-05/auditlogs_wide.json`, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(good, 'utf16le')]));
    put(`workspaceId=${WS}/date=2024-02-30/auditlogs_x.json`, good);
    put(`workspaceId=${WS}/date=2024-03-06/auditlogs_locked.json`, good);
    put('workspaceId=abc/date=2024-03-05/auditlogs_y.json', good);
    chmodSync(path.join(root, `workspaceId=${WS}`, 'date=2024-03-06'), 0o000);
  });
  after(() => {
    chmodSync(path.join(root, `workspaceId=${WS}`, 'date=2024-03-06'), 0o755);
    rmSync(root, { recursive: true, force: true });
  });

  function assertNotes(stderr: string): void {
    assert.match(stderr, /^note: skipped: 1 folder is not named workspaceId=<digits> \(.*workspaceId=abc\)$/m);
    assert.match(stderr, /^note: skipped: 1 folder is not named date=<a real yyyy-mm-dd> \(.*date=2024-02-30\)$/m);
    assert.match(stderr, /^note: skipped: 1 folder could not be read \(permission denied\) \(.*date=2024-03-06\)$/m);
    assert.match(stderr, /^note: skipped: 1 file is not named auditlogs_<id>\.json \(.*notes\.txt\)$/m);
    assert.match(stderr, /^note: skipped: 1 folder sits below a date= folder, where only files belong \(.*extra\)$/m);
  }

  it('query loads the good file, says once what it passed over, and names gzip and UTF-16 files once', async () => {
    const run = await runCli(['query', 'SELECT count(*) FROM audit_logs', '--source', root, '--format', 'json'], { ...AS_USER, cwd: tmpdir() });
    assert.doesNotMatch(run.stderr, STACK_FRAME);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual((JSON.parse(run.stdout) as { rows: unknown[][] }).rows, [[2]]);
    assertNotes(run.stderr);
    assert.match(run.stderr, /auditlogs_zipped\.json:1: the file is gzip-compressed/);
    assert.match(run.stderr, /auditlogs_wide\.json:1: the file is UTF-16LE text/);
    assert.doesNotMatch(run.stderr, /not valid UTF-8/);
  });

  it('ls and validate say the same, and validate reports each non-text file once', async () => {
    const ls = await runCli(['ls', '--source', root], { ...AS_USER, cwd: tmpdir() });
    assert.equal(ls.code, 0, ls.stderr);
    assertNotes(ls.stderr);
    const lsJson = await runCli(['ls', '--source', root, '--json'], { ...AS_USER, cwd: tmpdir() });
    const notes = (JSON.parse(lsJson.stdout) as { notes: string[] }).notes;
    assertNotes(notes.map((n) => `note: ${n}`).join('\n'));
    const validate = await runCli(['validate', root], { ...AS_USER, cwd: tmpdir() });
    assert.equal(validate.code, 1, validate.stderr);
    assertNotes(validate.stderr);
    assert.match(validate.stdout, /auditlogs_zipped\.json:1:1: error: the file is gzip-compressed.*\[not-text\]$/m);
    assert.equal(validate.stdout.split('\n').filter((l) => l.includes('auditlogs_wide.json')).length, 1);
    const validateJson = await runCli(['validate', root, '--format', 'json'], { ...AS_USER, cwd: tmpdir() });
    assert.deepEqual((JSON.parse(validateJson.stdout) as { notes: string[] }).notes, notes);
  });
});
