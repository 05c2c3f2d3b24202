/**
 * Detection packs through the CLI: `detect --pack` (a file, a folder, published queries and
 * alerts), `--no-builtin`, `--only` and every output format naming each detection's pack; broken
 * packs and clashing ids as usage errors naming the file; and `detect --test` for CI.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { detections } from '../../src/core/analyses';
import { assertBuilt, runCli, STACK_FRAME } from '../support/cli';
import { aRecord, writeDeliveryTree, type DeliveryTree } from '../support/deliveryTree';

interface FindingsJson {
  detections: { id: string; severity: string; pack: string; rowCount: number; columns: string[]; rows: unknown[][] }[];
  summary: Record<string, number>;
}

interface TestsJson {
  tests: { id: string; pack: string; kind: string; passed: boolean; records: number; rows: number; reason: string }[];
  untested: string[];
  summary: { detections: number; passed: number; failed: number; untested: number };
}

const DAY = '2024-03-05';
const NOON = Date.UTC(2024, 2, 5, 12);

const RULE = `id: team-mounts
title: Mounts by the team
severity: high
services: [dbfs]
question: Who mounted storage, apart from the allowed?
rationale: Mounts share credentials.
parameters:
  allowed: {default: [ops@example.com]}
sql: |
  SELECT userIdentity.email AS email, requestParams.mountPoint AS mount_point, _file, _line
  FROM audit_logs
  WHERE serviceName = 'dbfs' AND actionName = 'mount' AND userIdentity.email NOT IN {{allowed}}
tests:
  fires:
    - ${JSON.stringify(aRecord({ serviceName: 'dbfs', actionName: 'mount', userIdentity: { email: 'eve@example.com' }, requestParams: { mountPoint: '/mnt/x' } }))}
  quiet:
    - ${JSON.stringify(aRecord({ serviceName: 'dbfs', actionName: 'mount', userIdentity: { email: 'ops@example.com' }, requestParams: { mountPoint: '/mnt/x' } }))}
`;

let root: string;
let tree: DeliveryTree;
let rule: string;
let folder: string;
let published: string;

before(() => {
  assertBuilt();
  root = mkdtempSync(path.join(tmpdir(), 'audit-lens-packs-cli-'));
  rule = path.join(root, 'team-mounts.yaml');
  writeFileSync(rule, RULE);
  folder = path.join(root, 'pack');
  mkdirSync(folder);
  writeFileSync(path.join(folder, 'a.yaml'), RULE.replace('id: team-mounts', 'id: folder-mounts'));
  writeFileSync(path.join(folder, 'b.yml'), `detections:\n  - id: folder-secrets\n    title: Secret reads\n    severity: info\n    services: [secrets]\n    question: Who read secrets?\n    rationale: Secrets.\n    sql: SELECT userIdentity.email AS email FROM audit_logs WHERE serviceName = 'secrets' AND actionName = 'getSecret'\n`);
  writeFileSync(path.join(folder, 'README.txt'), 'not a pack');
  published = path.join(root, 'queries_and_alerts.json');
  writeFileSync(published, readFileSync(path.resolve(__dirname, '../core/analyses/fixtures/queries_and_alerts.json')));
  const at = (hoursBefore: number, fields: Record<string, unknown>) => aRecord({ timestamp: NOON - hoursBefore * 3_600_000, workspaceId: '1234567890123456', ...fields });
  tree = writeDeliveryTree([
    {
      workspaceId: '1234567890123456',
      date: DAY,
      lines: [
        at(1, { serviceName: 'dbfs', actionName: 'mount', userIdentity: { email: 'eve@example.com' }, requestParams: { mountPoint: '/mnt/data' } }),
        at(1, { serviceName: 'dbfs', actionName: 'mount', userIdentity: { email: 'ops@example.com' }, requestParams: { mountPoint: '/mnt/ok' } }),
        at(2, { serviceName: 'secrets', actionName: 'getSecret', requestParams: { scope: 's', key: 'k' } }),
        at(3, { serviceName: 'workspace', actionName: 'workspaceConfEdit', requestParams: { workspaceConfKeys: 'enableExportNotebook', workspaceConfValues: 'true' } }),
        at(30, { serviceName: 'workspace', actionName: 'workspaceConfEdit', requestParams: { workspaceConfKeys: 'enableResultsDownloading', workspaceConfValues: 'true' } }),
      ],
    },
  ]);
});

after(() => {
  tree?.remove();
  if (root) rmSync(root, { recursive: true, force: true });
});

test('--pack adds a file\'s detections to the built-ins; json names each detection\'s pack', async () => {
  const run = await runCli(['detect', '--source', tree.root, '--pack', rule, '--format', 'json', '--fail-on', 'none']);
  assert.equal(run.code, 0, run.stderr);
  const out = JSON.parse(run.stdout) as FindingsJson;
  assert.deepEqual(out.detections.map((d) => d.id), [...detections.map((d) => d.id), 'team-mounts']);
  const mine = out.detections.at(-1)!;
  assert.equal(mine.pack, rule);
  assert.equal(mine.rowCount, 1, 'the allowed actor is left out by the parameter');
  assert.equal(mine.rows[0]![mine.columns.indexOf('email')], 'eve@example.com');
  assert.equal(out.detections.find((d) => d.id === 'mounts')!.pack, 'builtin');
  assert.equal(out.summary.high, 1);
});

test('--no-builtin with a folder runs only its packs\' detections; --only sees them; table and markdown name the pack', async () => {
  const json = await runCli(['detect', '--source', tree.root, '--no-builtin', '--pack', folder, '--format', 'json']);
  assert.equal(json.code, 3, json.stderr);
  const out = JSON.parse(json.stdout) as FindingsJson;
  assert.deepEqual(out.detections.map((d) => [d.id, d.pack, d.rowCount]), [['folder-mounts', path.join(folder, 'a.yaml'), 1], ['folder-secrets', path.join(folder, 'b.yml'), 1]]);
  const only = await runCli(['detect', '--source', tree.root, '--pack', folder, '--only', 'folder-secrets,mounts', '--format', 'json']);
  assert.deepEqual((JSON.parse(only.stdout) as FindingsJson).detections.map((d) => d.id), ['mounts', 'folder-secrets']);
  const table = await runCli(['detect', '--source', tree.root, '--pack', rule, '--only', 'team-mounts,mounts']);
  assert.equal(table.code, 3, table.stderr);
  assert.ok(table.stdout.includes(`== HIGH · Mounts by the team (team-mounts) · pack ${rule} · 1 finding ==`), table.stdout);
  assert.ok(table.stdout.includes('== MEDIUM · DBFS mount points created (mounts) · 2 findings =='), table.stdout);
  const md = await runCli(['detect', '--source', tree.root, '--pack', rule, '--only', 'team-mounts', '--format', 'markdown']);
  assert.match(md.stdout, /^## HIGH: Mounts by the team \(`team-mounts`\)$/m);
  assert.ok(md.stdout.includes(`Pack: \`${rule}\``), md.stdout);
});

test('published queries and alerts load as they are: alert conditions, relative windows replayed with --as-of', async () => {
  const run = await runCli(['detect', '--source', tree.root, '--no-builtin', '--pack', published, '--as-of', new Date(NOON).toISOString(), '--format', 'json']);
  assert.equal(run.code, 0, `medium findings do not fail the default --fail-on high: ${run.stderr}`);
  const out = JSON.parse(run.stdout) as FindingsJson;
  const byId = new Map(out.detections.map((d) => [d.id, d]));
  assert.deepEqual([...byId.keys()], ['changes_to_workspace_configuration', 'ip_access_list_failures_last_90_days', 'ip_access_list_changes']);
  const conf = byId.get('changes_to_workspace_configuration')!;
  assert.equal(conf.severity, 'medium');
  assert.equal(conf.pack, published);
  assert.equal(conf.rowCount, 1, 'only the edit within 24 hours of the as-of instant');
  assert.equal(conf.rows[0]![conf.columns.indexOf('workspaceConfKeys')], 'enableExportNotebook');
  assert.equal(byId.get('ip_access_list_changes')!.rowCount, 0);
  const failing = await runCli(['detect', '--source', tree.root, '--no-builtin', '--pack', published, '--as-of', new Date(NOON).toISOString(), '--fail-on', 'medium']);
  assert.equal(failing.code, 3);
});

test('queries naming system.access.audit, as published, run as written', async () => {
  const original = JSON.parse(readFileSync(published, 'utf8')) as { queries_and_alerts: { query: string }[] };
  for (const entry of original.queries_and_alerts) entry.query = entry.query.replace(/system_access_audit/g, 'system.access.audit');
  const file = path.join(root, 'as-published.json');
  writeFileSync(file, JSON.stringify(original));
  const run = await runCli(['detect', '--source', tree.root, '--no-builtin', '--pack', file, '--as-of', new Date(NOON).toISOString(), '--format', 'json']);
  assert.equal(run.code, 0, run.stderr);
  const out = JSON.parse(run.stdout) as FindingsJson;
  assert.equal(out.detections.find((d) => d.id === 'changes_to_workspace_configuration')!.rowCount, 1);
});

test('a broken pack, a missing one or a clashing id is a usage error naming the file; --no-builtin needs a pack', async () => {
  const broken = path.join(root, 'broken.yaml');
  writeFileSync(broken, RULE.replace('severity: high', 'severity: urgent'));
  const clash = path.join(root, 'clash.yaml');
  writeFileSync(clash, RULE.replace('id: team-mounts', 'id: mounts'));
  const cases: [string[], string | RegExp][] = [
    [['--pack', broken], `audit-lens: Detection pack ${broken}:3: detection 'team-mounts', field 'severity': must be one of high, medium, low, info`],
    [['--pack', path.join(root, 'nope.yaml')], /nope\.yaml: cannot be read \(ENOENT\)/],
    [['--pack', clash], `audit-lens: Detection id 'mounts' is defined in builtin and in ${clash}: ids must be unique across packs.`],
    [['--pack', rule, '--pack', rule], `Detection id 'team-mounts' is defined twice in ${rule}`],
    [['--no-builtin'], /--no-builtin leaves no detection to run: add one with --pack PATH/],
    [['--pack', rule, '--only', 'nope'], /Unknown detection 'nope'/],
  ];
  for (const [args, message] of cases) {
    const run = await runCli(['detect', '--source', tree.root, ...args]);
    assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
    if (typeof message === 'string') assert.ok(run.stderr.includes(message), run.stderr);
    else assert.match(run.stderr, message);
    assert.doesNotMatch(run.stderr, STACK_FRAME);
    assert.equal(run.stdout, '');
  }
  const test = await runCli(['detect', '--test', '--pack', broken]);
  assert.equal(test.code, 2);
  assert.ok(test.stderr.includes(`${broken}:3`), test.stderr);
});

test('detect --test passes the built-ins and a good pack with exit 0, and fails a broken test with exit 1 and the reason', async () => {
  const all = await runCli(['detect', '--test', '--pack', rule]);
  assert.equal(all.code, 0, all.stderr);
  assert.match(all.stdout, /^pass {2}mounts fires: fired: 1 row from 1 record$/m);
  assert.ok(all.stdout.includes(`pass  team-mounts quiet: quiet on 1 near miss  [${rule}]`), all.stdout);
  assert.match(all.stdout, new RegExp(`^All tests passed: ${(detections.length + 1) * 2} tests passed, 0 failed, over ${detections.length + 1} detections\\.$`, 'm'));
  const failing = path.join(root, 'failing.yaml');
  writeFileSync(failing, RULE.replace("NOT IN {{allowed}}", "IN {{allowed}} OR userIdentity.email = 'nobody'"));
  const run = await runCli(['detect', '--test', '--no-builtin', '--pack', failing, '--pack', published]);
  assert.equal(run.code, 1, run.stderr);
  assert.deepEqual(run.stdout.trim().split('\n'), [
    `FAIL  team-mounts fires: found nothing in the 1 record it must fire on  [${failing}]`,
    run.stdout.trim().split('\n')[1],
    `skip  changes_to_workspace_configuration: no tests  [${published}]`,
    `skip  ip_access_list_failures_last_90_days: no tests  [${published}]`,
    `skip  ip_access_list_changes: no tests  [${published}]`,
    '2 tests failed: 0 tests passed, 2 failed, over 4 detections (3 without tests).',
  ]);
  assert.match(run.stdout.split('\n')[1]!, /^FAIL {2}team-mounts quiet: fired on its near misses: 1 row, the first \{"email":"ops@example\.com","mount_point":"\/mnt\/x",/);
  const json = await runCli(['detect', '--test', '--no-builtin', '--pack', failing, '--format', 'json']);
  assert.equal(json.code, 1);
  const out = JSON.parse(json.stdout) as TestsJson;
  assert.deepEqual(out.tests.map((t) => [t.id, t.pack, t.kind, t.passed, t.records, t.rows]), [['team-mounts', failing, 'fires', false, 1, 0], ['team-mounts', failing, 'quiet', false, 1, 1]]);
  assert.deepEqual(out.summary, { detections: 1, passed: 0, failed: 2, untested: 0 });
  const withSource = await runCli(['detect', '--test', '--source', tree.root]);
  assert.equal(withSource.code, 2);
  assert.match(withSource.stderr, /--test runs the detections on their own test records: it takes no --source/);
});
