/** runTimeline over a generated tree equals an independent reading of the same files. */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Identity } from '../../../src/shared/timeline';
import { runTimeline, type TimelineRequest } from '../../../src/worker/timeline/runTimeline';
import type { DeliveryTree } from '../../support/deliveryTree';
import { ALICE, assertTimelineMatches, expectedTimeline, HOSTILE_ACTOR, HOSTILE_SESSION, IP, IP_WITH_PORT, IPV6, PAIRED_REQUEST, writeTimelineTree } from '../../support/timelineTree';
import { QUERY_WORKER_BUNDLE } from '../../support/workers';

describe('runTimeline', { timeout: 300_000 }, () => {
  let tree: DeliveryTree;
  const run = (identity: Identity, extra: Partial<TimelineRequest> = {}) =>
    runTimeline({ identity, sources: [tree.root], ...extra }, { session: { workerPath: QUERY_WORKER_BUNDLE } });

  before(() => {
    assert.ok(existsSync(QUERY_WORKER_BUNDLE), `${QUERY_WORKER_BUNDLE} is missing: run npm run build`);
    tree = writeTimelineTree();
  });
  after(() => tree.remove());

  const cases: [string, Identity][] = [
    ['an actor, with failed logins and an escaped email', { kind: 'actor', value: ALICE }],
    ['a hostile actor', { kind: 'actor', value: HOSTILE_ACTOR }],
    ['an IP address, bare and with any port', { kind: 'ip', value: IP }],
    ['an IP address given with its port, that form alone', { kind: 'ip', value: IP_WITH_PORT }],
    ['an IPv6 address, bare and in brackets with a port', { kind: 'ip', value: IPV6 }],
    ['a hostile session id', { kind: 'session', value: HOSTILE_SESSION }],
    ['a request and its result', { kind: 'request', value: PAIRED_REQUEST }],
  ];
  for (const [name, identity] of cases) {
    it(`finds every event of ${name} in every workspace`, async () => {
      const { timeline, load } = await run(identity);
      const expected = expectedTimeline(tree.files, identity);
      assert.ok(expected.locations.length > 0, 'the tree holds the identity');
      assertTimelineMatches(timeline, expected);
      assert.deepEqual(timeline.identity, identity);
      assert.equal(load?.filesFailed, 0);
    });
  }

  it('holds the account level and every workspace for an actor, and the failed logins by requestParams.user', async () => {
    const { timeline } = await run({ kind: 'actor', value: ALICE });
    assert.ok(timeline.summary.workspaces.includes('0'));
    assert.equal(timeline.summary.workspaces.length, 3);
    const failed = timeline.events.filter((e) => e.statusCode === 401);
    assert.equal(failed.length, 9, 'one failed login per file');
    for (const event of failed) assert.equal(event.actor, ALICE);
    assert.ok(!timeline.events.some((e) => e.actionName === 'resetPassword'), "an admin's action on Alice is not Alice's");
  });

  it("keeps events in time order, with a request's result right after the request", async () => {
    const { timeline } = await run({ kind: 'actor', value: ALICE });
    const ids = timeline.events.map((e) => e.requestId);
    const request = ids.indexOf(PAIRED_REQUEST);
    assert.equal(ids[request + 1], PAIRED_REQUEST);
    assert.equal(timeline.events[request + 1]!.actionName, 'createResult');
    const others = timeline.events.filter((e) => e.requestId !== PAIRED_REQUEST).map((e) => e.timestamp!);
    assert.deepEqual(others, [...others].sort((a, b) => a - b));
  });

  it('reads only the window, both ends inclusive, and the dates around it', async () => {
    // Alice's failed login at noon and her escaped-email event 3 ms later: the window's two ends.
    const from = Date.parse('2026-12-01T12:00:00Z');
    const to = from + 3;
    const identity: Identity = { kind: 'actor', value: ALICE };
    const { timeline, load } = await run(identity, { window: { from, to } });
    const expected = expectedTimeline(tree.files, identity, { from, to });
    assertTimelineMatches(timeline, expected);
    assert.ok(timeline.events.some((e) => e.timestamp === from) && timeline.events.some((e) => e.timestamp === to), 'both ends are in');
    assert.equal(expected.locations.length, 2 * 3, 'two events in each workspace');
    assert.equal(load!.files, 2 * 3 + 1, 'only the files of 2026-11-30 (the paired request file too) and 2026-12-01 are read');
  });

  const comparisons: [string, Identity][] = [
    ['a hostile actor', { kind: 'actor', value: HOSTILE_ACTOR }],
    ['an actor', { kind: 'actor', value: ALICE }],
    ['an IP address', { kind: 'ip', value: IP }],
    ['an IPv6 address', { kind: 'ip', value: IPV6 }],
  ];
  for (const [name, identity] of comparisons) {
    it(`answers the same without pushdown for ${name}`, async () => {
      const [pushed, plain] = await Promise.all([run(identity), run(identity, { pushdown: false })]);
      assert.deepEqual(pushed.timeline, plain.timeline);
      assert.equal(plain.load!.linesSkippedByFilter, 0);
    });
  }

  it('leaves out of the load the lines that cannot hold a searchable identity', async () => {
    const { load } = await run({ kind: 'actor', value: ALICE });
    assert.ok(load!.linesSkippedByFilter > 0, 'the pushdown skipped lines by their bytes');
    const byAddress = await run({ kind: 'ip', value: IP });
    assert.ok(byAddress.load!.linesSkippedByFilter > 0, 'an address and its forms with a port are pushed down too');
  });

  it('returns an empty timeline for an identity nobody has, and for an empty window without loading', async () => {
    const nobody = await run({ kind: 'session', value: 'no-such-session' });
    assert.deepEqual(nobody.timeline.events, []);
    assert.deepEqual(nobody.timeline.summary, { events: 0, workspaces: [], services: {}, byWorkspaceService: {}, first: null, last: null, ipAddresses: [], userAgents: [] });
    const empty = await run({ kind: 'actor', value: ALICE }, { window: { from: 2, to: 1 } });
    assert.equal(empty.load, undefined);
    assert.deepEqual(empty.timeline.events, []);
  });

  it("reports the load's progress", async () => {
    const messages: string[] = [];
    await runTimeline({ identity: { kind: 'actor', value: ALICE }, sources: [tree.root] }, { onProgress: (update) => messages.push(update.message), session: { workerPath: QUERY_WORKER_BUNDLE } });
    assert.ok(messages.length > 0);
  });

  it('stops when cancelled, before or during the load', async () => {
    const during = new AbortController();
    const running = runTimeline({ identity: { kind: 'actor', value: ALICE }, sources: [tree.root] }, { signal: during.signal, onProgress: () => during.abort(), session: { workerPath: QUERY_WORKER_BUNDLE } });
    await assert.rejects(running, (error: Error & { code?: string }) => error.code === 'cancelled');

    const controller = new AbortController();
    controller.abort();
    await assert.rejects(
      runTimeline({ identity: { kind: 'actor', value: ALICE }, sources: [tree.root] }, { signal: controller.signal, session: { workerPath: QUERY_WORKER_BUNDLE } }),
      (error: Error & { code?: string }) => error.code === 'cancelled',
    );
  });
});
