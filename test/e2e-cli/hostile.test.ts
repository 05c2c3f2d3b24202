/**
 * Hostile trees through the CLI: every case ends with a clear message on stderr, the contract's
 * exit code, no stack trace, and every good line loaded.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { assertBuilt, runCli, STACK_FRAME, type CliRun } from '../support/cli';

const PARTITION = 'workspaceId=5/date=2024-03-01';
let root = '';

function goodLine(n: number): string {
  return JSON.stringify({ version: '2.0', timestamp: 1709251200000 + n, serviceName: 'accounts', actionName: 'login', requestId: `r${n}`, userIdentity: { email: `u${n}@example.com` } });
}

/** Writes `<root>/<name>/<relative>` files; a Buffer is written as is, lines joined with \n. */
function tree(name: string, files: Record<string, Buffer | string[]>): string {
  const base = path.join(root, name);
  for (const [relative, content] of Object.entries(files)) {
    const target = path.join(base, ...relative.split('/'));
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, Buffer.isBuffer(content) ? content : content.join('\n') + '\n');
  }
  return base;
}

async function count(source: string): Promise<CliRun & { n?: number }> {
  const run = await runCli(['query', 'SELECT count(*) FROM audit_logs', '--source', source, '--format', 'json']);
  assert.doesNotMatch(run.stderr, STACK_FRAME, run.stderr);
  const n = run.code === 0 ? ((JSON.parse(run.stdout) as { rows: number[][] }).rows[0]![0] as number) : undefined;
  return { ...run, n };
}

before(() => {
  assertBuilt();
  root = mkdtempSync(path.join(tmpdir(), 'audit-lens-hostile-'));
});
after(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

test('bad lines are skipped with their line number and every good line loads', async () => {
  const deep = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
  const cases: [string, Buffer, number, RegExp][] = [
    ['nul', Buffer.from(`${goodLine(1)}\n\u0000\u0000\u0000\n${goodLine(2)}\n`), 2, /:2: invalid JSON/],
    ['deep', Buffer.from(`${goodLine(1)}\n${deep}\n${'['.repeat(10_000)}${']'.repeat(10_000)}\n${goodLine(2)}\n`), 3, /:3: line is an array/],
    ['utf8', Buffer.concat([Buffer.from(`${goodLine(1)}\n{"serviceName":"`), Buffer.from([0xff, 0xfe]), Buffer.from(`"}\n${goodLine(2)}\n`)]), 2, /:2: line is not valid UTF-8/],
    ['garbage', Buffer.concat([Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 7919) % 256)), Buffer.from(`\n${goodLine(1)}\n`)]), 1, /not valid UTF-8|invalid JSON/],
    ['crlf-tail', Buffer.from(`${goodLine(1)}  \r\n\r\n${goodLine(2)}\t\r\n${goodLine(3)}`), 3, /^$/],
  ];
  for (const [name, bytes, good, problem] of cases) {
    const run = await count(tree(name, { [`${PARTITION}/auditlogs_1.json`]: bytes }));
    assert.equal(run.code, 0, `${name}: ${run.stderr}`);
    assert.equal(run.n, good, name);
    assert.match(run.stderr, problem, name);
  }
});

test('a 20 MB line loads whole', async () => {
  const big = JSON.stringify({ serviceName: 'accounts', actionName: 'login', requestParams: { x: 'a'.repeat(20 * 1024 * 1024) } });
  const source = tree('big', { [`${PARTITION}/auditlogs_1.json`]: [goodLine(1), big, goodLine(2)] });
  const run = await runCli(['query', 'SELECT length(requestParams.x) FROM audit_logs WHERE requestParams.x IS NOT NULL', '--source', source, '--format', 'json']);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual((JSON.parse(run.stdout) as { rows: unknown[] }).rows, [[20 * 1024 * 1024]]);
});

test('folders named like files, symlink loops and JSON that is not an audit log are passed over', async () => {
  const source = tree('odd-entries', {
    [`${PARTITION}/auditlogs_1.json`]: [goodLine(1)],
    [`${PARTITION}/auditlogs_dir.json/auditlogs_inner.json`]: [goodLine(2)],
    [`${PARTITION}/manifest.json`]: ['{"a":1}'],
    'package.json': ['[1,2]'],
    '_delta_log/00000.json': ['{"add":{}}'],
  });
  symlinkSync('..', path.join(source, PARTITION, 'loop'));
  symlinkSync(path.join(source, 'workspaceId=5'), path.join(source, 'workspaceId=5', 'date=2024-03-02'));
  symlinkSync('self', path.join(source, 'self'));
  const run = await count(source);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.n, 1);
});

test('paths with spaces and unicode work', async () => {
  const source = tree('with space/ünï 😀 שלום', { [`${PARTITION}/auditlogs_1.json`]: [goodLine(1), goodLine(2)] });
  assert.equal((await count(source)).n, 2);
});

test('a source inside the layout reads that workspace, date or file; one above it names the right folder', async () => {
  const source = tree('scoped', {
    [`${PARTITION}/auditlogs_1.json`]: [goodLine(1), goodLine(2)],
    [`${PARTITION}/auditlogs_2.json`]: [goodLine(3)],
    'workspaceId=5/date=2024-03-02/auditlogs_3.json': [goodLine(4)],
    'workspaceId=6/date=2024-03-01/auditlogs_4.json': [goodLine(5)],
  });
  assert.equal((await count(source)).n, 5);
  assert.equal((await count(path.join(source, 'workspaceId=5'))).n, 4);
  assert.equal((await count(path.join(source, PARTITION))).n, 3);
  assert.equal((await count(path.join(source, PARTITION, 'auditlogs_1.json'))).n, 2);
  const scopedColumns = await runCli(['query', 'SELECT DISTINCT workspaceId, date FROM audit_logs', '--source', path.join(source, PARTITION), '--format', 'json']);
  assert.deepEqual((JSON.parse(scopedColumns.stdout) as { rows: unknown[] }).rows, [['5', '2024-03-01']]);

  const above = path.join(root, 'above');
  mkdirSync(path.join(above, 'logs'), { recursive: true });
  symlinkSync(source, path.join(above, 'logs', 'audit'));
  const run = await count(above);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /holds no workspaceId=… folders, but .*logs[/\\]audit does: point the source at that folder/);
});

test('a missing source, a missing partition and a file outside the layout exit 1 with a clear message', async () => {
  const source = tree('plain', { [`${PARTITION}/auditlogs_1.json`]: [goodLine(1)], 'loose.json': [goodLine(2)] });
  const cases: [string, RegExp][] = [
    [path.join(root, 'does-not-exist'), /^audit-lens: Folder not found: /],
    [path.join(source, 'workspaceId=5/date=2024-03-09'), /^audit-lens: Not found: /],
    [path.join(source, 'loose.json'), /^audit-lens: Not a folder: .*a folder or file inside that layout/],
  ];
  for (const [target, message] of cases) {
    const run = await count(target);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, message);
    assert.equal(run.stdout, '');
  }
});

test('an unreadable file is named in the message, never a crash', { skip: process.platform === 'win32' }, async () => {
  const source = tree('unreadable', { [`${PARTITION}/auditlogs_1.json`]: [goodLine(1)], [`${PARTITION}/auditlogs_2.json`]: [goodLine(2)] });
  const locked = path.join(source, PARTITION, 'auditlogs_2.json');
  chmodSync(locked, 0o000);
  chmodSync(root, 0o755);
  // root reads anything: run the CLI as an unprivileged user then.
  const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  const run = await runCli(['query', 'SELECT count(*) FROM audit_logs', '--source', source, '--format', 'json'], { ...asUser, cwd: tmpdir() });
  assert.doesNotMatch(run.stderr, STACK_FRAME, run.stderr);
  assert.match(run.stderr, /Permission denied reading .*auditlogs_2\.json/);
  if (run.code === 0) assert.deepEqual((JSON.parse(run.stdout) as { rows: unknown[] }).rows, [[1]]);
  else assert.equal(run.code, 1);
});

test('validate reports hostile lines like a compiler and exits 1, without a stack trace', async () => {
  const source = tree('validate', { [`${PARTITION}/auditlogs_1.json`]: Buffer.from(`${goodLine(1)}\n\u0000\n{"a":\n`) });
  const run = await runCli(['validate', source]);
  assert.equal(run.code, 1);
  assert.doesNotMatch(run.stdout + run.stderr, STACK_FRAME);
  assert.match(run.stdout, /auditlogs_1\.json:2:1: error: /);
  assert.match(run.stdout, /auditlogs_1\.json:3:\d+: error: /);
});
