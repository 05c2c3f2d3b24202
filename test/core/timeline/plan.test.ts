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

test('a plan for an IP address selects it bare and with a port, as two statements both pushed into the load', () => {
  const filters = (value: string) => {
    const plan = planTimeline({ identity: { kind: 'ip', value } });
    return { statements: plan.statements.length, prefilter: plan.pushdown.prefilter?.statements?.map((s) => ({ fields: s.fields, fieldPrefixes: s.fieldPrefixes })) };
  };
  assert.deepEqual(filters('10.0.0.1'), {
    statements: 2,
    prefilter: [
      { fields: [{ path: 'sourceIPAddress', values: ['10.0.0.1'] }], fieldPrefixes: undefined },
      { fields: undefined, fieldPrefixes: [{ path: 'sourceIPAddress', prefix: '10.0.0.1:' }] },
    ],
  });
  assert.deepEqual(filters('2001:db8::1'), {
    statements: 2,
    prefilter: [
      { fields: [{ path: 'sourceIPAddress', values: ['2001:db8::1'] }], fieldPrefixes: undefined },
      { fields: undefined, fieldPrefixes: [{ path: 'sourceIPAddress', prefix: '[2001:db8::1]:' }] },
    ],
  });
  assert.deepEqual(filters('10.0.0.1:443'), { statements: 1, prefilter: [{ fields: [{ path: 'sourceIPAddress', values: ['10.0.0.1:443'] }], fieldPrefixes: undefined }] });
  assert.deepEqual(filters('[2001:db8::1]:443'), { statements: 1, prefilter: [{ fields: [{ path: 'sourceIPAddress', values: ['[2001:db8::1]:443'] }], fieldPrefixes: undefined }] });
  const wild = planTimeline({ identity: { kind: 'ip', value: '10_0%1' } });
  assert.match(wild.statements[1]!, /sourceIPAddress LIKE '10\\\\_0\\\\%1:%'/, "the address's own wildcards are escaped");
});
