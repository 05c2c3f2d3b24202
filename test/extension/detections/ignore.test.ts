/**
 * "Ignore this actor / user agent for this detection": the value is added to the detection's list
 * in the workspace's parameter setting (a fake target here), starting from what the setting holds
 * or from the values the detection ran with, other entries kept, and never into the SQL.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { detections, type Detection } from '../../../src/core/analyses';
import { withParameterValues } from '../../../src/core/detections';
import { AuditLensError } from '../../../src/core/errors';
import { addIgnoredValue, canIgnore, type ParameterSettingTarget } from '../../../src/extension/detections/ignore';

function fakeTarget(initial: unknown): ParameterSettingTarget & { writes: Record<string, unknown>[] } {
  let value = initial;
  const writes: Record<string, unknown>[] = [];
  return {
    writes,
    read: () => value,
    write: async (next) => {
      writes.push(structuredClone(next));
      value = next;
    },
  };
}

const byId = (id: string): Detection => detections.find((d) => d.id === id)!;

describe('ignoring a finding\'s actor or user agent', () => {
  it('adds the actor to an empty setting, keeping the detection\'s default list', async () => {
    const target = fakeTarget(undefined);
    assert.equal(await addIgnoredValue(target, byId('permanent-deletes'), 'actor', 'bob@example.com'), 'added');
    assert.deepEqual(target.writes, [{ 'permanent-deletes': { ignoreActors: ['System-User', 'bob@example.com'] } }]);
  });

  it('appends to the list the setting holds, keeps other detections\' entries and parameters, and says when the value is there', async () => {
    const target = fakeTarget({ mounts: { ignoreActors: ['a@example.com'] }, 'permanent-deletes': { ignoreAgents: ['terraform/1.7'] }, odd: 'kept as it is' });
    assert.equal(await addIgnoredValue(target, byId('mounts'), 'actor', "o'brien@example.com"), 'added');
    assert.equal(await addIgnoredValue(target, byId('permanent-deletes'), 'agent', 'curl/8.4'), 'added');
    assert.equal(await addIgnoredValue(target, byId('mounts'), 'actor', 'a@example.com'), 'already');
    assert.equal(target.writes.length, 2);
    assert.deepEqual(target.writes[1], { mounts: { ignoreActors: ['a@example.com', "o'brien@example.com"] }, 'permanent-deletes': { ignoreAgents: ['terraform/1.7', 'curl/8.4'] }, odd: 'kept as it is' });
  });

  it('starts from the values the detection ran with (another level\'s setting) when the workspace holds none', async () => {
    const ran = withParameterValues(byId('mounts'), { ignoreActors: ['user-level@example.com'] });
    const target = fakeTarget({});
    assert.equal(await addIgnoredValue(target, ran, 'actor', 'user-level@example.com'), 'already');
    assert.equal(await addIgnoredValue(target, ran, 'actor', 'eve@example.com'), 'added');
    assert.deepEqual(target.writes, [{ mounts: { ignoreActors: ['user-level@example.com', 'eve@example.com'] } }]);
  });

  it('a detection without the list offers no ignore, and refuses one', async () => {
    assert.equal(canIgnore(byId('account-owner-change'), 'actor'), false);
    assert.equal(canIgnore(byId('mounts'), 'agent'), false);
    assert.equal(canIgnore(byId('mounts'), 'actor'), true);
    assert.equal(canIgnore(byId('secret-changes'), 'agent'), true);
    const target = fakeTarget(undefined);
    await assert.rejects(addIgnoredValue(target, byId('account-owner-change'), 'actor', 'x'), (e: unknown) => e instanceof AuditLensError && /has no ignoreActors parameter/.test(e.userMessage));
    await assert.rejects(addIgnoredValue(target, byId('mounts'), 'actor', '  '), /no actor to ignore/);
    assert.deepEqual(target.writes, []);
  });
});
