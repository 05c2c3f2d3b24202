import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main';
import { validateCommand } from '../../src/cli/commands/validate';
import { startGcsServer } from '../gcs-server';
import { aLine } from '../support/records';

const root = mkdtempSync(path.join(tmpdir(), 'audit-lens-validate-'));
after(() => rmSync(root, { recursive: true, force: true }));

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const parts: Buffer[] = [];
  stream.on('data', (c: Buffer) => parts.push(c));
  return { stream, text: () => Buffer.concat(parts).toString('utf8') };
}

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = capture();
  const err = capture();
  const code = await main(['validate', ...argv], { stdout: out.stream, stderr: err.stream, stderrIsTty: false }, new AbortController().signal);
  return { code, out: out.text(), err: err.text() };
}

function deliver(bucket: string, workspaceId: string, date: string, lines: string[]): string {
  const folder = path.join(root, bucket, `workspaceId=${workspaceId}`, `date=${date}`);
  mkdirSync(folder, { recursive: true });
  const file = path.join(folder, 'auditlogs_abc.json');
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

const day = '2024-03-05';
const ws = '1234567890123456';

test('a clean folder exits 0 with a summary', async () => {
  deliver('clean', ws, day, [aLine(), aLine({ requestId: 'r2' })]);
  const { code, out } = await run([path.join(root, 'clean')]);
  assert.equal(code, 0);
  assert.equal(out, '1 file, 2 lines read: 2 records, 0 rejected; 0 errors, 0 warnings, 0 information\n');
});

test('errors print like a compiler and exit 1; folder names are expectations', async () => {
  const file = deliver('bad', ws, day, [aLine(), '{"version":', aLine({ workspaceId: '7' })]);
  const { code, out } = await run([path.join(root, 'bad')]);
  assert.equal(code, 1);
  const lines = out.trimEnd().split('\n');
  assert.equal(lines.length, 3);
  assert.match(lines[0]!, new RegExp(`^${escape(file)}:2:11: error: invalid JSON: .* \\[invalid-json\\]$`));
  assert.match(lines[1]!, new RegExp(`^${escape(file)}:3:\\d+: warning: workspaceId 7 differs from the file's folder workspaceId=${ws} \\[workspace-mismatch\\]$`));
  assert.equal(lines[2], '1 file, 3 lines read: 2 records, 1 rejected; 1 error, 1 warning, 0 information');
});

test('a single file inside the layout is checked against its folders too', async () => {
  const file = deliver('single', ws, '2024-03-06', [aLine()]);
  const { code, out } = await run([file]);
  assert.equal(code, 0);
  assert.match(out, /:1:\d+: warning: timestamp \d+ is on 2024-03-05 \(UTC\), not on the file's folder date=2024-03-06 \[date-mismatch\]/);
});

test('--format json prints files, findings and the summary', async () => {
  deliver('json', ws, day, [aLine({ serviceName: 'noSuchService' }), 'nope']);
  const { code, out } = await run([path.join(root, 'json'), '--format', 'json']);
  assert.equal(code, 1);
  const parsed = JSON.parse(out) as {
    files: { file: string; summary: { lines: number; records: number; rejected: number }; findings: { line: number; code: string; severity: string }[] }[];
    summary: { files: number; errors: number; information: number };
  };
  assert.equal(parsed.files.length, 1);
  assert.deepEqual(parsed.files[0]!.findings.map((f) => [f.line, f.severity, f.code]), [
    [1, 'information', 'unknown-service'],
    [2, 'error', 'invalid-json'],
  ]);
  assert.deepEqual({ ...parsed.files[0]!.summary }, { lines: 2, records: 1, rejected: 1, errors: 1, warnings: 0, information: 1 });
  assert.equal(parsed.summary.files, 1);
});

test('--format json keeps every finding of a file with more bad lines than a call has room for arguments', async () => {
  const lines = 250_000;
  const file = path.join(root, 'many-bad-lines.json');
  writeFileSync(file, 'x\n'.repeat(lines));
  const { code, out } = await run([file, '--format', 'json']);
  assert.equal(code, 1);
  assert.doesNotMatch(out, /call stack/);
  const parsed = JSON.parse(out) as { files: { findings: { code: string }[]; summary: { rejected: number } }[] };
  assert.equal(parsed.files[0]!.summary.rejected, lines);
  assert.equal(parsed.files[0]!.findings.length, lines);
  assert.ok(parsed.files[0]!.findings.every((f) => f.code === 'invalid-json'));
});

test('usage problems exit 2', async () => {
  assert.equal((await run([])).code, 2);
  assert.equal((await run([root, '--format', 'xml'])).code, 2);
  assert.equal((await run([root, 'extra'])).code, 2);
});

test('a missing path or an empty folder is an error, exit 1', async () => {
  const missing = await run([path.join(root, 'no-such-thing')]);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /No such file or folder/);
  mkdirSync(path.join(root, 'empty'));
  const empty = await run([path.join(root, 'empty')]);
  assert.equal(empty.code, 1);
  assert.match(empty.err, /No audit-log files/);
});

test('the command module runs on its own with captured streams', async () => {
  const file = deliver('module', ws, day, [aLine({ auditLevel: 'NOPE' })]);
  const out = capture();
  const code = await validateCommand.run({ positionals: [file], options: new Map(), flags: new Set() }, { stdout: out.stream, stderr: out.stream, stderrIsTty: false }, new AbortController().signal);
  assert.equal(code, 1);
  assert.match(out.text(), /error: auditLevel is "NOPE"; it must be WORKSPACE_LEVEL or ACCOUNT_LEVEL \[bad-audit-level\]/);
});

test('a gs:// bucket is walked through its delivery folders', async () => {
  const server = await startGcsServer({ maxPageSize: 2 });
  try {
    server.createBucket('logs');
    const prefix = 'audit/workspaceId=42';
    server.put('logs', `${prefix}/date=${day}/auditlogs_a.json`, Buffer.from(`${aLine({ workspaceId: '42' })}\n${aLine({ workspaceId: '43' })}\n`));
    server.put('logs', `${prefix}/date=2024-03-06/auditlogs_b.json`, Buffer.from('not json\n'));
    const { code, out } = await run(['gs://logs/audit', '--gcs-endpoint', server.endpoint]);
    assert.equal(code, 1);
    const lines = out.trimEnd().split('\n');
    assert.deepEqual(lines.slice(0, -1).map((l) => l.replace(/: .*\[/, ' [')), [
      `gs://logs/${prefix}/date=${day}/auditlogs_a.json:2:${aLine({ workspaceId: '43' }).indexOf('"43"') + 1} [workspace-mismatch]`,
      `gs://logs/${prefix}/date=2024-03-06/auditlogs_b.json:1:1 [invalid-json]`,
    ]);
    assert.equal(lines.at(-1), '2 files, 3 lines read: 2 records, 1 rejected; 1 error, 1 warning, 0 information');
  } finally {
    await server.stop();
  }
});

test('the bundled CLI validates the hostile corpus', async () => {
  const cli = path.resolve('dist/cli.js');
  assert.ok(existsSync(cli), 'dist/cli.js is missing: run `npm run build` first');
  const file = path.join('test', 'fixtures', 'hostile', 'duplicate-keys.jsonl');
  const result = await new Promise<{ code: number; out: string }>((resolve) => {
    execFile(process.execPath, [cli, 'validate', file], (error, stdout) => resolve({ code: error ? Number(error.code) : 0, out: stdout }));
  });
  assert.equal(result.code, 0);
  assert.match(result.out, /^test\/fixtures\/hostile\/duplicate-keys\.jsonl:1:\d+: warning: duplicate key serviceName: JSON readers keep only its last value \[duplicate-key\]$/m);
  assert.match(result.out, /2 records, 0 rejected; 0 errors, 2 warnings, 0 information\n$/);
});

function escape(text: string): string {
  const relative = path.relative(process.cwd(), text);
  const shown = relative.startsWith('..') ? text : relative;
  return shown.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
