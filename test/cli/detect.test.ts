/** `audit-lens detect` as a user runs it: the three formats, --only, --fail-on and its exit codes. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { detections } from '../../src/core/analyses';
import { assertBuilt, runCli, STACK_FRAME } from '../support/cli';
import { aRecord, writeDeliveryTree, type DeliveryTree } from '../support/deliveryTree';
import { generateTree, plantedActor, type GenerateOptions } from '../support/generate';

interface FindingsJson {
  detections: { id: string; title: string; severity: string; pack: string; rowCount: number; columns: string[]; rows: unknown[][] }[];
  summary: Record<'high' | 'medium' | 'low' | 'info', number>;
  records: number;
  files: number;
  filesFromCache: number;
}

const base: GenerateOptions = { seed: 'detect-cli', workspaces: 1, days: 1, startDate: '2024-03-01', background: false };
/** Medium and info findings only. */
let quietHigh: string;
/** A high finding too. */
let withHigh: string;
let hostile: DeliveryTree;

before(async () => {
  assertBuilt();
  quietHigh = await mkdtemp(path.join(tmpdir(), 'audit-lens-detect-'));
  await generateTree(quietHigh, { ...base, plant: [{ detection: 'mounts', fires: true }, { detection: 'token-created', fires: true }] });
  withHigh = await mkdtemp(path.join(tmpdir(), 'audit-lens-detect-high-'));
  await generateTree(withHigh, { ...base, plant: [{ detection: 'mounts', fires: true }, { detection: 'admin-removals', fires: true }] });
  hostile = writeDeliveryTree([
    {
      workspaceId: '42',
      date: '2024-03-01',
      lines: [aRecord({ serviceName: 'dbfs', actionName: 'mount', userIdentity: { email: 'evil\u001b[2J\u009b31m@example.com' }, requestParams: { mountPoint: '/mnt/x | y\r\n# heading', owner: '<b>o</b>' } })],
    },
  ]);
});

after(async () => {
  await Promise.all([quietHigh, withHigh].filter(Boolean).map((d) => rm(d, { recursive: true, force: true })));
  hostile?.remove();
});

test('json lists every detection run, with rowCount 0 where nothing was found, the summary and the records read', async () => {
  const run = await runCli(['detect', '--source', quietHigh, '--format', 'json']);
  assert.equal(run.code, 0, run.stderr);
  const out = JSON.parse(run.stdout) as FindingsJson;
  assert.deepEqual(out.detections.map((d) => d.id), detections.map((d) => d.id));
  const byId = new Map(out.detections.map((d) => [d.id, d]));
  assert.equal(byId.get('mounts')!.rowCount, 1);
  assert.equal(byId.get('mounts')!.severity, 'medium');
  assert.equal(byId.get('mounts')!.title, 'DBFS mount points created');
  const mount = byId.get('mounts')!;
  assert.equal(mount.rows[0]![mount.columns.indexOf('email')], plantedActor('mounts', true));
  assert.equal(byId.get('token-created')!.rowCount, 1);
  assert.equal(byId.get('failed-logins')!.rowCount, 0);
  assert.deepEqual(byId.get('failed-logins')!.rows, []);
  assert.deepEqual(out.summary, { high: 0, medium: 1, low: 0, info: 1 });
  assert.equal(out.records, 2);
  assert.deepEqual(Object.keys(out), ['detections', 'summary', 'records', 'files', 'filesFromCache']);
  assert.equal(out.files, 1);
});

test('a second run takes unchanged files from the record cache and reads only a file rewritten with lines added', async () => {
  const tree = writeDeliveryTree([
    { workspaceId: '7', date: '2024-03-01', lines: [aRecord({ serviceName: 'dbfs', actionName: 'mount', requestId: 'm1', userIdentity: { email: 'first@example.com' } })] },
    { workspaceId: '7', date: '2024-03-02', lines: [aRecord({ serviceName: 'dbfs', actionName: 'mount', requestId: 'm2', userIdentity: { email: 'second@example.com' } })] },
  ]);
  try {
    const detect = async (...extra: string[]) => {
      const run = await runCli(['detect', '--source', tree.root, '--format', 'json', '--fail-on', 'none', '--only', 'mounts', ...extra]);
      assert.equal(run.code, 0, run.stderr);
      return JSON.parse(run.stdout) as FindingsJson;
    };
    const first = await detect();
    assert.deepEqual([first.files, first.filesFromCache, first.detections[0]!.rowCount], [2, 0, 2]);
    const second = await detect();
    assert.deepEqual([second.files, second.filesFromCache], [2, 2]);
    assert.deepEqual(second.detections, first.detections);

    appendFileSync(tree.files[1]!, `${JSON.stringify(aRecord({ serviceName: 'dbfs', actionName: 'mount', requestId: 'm3', userIdentity: { email: 'third@example.com' } }))}\n`);
    const third = await detect();
    assert.deepEqual([third.files, third.filesFromCache, third.detections[0]!.rowCount], [2, 1, 3]);
    assert.ok(JSON.stringify(third.detections[0]!.rows).includes('third@example.com'));

    assert.equal((await detect('--no-cache')).filesFromCache, 0);
    assert.equal((await detect('--clear-cache')).filesFromCache, 0);
    assert.equal((await detect()).filesFromCache, 2);
  } finally {
    tree.remove();
  }
});

test('--fail-on decides exit 3: default high, or any severity at or above the one given, never with none', async () => {
  const code = async (tree: string, ...extra: string[]) => (await runCli(['detect', '--source', tree, '--format', 'json', ...extra])).code;
  assert.equal(await code(quietHigh), 0);
  assert.equal(await code(withHigh), 3);
  assert.equal(await code(quietHigh, '--fail-on', 'medium'), 3);
  assert.equal(await code(quietHigh, '--fail-on', 'info'), 3);
  assert.equal(await code(withHigh, '--fail-on', 'none'), 0);
  assert.equal(await code(withHigh, '--only', 'mounts'), 0, 'the high detection did not run');
  assert.equal(await code(withHigh, '--only', 'mounts,admin-removals'), 3);
});

test('--only runs just those detections, in library order', async () => {
  const run = await runCli(['detect', '--source', withHigh, '--format', 'json', '--only', 'mounts', '--only', 'admin-removals,ssh-logins']);
  const out = JSON.parse(run.stdout) as FindingsJson;
  assert.deepEqual(out.detections.map((d) => d.id), ['admin-removals', 'mounts', 'ssh-logins']);
  assert.deepEqual(out.summary, { high: 1, medium: 1, low: 0, info: 0 });
});

test('table: one section per detection with findings, most severe first, then a line per severity', async () => {
  const run = await runCli(['detect', '--source', withHigh]);
  assert.equal(run.code, 3, run.stderr);
  const high = run.stdout.indexOf('== HIGH · Admin rights removed (admin-removals) · 1 finding ==');
  const medium = run.stdout.indexOf('== MEDIUM · DBFS mount points created (mounts) · 1 finding ==');
  assert.ok(high >= 0 && medium > high, run.stdout);
  assert.ok(!run.stdout.includes('(failed-logins)'), 'detections without findings get no section');
  assert.match(run.stdout, /^high {4}1 finding from 1 of \d+ detections$/m);
  assert.match(run.stdout, /^medium {2}1 finding from 1 of \d+ detections$/m);
  assert.match(run.stdout, /^info {4}0 findings from 0 of \d+ detections$/m);
});

test('markdown: scope, per-severity counts, and a table per detection with each row\u2019s _file:_line', async () => {
  // Neither workspace is in the tree: the scope is empty, which --allow-empty accepts with a warning.
  const run = await runCli(['detect', '--source', withHigh, '--from', '2024-03-01', '--workspace', '0', '--workspace', '1', '--format', 'markdown', '--fail-on', 'none', '--allow-empty']);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /^warning: no audit logs in the scope/m);
  const md = run.stdout;
  assert.match(md, /^# Audit Lens findings$/m);
  assert.ok(md.includes(`- **Sources:** \`${withHigh}\``), md);
  assert.match(md, /^- \*\*Dates:\*\* 2024-03-01 to the last date$/m);
  assert.match(md, /^- \*\*Workspaces:\*\* account level \(0\), 1$/m);
  assert.match(md, /^\| high \| 0 \|$/m, 'workspace 1 is not the planted one');
  const all = await runCli(['detect', '--source', withHigh, '--format', 'markdown', '--fail-on', 'none']);
  assert.match(all.stdout, /^\| high \| 1 \|$/m);
  assert.match(all.stdout, /^## HIGH: Admin rights removed \(`admin-removals`\)$/m);
  const row = all.stdout.split('\n').find((l) => l.includes(plantedActor('admin-removals', true)))!;
  assert.match(row, /auditlogs\\_[^|]+\.json:\d+ \|$/, row);
});

test('log text reaches neither the terminal nor the report as control characters or markup', async () => {
  for (const format of ['table', 'markdown']) {
    const run = await runCli(['detect', '--source', hostile.root, '--only', 'mounts', '--format', format]);
    assert.equal(run.code, 0, run.stderr);
    assert.ok(!/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/.test(run.stdout), `${format} passed a control character: ${JSON.stringify(run.stdout)}`);
    assert.ok(run.stdout.includes('\\u{1b}'), format);
    assert.ok(run.stdout.includes('\\u{9b}'), format);
  }
  const md = (await runCli(['detect', '--source', hostile.root, '--only', 'mounts', '--format', 'markdown'])).stdout;
  assert.ok(md.includes('\\<b\\>o\\</b\\>'), md);
  assert.ok(md.includes('/mnt/x \\| y'), md);
});

test('usage errors exit 2, a missing source exits 1, and --help documents the exit codes', async () => {
  const usage: [string[], RegExp][] = [
    [['detect', '--source', quietHigh, '--format', 'csv'], /--format 'csv' is not one of table, json, markdown/],
    [['detect', '--source', quietHigh, '--fail-on', 'critical'], /--fail-on 'critical' is not one of high, medium, low, info, none/],
    [['detect', '--source', quietHigh, '--only', 'nope,mounts'], /Unknown detection 'nope'/],
    [['detect', '--source', quietHigh, '--only', ','], /--only needs detection ids/],
    [['detect', '--source', quietHigh, '--max-rows', '0'], /--max-rows '0'/],
    [['detect'], /Missing --source/],
  ];
  for (const [args, message] of usage) {
    const run = await runCli(args);
    assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
    assert.match(run.stderr, message);
    assert.equal(run.stdout, '');
  }
  const missing = await runCli(['detect', '--source', path.join(quietHigh, 'nope')]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /not found/i);
  assert.doesNotMatch(missing.stderr, STACK_FRAME);
  const help = await runCli(['detect', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^ {2}3 {2}a detection at or above --fail-on found rows$/m);
  for (const d of detections) assert.ok(help.stdout.includes(`  ${d.id} `), d.id);
});

test('--max-rows caps the rows printed per detection, not the counts', async () => {
  const tree = await mkdtemp(path.join(tmpdir(), 'audit-lens-detect-rows-'));
  try {
    await generateTree(tree, { seed: 'detect-rows', workspaces: 2, days: 2, startDate: '2024-03-01', recordsPerDay: 150 });
    const run = await runCli(['detect', '--source', tree, '--format', 'json', '--max-rows', '1', '--only', 'secret-reads,acl-changes']);
    assert.match(run.stderr, /^warning: printed the first 1 rows of acl-changes, secret-reads; raise --max-rows to get more$/m);
    const out = JSON.parse(run.stdout) as FindingsJson;
    for (const d of out.detections) {
      assert.ok(d.rowCount > 1, `${d.id}: ${d.rowCount}`);
      assert.equal(d.rows.length, 1);
    }
  } finally {
    await rm(tree, { recursive: true, force: true });
  }
});

test('over the bundled sample: the documented JSON shape, findings at every severity, and exit 3 for its high findings', async () => {
  const run = await runCli(['detect', '--source', 'samples/bucket', '--format', 'json']);
  assert.equal(run.code, 3, run.stderr);
  const out = JSON.parse(run.stdout) as FindingsJson;
  assert.equal(out.detections.length, detections.length);
  for (const d of out.detections) {
    assert.deepEqual(Object.keys(d), ['id', 'title', 'severity', 'pack', 'rowCount', 'columns', 'rows']);
    assert.equal(d.pack, 'builtin');
    assert.equal(d.rows.length, d.rowCount, d.id);
  }
  for (const severity of ['high', 'medium', 'low', 'info'] as const) {
    const sum = out.detections.filter((d) => d.severity === severity).reduce((n, d) => n + d.rowCount, 0);
    assert.ok(sum > 0, `${severity} findings in the sample`);
    assert.equal(out.summary[severity], sum);
  }
  // Only the records the detections read load: fewer than the sample holds, the same findings as loading every line.
  const everyLine = JSON.parse((await runCli(['detect', '--source', 'samples/bucket', '--format', 'json', '--no-pushdown'])).stdout) as FindingsJson;
  assert.ok(out.records > 1000 && out.records < everyLine.records, `${out.records} of ${everyLine.records} records`);
  assert.deepEqual(out.summary, everyLine.summary);
});
