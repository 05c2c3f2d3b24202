/** `audit-lens timeline`, run as a user runs it, against an independent reading of the same files. */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startGcsServer } from '../gcs-server';
import { aDeliveryTree, objectNameOf, putTree } from '../support/sources';
import type { Timeline } from '../../src/shared/timeline';
import { assertBuilt, runCli, STACK_FRAME, type CliRun } from '../support/cli';
import type { DeliveryTree } from '../support/deliveryTree';
import { ALICE, assertTimelineMatches, eventLocations, expectedTimeline, HOSTILE_ACTOR, IP, IPV6, PAIRED_REQUEST, writeTimelineTree } from '../support/timelineTree';

const HOUR = 3_600_000;

describe('audit-lens timeline', { timeout: 300_000 }, () => {
  let tree: DeliveryTree;
  const timeline = (args: string[]): Promise<CliRun> => runCli(['timeline', '--source', tree.root, ...args]);
  const json = async (args: string[]): Promise<{ run: CliRun; timeline: Timeline }> => {
    const run = await timeline([...args, '--format', 'json']);
    assert.equal(run.code, 0, run.stderr);
    return { run, timeline: JSON.parse(run.stdout) as Timeline };
  };

  before(() => {
    assertBuilt();
    tree = writeTimelineTree();
  });
  after(() => tree.remove());

  it('prints one JSON object whose events and counts equal the files read directly', async () => {
    for (const [option, value, kind] of [['--actor', ALICE, 'actor'], ['--actor', HOSTILE_ACTOR, 'actor'], ['--ip', IP, 'ip'], ['--ip', IPV6, 'ip'], ['--request', PAIRED_REQUEST, 'request']] as const) {
      const { timeline: printed } = await json([option, value]);
      const expected = expectedTimeline(tree.files, { kind, value });
      assert.deepEqual(printed.identity, { kind, value });
      assertTimelineMatches(printed, expected, `${option} ${value}`);
    }
  });

  it('counts an address logged with a port among its events, and not a longer address', async () => {
    for (const [address, host] of [[IP, IP], [IPV6, `[${IPV6}]`]] as const) {
      const { timeline: printed } = await json(['--ip', address]);
      const logged = new Set(printed.events.map((e) => e.sourceIPAddress));
      assert.ok(logged.has(address), address);
      assert.ok([...logged].some((ip) => ip?.startsWith(`${host}:`)), `${address}: the forms with a port`);
      assert.ok([...logged].every((ip) => ip === address || ip?.startsWith(`${host}:`)), `${address}: ${[...logged].join(' ')}`);
      const [pushed, plain] = await Promise.all([timeline(['--ip', address, '--format', 'json']), timeline(['--ip', address, '--format', 'json', '--no-pushdown'])]);
      assert.equal(pushed.stdout, plain.stdout, `${address}: the same with --no-pushdown`);
    }
  });

  it('prints the documented fields of every event', async () => {
    const { timeline: printed } = await json(['--request', PAIRED_REQUEST]);
    assert.deepEqual(Object.keys(printed).sort(), ['events', 'identity', 'summary']);
    for (const key of ['events', 'workspaces', 'services', 'first', 'last']) assert.ok(key in printed.summary, key);
    const [request, result] = printed.events;
    for (const key of ['timestamp', 'workspaceId', 'serviceName', 'actionName', 'requestId', 'sourceIPAddress', 'userAgent', 'statusCode', '_file', '_line']) assert.ok(key in request!, key);
    assert.deepEqual([request!.actionName, request!.statusCode, result!.actionName, result!.statusCode], ['create', null, 'createResult', 200]);
    assert.equal(typeof request!.timestamp, 'number');
  });

  it('--around ± --window, and --as-of ending the window, equal the same window counted directly', async () => {
    const around = Date.parse('2026-11-30T12:00:00Z');
    const identity = { kind: 'actor', value: ALICE } as const;
    const byDefault = await json(['--actor', ALICE, '--around', '2026-11-30T12:00:00Z']);
    assert.deepEqual(eventLocations(byDefault.timeline), expectedTimeline(tree.files, identity, { from: around - 6 * HOUR, to: around + 6 * HOUR }).locations);
    const narrow = await json(['--actor', ALICE, '--around', '2026-11-30T13:00:00+01:00', '--window', '30m']);
    assert.deepEqual(eventLocations(narrow.timeline), expectedTimeline(tree.files, identity, { from: around - HOUR / 2, to: around + HOUR / 2 }).locations);
    const capped = await json(['--actor', ALICE, '--around', '2026-11-30T12:00:00Z', '--as-of', '2026-11-30T12:00:00.001Z']);
    assert.deepEqual(eventLocations(capped.timeline), expectedTimeline(tree.files, identity, { from: around - 6 * HOUR, to: around }).locations);
    assert.match(capped.run.stderr, /as of 2026-11-30T12:00:00\.001Z/);
    const asOfAlone = await json(['--actor', ALICE, '--as-of', '2026-12-01T00:00:00Z']);
    const day = Date.parse('2026-12-01T00:00:00Z');
    const expected = expectedTimeline(tree.files, identity, { from: day - 24 * HOUR, to: day - 1 });
    assert.ok(expected.locations.length > 0);
    assert.deepEqual(eventLocations(asOfAlone.timeline), expected.locations);
    const datesToAsOf = await json(['--actor', ALICE, '--from', '2026-11-30', '--to', '2026-12-01', '--as-of', '2026-12-01T06:00:00Z']);
    assert.ok(datesToAsOf.timeline.events.every((e) => e.timestamp! < Date.parse('2026-12-01T06:00:00Z') && e.timestamp! >= Date.parse('2026-11-30T00:00:00Z')));
  });

  it('prints the same with --no-pushdown', async () => {
    const [pushed, plain] = await Promise.all([timeline(['--actor', HOSTILE_ACTOR, '--format', 'json']), timeline(['--actor', HOSTILE_ACTOR, '--format', 'json', '--no-pushdown'])]);
    assert.equal(pushed.code, 0, pushed.stderr);
    assert.equal(pushed.stdout, plain.stdout);
  });

  it('shows log text as text in the table and Markdown: the bidi override is escaped, never written', async () => {
    const table = await timeline(['--actor', HOSTILE_ACTOR]);
    assert.equal(table.code, 0, table.stderr);
    assert.ok(!table.stdout.includes('\u202E') && !table.stdout.includes('\u001b'));
    assert.ok(table.stdout.includes('\\u{202e}'));
    assert.match(table.stdout, /== Events per workspace and service ==/);
    assert.match(table.stdout, /↳ createResult|accounts/);
    const markdown = await timeline(['--actor', HOSTILE_ACTOR, '--format', 'markdown']);
    assert.equal(markdown.code, 0, markdown.stderr);
    assert.ok(!markdown.stdout.includes('\u202E') && !markdown.stdout.includes('\u001b'));
    assert.match(markdown.stdout, /^# Timeline of actor `/);
    const expected = expectedTimeline(tree.files, { kind: 'actor', value: HOSTILE_ACTOR });
    const eventRows = markdown.stdout.split('## Events\n')[1]!.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| time') && !l.startsWith('| ---'));
    assert.equal(eventRows.length, expected.locations.length);
  });

  it('prints the events as CSV with a header, one record per event', async () => {
    const csv = await timeline(['--request', PAIRED_REQUEST, '--format', 'csv']);
    assert.equal(csv.code, 0, csv.stderr);
    const lines = csv.stdout.trimEnd().split('\n');
    assert.equal(lines[0], 'timestamp,time,workspaceId,serviceName,actionName,requestId,sourceIPAddress,userAgent,statusCode,actor,sessionId,errorMessage,_file,_line');
    assert.equal(lines.length, 3);
    assert.match(lines[1]!, /,create,req-paired-1,/);
    assert.match(lines[2]!, /,createResult,req-paired-1,/);
  });

  it('exits 0 with an empty list and a note when the identity has no event', async () => {
    const { run, timeline: printed } = await json(['--session', 'nobody']);
    assert.deepEqual(printed.events, []);
    assert.equal(printed.summary.events, 0);
    assert.match(run.stderr, /note: no event of session nobody/);
    const table = await timeline(['--ip', '192.0.2.1', '--around', '2026-11-30T00:00:00Z', '--as-of', '2026-11-29T00:00:00Z']);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^Timeline of ip 192\.0\.2\.1\n0 events in 0 workspaces\n/);
  });

  const USAGE: [string, string[], RegExp][] = [
    ['no identity', [], /Name whose events to show/],
    ['two identities', ['--actor', ALICE, '--ip', IP], /exactly one identity/],
    ['the same identity option twice', ['--actor', ALICE, '--actor', 'b@x'], /exactly one identity/],
    ['an empty identity', ['--actor', ''], /--actor needs a value/],
    ['a bad window', ['--actor', ALICE, '--around', '2026-11-30T00:00:00Z', '--window', '6 hours'], /--window '6 hours'/],
    ['a window without an instant', ['--actor', ALICE, '--window', '6h'], /--window needs --around/],
    ['dates and --around', ['--actor', ALICE, '--from', '2026-11-30', '--around', '2026-11-30T00:00:00Z'], /either --from\/--to dates or --around/],
    ['a bad instant', ['--actor', ALICE, '--around', 'yesterday'], /--around 'yesterday'/],
    ['a bad --as-of', ['--actor', ALICE, '--as-of', 'soon'], /--as-of 'soon'/],
    ['a bad format', ['--actor', ALICE, '--format', 'xml'], /--format 'xml'/],
    ['a positional argument', [ALICE], /Unexpected argument/],
  ];
  for (const [name, args, message] of USAGE) {
    it(`exits 2 on ${name}`, async () => {
      const run = await timeline(args);
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, message);
      assert.equal(run.stdout, '');
      assert.doesNotMatch(run.stderr, STACK_FRAME);
    });
  }

  it('exits 1 when the source does not exist', async () => {
    const run = await runCli(['timeline', '--actor', ALICE, '--source', path.join(tree.root, 'missing')]);
    assert.equal(run.code, 1, run.stderr);
    assert.doesNotMatch(run.stderr, STACK_FRAME);
  });
});

describe('audit-lens timeline over GCS', { timeout: 120_000 }, () => {
  before(assertBuilt);

  it('prints the events of the files it could read, names the one it lost, and exits 1', async () => {
    const server = await startGcsServer();
    try {
      const tree = aDeliveryTree(['42', '0'], ['2024-03-01'], 20);
      putTree(server, 'faulty', 'logs', tree);
      const lost = objectNameOf('logs', tree[0]!);
      server.failNext({ kind: 'media', object: lost, misbehave: 'cut-body', times: Infinity });
      const run = await runCli(['timeline', '--actor', 'ana@example.com', '--source', 'gs://faulty/logs', '--gcs-endpoint', server.endpoint, '--gcs-timeout', '1', '--format', 'json']);
      assert.equal(run.code, 1, run.stderr);
      assert.doesNotMatch(run.stderr, STACK_FRAME);
      const printed = JSON.parse(run.stdout) as Timeline;
      assert.equal(printed.events.length, 20);
      assert.deepEqual(printed.summary.workspaces, [tree[1]!.workspaceId]);
      assert.match(run.stderr, /misses 1 file that could not be read/);
    } finally {
      await server.stop();
    }
  });
});
