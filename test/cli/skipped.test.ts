/**
 * What a listing passes over is said once, as information, and the rest still loads: folders
 * outside the layout, files not named auditlogs_*.json, nested folders, a folder the process may
 * not read; a gzip or UTF-16 file is named for what it is, once, not line by line.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { aLine } from '../support/records';
import { assertBuilt, runCli, STACK_FRAME, type CliRun } from '../support/cli';

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

describe('links to nothing, pipes and devices named like audit files', { skip: process.platform === 'win32' }, () => {
  let root = '';
  let day = '';

  before(() => {
    assertBuilt();
    root = mkdtempSync(path.join(tmpdir(), 'audit-lens-special-'));
    day = path.join(root, `workspaceId=${WS}`, 'date=2024-03-05');
    mkdirSync(day, { recursive: true });
    writeFileSync(path.join(day, 'auditlogs_one.json'), `${aLine()}\n`);
    writeFileSync(path.join(day, 'auditlogs_two.json'), `${aLine({ requestId: 'r2' })}\n`);
    symlinkSync('gone.json', path.join(day, 'auditlogs_broken.json'));
    symlinkSync('auditlogs_loop2.json', path.join(day, 'auditlogs_loop1.json'));
    symlinkSync('auditlogs_loop1.json', path.join(day, 'auditlogs_loop2.json'));
    execFileSync('mkfifo', [path.join(day, 'auditlogs_pipe.json')]);
    symlinkSync('/dev/zero', path.join(day, 'auditlogs_zero.json'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  /** Runs the CLI, killing it after `ms`: a read that waits on a pipe or a device must fail the test, not hang it. */
  async function runBounded(args: readonly string[], ms = 15_000): Promise<CliRun> {
    let timer: NodeJS.Timeout | undefined;
    const run = await runCli(args, { cwd: tmpdir(), onSpawn: (child) => (timer = setTimeout(() => child.kill('SIGKILL'), ms)) });
    clearTimeout(timer);
    assert.equal(run.signal, null, `audit-lens ${args[0]} did not end within ${ms / 1000} s`);
    assert.doesNotMatch(run.stderr, STACK_FRAME);
    return run;
  }

  const LINKS = /^(note: )?skipped: 3 symbolic links lead to no file \(a missing target or a loop of links\) \(.*auditlogs_broken\.json, .*auditlogs_loop1\.json, .*auditlogs_loop2\.json\)$/m;
  const SPECIAL = /^(note: )?skipped: 2 entries are not a regular file \(a pipe, device or socket, never opened\) \(.*auditlogs_pipe\.json, .*auditlogs_zero\.json\)$/m;
  function assertNotedOnce(text: string): void {
    assert.match(text, LINKS);
    assert.match(text, SPECIAL);
    for (const name of ['broken', 'loop1', 'loop2', 'pipe', 'zero']) assert.equal(text.split(`auditlogs_${name}.json`).length - 1, 1, `auditlogs_${name}.json noted once`);
  }

  it('query loads the two real files and notes the five others once', async () => {
    const run = await runBounded(['query', 'SELECT count(*) FROM audit_logs', '--source', root, '--format', 'json']);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual((JSON.parse(run.stdout) as { rows: unknown[][] }).rows, [[2]]);
    assertNotedOnce(run.stderr);
  });

  it('ls and ls --json list the two real files and carry the same notes', async () => {
    const ls = await runBounded(['ls', '--source', root]);
    assert.equal(ls.code, 0, ls.stderr);
    assertNotedOnce(ls.stderr);
    const json = await runBounded(['ls', '--source', root, '--json']);
    assert.equal(json.code, 0, json.stderr);
    const listing = JSON.parse(json.stdout) as { sources: { workspaces: { dates: { files: { path: string }[] }[] }[] }[]; notes: string[] };
    const paths = listing.sources[0]!.workspaces[0]!.dates[0]!.files.map((f) => path.basename(f.path));
    assert.deepEqual(paths, ['auditlogs_one.json', 'auditlogs_two.json']);
    assertNotedOnce(listing.notes.join('\n'));
  });

  it('validate checks the two real files and notes the five others once', async () => {
    const run = await runBounded(['validate', root]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^2 files, 2 lines read/m);
    assertNotedOnce(run.stderr);
  });

  it('validate or query of one such entry says what it is, without opening it', async () => {
    const pipe = await runBounded(['validate', path.join(day, 'auditlogs_pipe.json')]);
    assert.equal(pipe.code, 1);
    assert.match(pipe.stderr, /auditlogs_pipe\.json is not a regular file \(a pipe, device or socket\): it was not opened/);
    const zero = await runBounded(['validate', path.join(day, 'auditlogs_zero.json')]);
    assert.equal(zero.code, 1);
    assert.match(zero.stderr, /auditlogs_zero\.json is not a regular file/);
    const loop = await runBounded(['validate', path.join(day, 'auditlogs_loop1.json')]);
    assert.equal(loop.code, 1);
    assert.match(loop.stderr, /auditlogs_loop1\.json is a symbolic link that leads to no file/);
    const query = await runBounded(['query', 'SELECT count(*) FROM audit_logs', '--source', path.join(day, 'auditlogs_pipe.json')]);
    assert.match(query.stderr, /skipped: 1 entry is not a regular file/);
  });
});
