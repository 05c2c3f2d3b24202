/** The built `dist/cli.js` run as a child process: exit codes, output contracts, usage errors. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { generateRecords, generateTree, type GenerateOptions } from '../support/generate';
import { assertBuilt, runCli, type CliRun } from '../support/cli';

const root = path.resolve(__dirname, '../..');
const BIG_ID = '1234567890123456789';
const options: GenerateOptions = { seed: 'cli-test', workspaces: [BIG_ID, '2234567890123456'], days: 2, startDate: '2024-03-01', recordsPerDay: 120 };

let tree: string;
let broken: string;

function run(args: string[], onSpawn?: (child: ChildProcess) => void): Promise<CliRun> {
  return runCli(args, { onSpawn });
}

before(async () => {
  assertBuilt();
  tree = await mkdtemp(path.join(tmpdir(), 'audit-lens-cli-'));
  await generateTree(tree, options);
  broken = await mkdtemp(path.join(tmpdir(), 'audit-lens-cli-broken-'));
  const dir = path.join(broken, 'workspaceId=42', 'date=2024-03-01');
  await mkdir(dir, { recursive: true });
  const good = (n: number) => JSON.stringify({ version: '2.0', timestamp: 1709251200000 + n, serviceName: 'accounts', actionName: 'login', userIdentity: { email: `u${n}@example.com` }, requestParams: { user: `u${n}@example.com` }, response: { statusCode: 200, errorMessage: null, result: null } });
  await writeFile(path.join(dir, 'auditlogs_a.json'), [good(1), '{"version":"2.0", truncated', good(2), 'not json at all', good(3)].join('\n') + '\n');
});

after(async () => {
  await Promise.all([tree, broken].filter(Boolean).map((d) => rm(d, { recursive: true, force: true })));
});

test('--version prints the package version; --help lists the commands', async () => {
  const version = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
  assert.deepEqual(await run(['--version']), { code: 0, signal: null, stdout: `${version}\n`, stderr: '' });
  const help = await run(['--help']);
  assert.equal(help.code, 0);
  for (const name of ['query', 'analyze', 'ls']) assert.match(help.stdout, new RegExp(`\\n  ${name} `));
  const queryHelp = await run(['query', '--help']);
  assert.equal(queryHelp.code, 0);
  assert.match(queryHelp.stdout, /usage: audit-lens query "<SQL>" --source/);
  assert.match(queryHelp.stdout, /--gcs-endpoint URL/);
});

test('usage errors exit 2 with a short hint on stderr and nothing on stdout', async () => {
  const cases: [string[], RegExp][] = [
    [[], /./],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['query', 'SELECT 1', '--source', tree, '--nope'], /Unknown option '--nope'/],
    [['query', 'SELECT 1', '--source'], /'--source' needs a value/],
    [['query', 'SELECT 1'], /Missing --source/],
    [['query', '--source', tree], /Missing the SQL/],
    [['query', 'SELECT 1', '--source', tree, '--from', '2024-02-30'], /--from '2024-02-30' is not a date/],
    [['query', 'SELECT 1', '--source', tree, '--from', '2024-03-02', '--to', '2024-03-01'], /after --to/],
    [['query', 'SELECT 1', '--source', tree, '--format', 'xml'], /--format 'xml'/],
    [['query', 'SELECT 1', '--source', tree, '--max-rows', '0'], /--max-rows '0'/],
    [['ls', '--source', tree, '--workspace', 'abc'], /workspace 'abc' is not a workspace id/i],
  ];
  for (const [args, message] of cases) {
    const r = await run(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, message, args.join(' '));
    if (args.length > 0) {
      assert.match(r.stderr, /--help/, args.join(' '));
      assert.equal(r.stdout, '', args.join(' '));
    }
  }
});

test('query --format json prints exactly one object with JSON values and exact workspace ids', async () => {
  const r = await run(['query', 'SELECT workspaceId, userIdentity, requestParams, response, timestamp FROM audit_logs WHERE serviceName = "clusters" AND actionName = "create" ORDER BY timestamp', '--source', tree, '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trimEnd().split('\n').length, 1);
  const doc = JSON.parse(r.stdout) as { columns: string[]; rows: unknown[][]; rowCount: number };
  assert.deepEqual(Object.keys(doc), ['columns', 'rows', 'rowCount']);
  assert.deepEqual(doc.columns, ['workspaceId', 'userIdentity', 'requestParams', 'response', 'timestamp']);
  const expected = [...generateRecords(options)].filter((g) => g.record.serviceName === 'clusters' && g.record.actionName === 'create').sort((a, b) => a.record.timestamp - b.record.timestamp);
  assert.equal(doc.rowCount, expected.length);
  assert.equal(doc.rows.length, expected.length);
  doc.rows.forEach((row, i) => {
    const g = expected[i]!;
    assert.equal(row[0], g.workspaceId);
    assert.deepEqual(row[1], g.record.userIdentity);
    assert.deepEqual(row[2], g.record.requestParams);
    assert.deepEqual(row[3], g.record.response);
    assert.equal(row[4], g.record.timestamp);
  });
  assert.ok(doc.rows.some((row) => row[0] === BIG_ID), 'the 19-digit workspace id survives exactly');
});

test('query --format csv prints a header and one line per row', async () => {
  const r = await run(['query', 'SELECT workspaceId, COUNT(*) AS n FROM audit_logs GROUP BY workspaceId ORDER BY workspaceId', '--source', tree, '--format', 'csv']);
  assert.equal(r.code, 0, r.stderr);
  const counts = new Map<string, number>();
  for (const g of generateRecords(options)) counts.set(g.workspaceId, (counts.get(g.workspaceId) ?? 0) + 1);
  const expected = ['workspaceId,n', ...[...counts.keys()].sort().map((id) => `${id},${counts.get(id)}`)];
  assert.deepEqual(r.stdout.trimEnd().split('\n'), expected);
});

test('query table output: NULL, footer, first rows only with --max-rows', async () => {
  const r = await run(['query', 'SELECT userIdentity.email, actionName FROM audit_logs WHERE userIdentity.email IS NULL', '--source', tree, '--max-rows', '2']);
  assert.equal(r.code, 0, r.stderr);
  const total = [...generateRecords(options)].filter((g) => g.record.userIdentity.email === null).length;
  assert.ok(total > 2);
  const lines = r.stdout.trimEnd().split('\n');
  assert.match(lines[0]!, /^email +actionName$/);
  assert.match(lines[2]!, /^NULL +\w+$/);
  assert.equal(lines.at(-1), `${total} rows (showing first 2)`);
});

test('filters select partitions', async () => {
  const r = await run(['query', 'SELECT DISTINCT workspaceId, date FROM audit_logs ORDER BY 1, 2', '--source', tree, '--workspace', BIG_ID, '--from', '2024-03-02', '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual((JSON.parse(r.stdout) as { rows: unknown[][] }).rows, [[BIG_ID, '2024-03-02']]);
});

test('a SQL error exits 1 and points at the position in the SQL', async () => {
  const r = await run(['query', 'SELECT nosuchcolumn FROM audit_logs', '--source', tree]);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /line 1, column 8/);
  assert.match(r.stderr, /\n {7}\^/);
});

test('a missing source folder exits 1 with a clear message', async () => {
  const r = await run(['ls', '--source', path.join(tree, 'does-not-exist')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /Folder not found/);
});

test('bad lines are summarised on stderr and the rest still loads', async () => {
  const r = await run(['query', 'SELECT COUNT(*) AS n FROM audit_logs', '--source', broken, '--format', 'csv']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'n\n3\n');
  assert.match(r.stderr, /2 problems while loading/);
  assert.match(r.stderr, /auditlogs_a\.json:2: /);
  assert.match(r.stderr, /auditlogs_a\.json:4: /);
});

test('ls lists workspaces and dates with files and sizes; --json has the same data', async () => {
  const table = await run(['ls', '--source', tree]);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /^0 \(account\) +2024-03-01 +\d+ +[\d.]+ (B|KiB)$/m);
  assert.match(table.stdout, new RegExp(`^${BIG_ID} +2024-03-02 +\\d+ +[\\d.]+ KiB$`, 'm'));
  assert.match(table.stdout, /3 workspaces, \d+ files?, /);
  const json = await run(['ls', '--source', tree, '--json', '--workspace', BIG_ID]);
  assert.equal(json.code, 0);
  const doc = JSON.parse(json.stdout) as { sources: { workspaces: { workspaceId: string; dates: { date: string; files: { size: number }[]; bytes: number }[] }[] }[] };
  const ws = doc.sources[0]!.workspaces;
  assert.deepEqual(ws.map((w) => w.workspaceId), [BIG_ID]);
  assert.deepEqual(ws[0]!.dates.map((d) => d.date), ['2024-03-01', '2024-03-02']);
  for (const d of ws[0]!.dates) assert.equal(d.bytes, d.files.reduce((s, f) => s + f.size, 0));
});

test('analyze prints the three example analyses with titles, questions and tables', async () => {
  const r = await run(['analyze', '--source', tree, '--max-rows', '3']);
  assert.equal(r.code, 0, r.stderr);
  const sections = r.stdout.split(/^== /m).filter(Boolean);
  assert.equal(sections.length, 3);
  assert.match(sections[0]!, /^Who accessed Databricks, and from where ==\nWhich users logged in/);
  assert.match(sections[1]!, /GROUP BY requestParams\.spark_version\n\nspark_version +count\(1\)\n/);
  for (const s of sections) assert.match(s, /\n\d+ rows?( \(showing first \d+\))?\n/);
});

test('Ctrl+C cancels a running query cleanly', async () => {
  const r = await run(['query', 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT COUNT(*) FROM c', '--source', tree], (child) => {
    setTimeout(() => child.kill('SIGINT'), 1500);
  });
  assert.equal(r.code, 130);
  assert.match(r.stderr, /cancelled/);
  assert.equal(r.stdout, '');
});

test('query takes SQL that opens with a -- comment, and prints Spark arrays as JSON arrays and timestamps as Spark does', async () => {
  const sql = "-- services seen per workspace\nSELECT workspaceId, sort_array(collect_set(serviceName)) AS services, timestamp_millis(min(timestamp)) AS first_seen FROM audit_logs GROUP BY workspaceId ORDER BY 1";
  const r = await run(['query', '--source', tree, '--format', 'json', '--', sql]);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as { columns: string[]; rows: unknown[][] };
  assert.deepEqual(doc.columns, ['workspaceId', 'services', 'first_seen']);
  for (const [workspace, services, firstSeen] of doc.rows) {
    const records = [...generateRecords(options)].filter((g) => g.workspaceId === workspace);
    assert.deepEqual(services, [...new Set(records.map((g) => g.record.serviceName))].sort());
    const first = Math.min(...records.map((g) => g.record.timestamp));
    assert.equal(firstSeen, new Date(first).toISOString().replace('T', ' ').replace(/\.?0*Z$/, ''));
  }
  const direct = await run(['query', sql, '--source', tree, '--format', 'json']);
  assert.equal(direct.code, 0, direct.stderr);
  assert.equal(direct.stdout, r.stdout);
});
