/**
 * `--param <detection-id>.<name>=<value>` through the real CLI: a list as comma-separated items
 * or a JSON array, numbers and booleans by their parameter's type, for built-ins and packs alike,
 * in `detect` and `detect --test`; an unknown detection, parameter or malformed value is a usage
 * error (exit 2). Log text given as a value stays a quoted literal.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { assertBuilt, runCli, STACK_FRAME } from '../support/cli';
import { aRecord, writeDeliveryTree, type DeliveryTree } from '../support/deliveryTree';

interface FindingsJson {
  detections: { id: string; rowCount: number; columns: string[]; rows: unknown[][] }[];
}

interface TestsJson {
  tests: { id: string; kind: string; passed: boolean; reason: string }[];
}

const DAY = '2024-03-05';
const NOON = Date.UTC(2024, 2, 5, 12);
const SERVICE_PRINCIPAL = '6f1c2e9a-3b4d-4e5f-8a7b-9c0d1e2f3a4b';
const QUOTED = "o'brien@example.com";

let root: string;
let tree: DeliveryTree;
let pack: string;

const PACK = `id: team-logins
title: Logins by many
severity: low
services: [accounts]
question: Who logged in at least minLogins times?
rationale: A test pack.
parameters:
  minLogins: {default: 2}
sql: |
  SELECT userIdentity.email AS email, COUNT(*) AS logins
  FROM audit_logs
  WHERE serviceName = 'accounts' AND actionName = 'login'
  GROUP BY 1
  HAVING COUNT(*) >= {{minLogins}}
`;

before(() => {
  assertBuilt();
  root = mkdtempSync(path.join(tmpdir(), 'audit-lens-params-cli-'));
  pack = path.join(root, 'team.yaml');
  writeFileSync(pack, PACK);
  const at = (minutes: number, fields: Record<string, unknown>) => aRecord({ timestamp: NOON + minutes * 60_000, workspaceId: '1234567890123456', ...fields });
  const mount = (email: string, userAgent: string) => at(1, { serviceName: 'dbfs', actionName: 'mount', userAgent, userIdentity: { email }, requestParams: { mountPoint: '/mnt/x' } });
  const read = (email: string) => at(2, { serviceName: 'secrets', actionName: 'getSecret', userIdentity: { email }, requestParams: { scope: 's', key: 'k' } });
  const remove = (email: string, userAgent: string) => at(3, { serviceName: 'clusters', actionName: 'permanentDelete', userAgent, userIdentity: { email }, requestParams: { cluster_id: 'c' } });
  const login = (email: string) => at(4, { serviceName: 'accounts', actionName: 'login', userIdentity: { email }, requestParams: { user: email }, response: { statusCode: 200 } });
  tree = writeDeliveryTree([
    {
      workspaceId: '1234567890123456',
      date: DAY,
      lines: [
        mount('eve@example.com', 'curl/8'),
        mount('ops@example.com', 'curl/8'),
        mount(QUOTED, 'curl/8'),
        read('alice@example.com'),
        read(SERVICE_PRINCIPAL),
        remove('System-User', 'Databricks-Runtime'),
        remove('bob@example.com', 'terraform/1.7'),
        remove('carol@example.com', 'browser'),
        login('dave@example.com'),
        login('dave@example.com'),
      ],
    },
  ]);
});

after(() => {
  tree?.remove();
  if (root) rmSync(root, { recursive: true, force: true });
});

async function findings(extra: readonly string[]): Promise<Map<string, { rowCount: number; who: unknown[] }>> {
  const run = await runCli(['detect', '--source', tree.root, '--format', 'json', '--fail-on', 'none', ...extra]);
  assert.equal(run.code, 0, run.stderr);
  const out = JSON.parse(run.stdout) as FindingsJson;
  return new Map(out.detections.map((d) => [d.id, { rowCount: d.rowCount, who: d.rows.map((r) => r[d.columns.indexOf('email')]) }]));
}

test('the built-ins\' defaults leave out System-User\'s permanent deletes and service principals\' secret reads', async () => {
  const byId = await findings(['--only', 'permanent-deletes,secret-reads,mounts']);
  assert.deepEqual(byId.get('permanent-deletes')!.who.sort(), ['bob@example.com', 'carol@example.com']);
  assert.deepEqual(byId.get('secret-reads')!.who, ['alice@example.com']);
  assert.equal(byId.get('mounts')!.rowCount, 3);
});

test('a list parameter takes comma-separated items or a JSON array; a quote in a value stays inside the literal', async () => {
  const commas = await findings(['--only', 'mounts', '--param', `mounts.ignoreActors=ops@example.com, ${QUOTED}`]);
  assert.deepEqual(commas.get('mounts')!.who, ['eve@example.com']);
  const json = await findings(['--only', 'mounts', `--param=mounts.ignoreActors=${JSON.stringify(['eve@example.com', 'ops@example.com'])}`]);
  assert.deepEqual(json.get('mounts')!.who, [QUOTED]);
  const agents = await findings(['--only', 'permanent-deletes', '--param', 'permanent-deletes.ignoreAgents=terraform/1.7', '--param', 'permanent-deletes.ignoreActors=']);
  assert.deepEqual(agents.get('permanent-deletes')!.who.sort(), ['System-User', 'carol@example.com'], 'an empty list keeps every actor; the agent is left out');
});

test('a boolean and a number take their literals; the last --param for a name wins; packs take --param too', async () => {
  const all = await findings(['--only', 'secret-reads', '--param', 'secret-reads.ignoreServicePrincipals=false']);
  assert.deepEqual(all.get('secret-reads')!.who.sort(), [SERVICE_PRINCIPAL, 'alice@example.com'].sort());
  const last = await findings(['--only', 'secret-reads', '--param', 'secret-reads.ignoreServicePrincipals=false', '--param', 'secret-reads.ignoreServicePrincipals=TRUE']);
  assert.deepEqual(last.get('secret-reads')!.who, ['alice@example.com']);
  const two = await findings(['--no-builtin', '--pack', pack]);
  assert.equal(two.get('team-logins')!.rowCount, 1);
  const three = await findings(['--no-builtin', '--pack', pack, '--param', 'team-logins.minLogins=3']);
  assert.equal(three.get('team-logins')!.rowCount, 0);
});

test('detect --test runs with the values given: a near miss the default leaves out fails once the filter is off', async () => {
  const pass = await runCli(['detect', '--test', '--only', 'secret-reads', '--format', 'json']);
  assert.equal(pass.code, 0, pass.stderr);
  const fail = await runCli(['detect', '--test', '--only', 'secret-reads', '--param', 'secret-reads.ignoreServicePrincipals=false', '--format', 'json']);
  assert.equal(fail.code, 1, fail.stderr);
  const quiet = (JSON.parse(fail.stdout) as TestsJson).tests.find((t) => t.kind === 'quiet')!;
  assert.equal(quiet.passed, false);
  assert.match(quiet.reason, /fired on its near misses/);
});

test('an unknown detection, an unknown parameter, a malformed --param or a value of the wrong type is a usage error (exit 2)', async () => {
  const cases: [string[], RegExp][] = [
    [['--param', 'no-such-detection.ignoreActors=x'], /--param no-such-detection\.ignoreActors: No detection has the id 'no-such-detection'/],
    [['--param', 'mounts.ignoreAgents=x'], /--param mounts\.ignoreAgents: Detection 'mounts' has no parameter 'ignoreAgents'\. Its parameters: ignoreActors\./],
    [['--param', 'mounts=x'], /--param 'mounts=x' is not ID\.NAME=VALUE/],
    [['--param', 'mounts.ignoreActors'], /is not ID\.NAME=VALUE/],
    [['--param', 'failed-logins.minFailures=many'], /--param failed-logins\.minFailures must be a number, not 'many'/],
    [['--param', 'secret-reads.ignoreServicePrincipals=yes'], /must be true or false, not 'yes'/],
    [['--param', 'mounts.ignoreActors=[1, {"a": 2}]'], /must be a list of strings, numbers or booleans/],
    [['--param', 'mounts.ignoreActors=[oops'], /is not a JSON array/],
  ];
  for (const [extra, message] of cases) {
    const run = await runCli(['detect', '--source', tree.root, ...extra]);
    assert.equal(run.code, 2, `${extra.join(' ')}: ${run.stderr}`);
    assert.match(run.stderr, message);
    assert.doesNotMatch(run.stderr, STACK_FRAME);
  }
});

test('watch takes --param, and help names the option', async () => {
  const watch = await runCli(['watch', '--source', tree.root, '--param', 'mounts.nope=1']);
  assert.equal(watch.code, 2, watch.stderr);
  assert.match(watch.stderr, /Detection 'mounts' has no parameter 'nope'/);
  const help = await runCli(['detect', '--help']);
  assert.match(help.stdout, /--param ID\.NAME=VALUE/);
});
