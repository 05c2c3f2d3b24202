import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planTimeline } from '../../../src/core/timeline';

test("a plan reads the dates around the window and pushes the identity's fields into the load", () => {
  const plan = planTimeline({ identity: { kind: 'actor', value: 'ana@example.com' }, window: { from: Date.parse('2026-11-30T10:00:00Z'), to: Date.parse('2026-11-30T11:00:00Z') }, filter: { workspaces: ['0'] } });
  assert.equal(plan.statements.length, 2);
  assert.deepEqual(plan.filter, { workspaces: ['0'], from: '2026-11-29', to: '2026-12-01' });
  assert.equal(plan.empty, false);
  const fields = plan.pushdown.prefilter?.statements?.flatMap((s) => s.fields ?? []).map((f) => [f.path, f.values]);
  assert.deepEqual(fields, [['userIdentity.email', ['ana@example.com']], ['requestParams.user', ['ana@example.com']]]);
  assert.ok(plan.pushdown.columns?.includes('userIdentity'));
});

test('a plan without pushdown loads every line whole, and an empty window needs no load', () => {
  assert.deepEqual(planTimeline({ identity: { kind: 'ip', value: '10.0.0.1' }, pushdown: false }).pushdown, {});
  assert.equal(planTimeline({ identity: { kind: 'ip', value: '10.0.0.1' }, window: { from: 2, to: 1 } }).empty, true);
});
