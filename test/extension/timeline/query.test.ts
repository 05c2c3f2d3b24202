/** A Timeline panel's first query and the runner request it makes: window instants, scope, as-of cap. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { initialQuery, timelineRequest, windowInstants } from '../../../src/extension/timeline/query';
import { readRecent, rememberIdentity, MAX_RECENT_IDENTITIES } from '../../../src/extension/timeline/recent';
import { parseShowTimelineArgument } from '../../../src/extension/timeline/argument';
import { readyStatus } from '../../../src/extension/timeline/readyStatus';
import { MAX_EVENTS_SHOWN } from '../../../src/protocol/timeline';
import { aTimeline, manyEvents } from '../../support/timelineEvents';

const ALICE = { kind: 'actor' as const, value: 'alice@example.com' };
const SCOPE = { sources: ['gs://b/logs'], workspaces: ['123'], from: '2026-11-29', to: '2026-12-01' };
const DAY = 86_400_000;

describe('timeline query', () => {
  it("starts over the scope's dates, as of now", () => {
    assert.deepEqual(initialQuery(ALICE, SCOPE), { identity: ALICE, window: { kind: 'range', from: '2026-11-29', to: '2026-12-01' }, asOf: { kind: 'now' } });
    assert.deepEqual(initialQuery(ALICE, { sources: ['x'] }).window, { kind: 'range' });
  });

  it('turns a date range into whole UTC days and an around-window into ± the window', () => {
    assert.deepEqual(windowInstants({ kind: 'range', from: '2026-11-29', to: '2026-12-01' }), { from: Date.UTC(2026, 10, 29), to: Date.UTC(2026, 11, 2) - 1 });
    assert.deepEqual(windowInstants({ kind: 'range', to: '2026-12-01' }), { to: Date.UTC(2026, 11, 2) - 1 });
    const at = Date.UTC(2026, 10, 30, 14);
    assert.deepEqual(windowInstants({ kind: 'around', at: '2026-11-30T14:00:00Z', windowMs: 6 * 3_600_000 }), { from: at - 6 * 3_600_000, to: at + 6 * 3_600_000 });
  });

  it('asks the runner for the sources and workspaces of the scope, the window, and nothing after the as-of instant', () => {
    const query = initialQuery(ALICE, SCOPE);
    assert.deepEqual(timelineRequest(query, SCOPE), { identity: ALICE, sources: ['gs://b/logs'], filter: { workspaces: ['123'] }, window: { from: Date.UTC(2026, 10, 29), to: Date.UTC(2026, 11, 2) - 1 } });
    const asOf = timelineRequest({ ...query, asOf: { kind: 'instant', at: '2026-11-30T12:00:00Z' } }, SCOPE);
    assert.equal(asOf.window?.to, Date.UTC(2026, 10, 30, 12) - 1);
    const scopeEnd = timelineRequest({ ...query, window: { kind: 'range', from: '2026-11-29' }, asOf: { kind: 'scope-end' } }, SCOPE);
    assert.equal(scopeEnd.window?.to, Date.UTC(2026, 11, 1) + DAY - 1, 'the end of the scope caps an open window');
    const late = timelineRequest({ ...query, asOf: { kind: 'instant', at: '2027-01-01' } }, SCOPE);
    assert.equal(late.window?.to, Date.UTC(2026, 11, 2) - 1, 'an as-of after the window changes nothing');
    assert.equal(timelineRequest(query, { sources: ['x'] }).filter, undefined);
  });
});

describe('recent identities', () => {
  it('keeps the latest first, once each, at most ten, and drops malformed stored entries', () => {
    let recent = readRecent([{ kind: 'ip', value: '1.2.3.4' }, { kind: 'bogus', value: 'x' }, 'nope', { kind: 'actor' }]);
    assert.deepEqual(recent, [{ kind: 'ip', value: '1.2.3.4' }]);
    recent = rememberIdentity(recent, ALICE);
    recent = rememberIdentity(recent, { kind: 'ip', value: '1.2.3.4' });
    assert.deepEqual(recent, [{ kind: 'ip', value: '1.2.3.4' }, ALICE]);
    for (let i = 0; i < 20; i++) recent = rememberIdentity(recent, { kind: 'session', value: `s-${i}` });
    assert.equal(recent.length, MAX_RECENT_IDENTITIES);
    assert.deepEqual(recent[0], { kind: 'session', value: 's-19' });
    assert.deepEqual(readRecent(undefined), []);
  });
});

describe('Show Timeline argument', () => {
  it('takes an identity and an optional valid scope; anything else asks the user', () => {
    assert.deepEqual(parseShowTimelineArgument({ identity: ALICE, scope: SCOPE }), { identity: ALICE, scope: SCOPE });
    assert.deepEqual(parseShowTimelineArgument({ identity: ALICE, scope: { sources: 'x' } }), { identity: ALICE });
    assert.equal(parseShowTimelineArgument({ identity: { kind: 'who', value: 'x' } }), undefined);
    assert.equal(parseShowTimelineArgument(undefined), undefined);
  });

  it("carries the notebook's or detection run's as-of choice, and drops one that is not valid", () => {
    const at = { kind: 'instant' as const, at: '2026-11-30T14:00:00Z' };
    assert.deepEqual(parseShowTimelineArgument({ identity: ALICE, scope: SCOPE, asOf: at }), { identity: ALICE, scope: SCOPE, asOf: at });
    assert.deepEqual(parseShowTimelineArgument({ identity: ALICE, asOf: { kind: 'scope-end' } }), { identity: ALICE, asOf: { kind: 'scope-end' } });
    assert.deepEqual(parseShowTimelineArgument({ identity: ALICE, asOf: { kind: 'instant', at: 'yesterday' } }), { identity: ALICE });
    const request = timelineRequest({ ...initialQuery(ALICE, SCOPE), asOf: at }, SCOPE);
    assert.equal(request.window?.to, Date.parse('2026-11-30T14:00:00Z') - 1, 'nothing from the as-of instant on');
  });
});

describe('the status that shows a timeline', () => {
  it('sends every event up to the cap, and past it the first ones with the count found and the summary whole', () => {
    const small = aTimeline(manyEvents(10));
    assert.deepEqual(readyStatus(small, 5), { state: 'ready', timeline: small, durationMs: 5 });
    const big = aTimeline(manyEvents(MAX_EVENTS_SHOWN + 3));
    const status = readyStatus(big, 7);
    assert.ok(status.state === 'ready');
    assert.equal(status.eventsFound, MAX_EVENTS_SHOWN + 3);
    assert.equal(status.timeline.events.length, MAX_EVENTS_SHOWN);
    assert.deepEqual(status.timeline.events[0], big.events[0]);
    assert.equal(status.timeline.summary.events, MAX_EVENTS_SHOWN + 3);
  });
});
