/** What a notebook cell needs loaded, given the slices its table holds. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compilePrefilter } from '../../../src/core/sql/pushdown';
import { afterLoading, NOTHING_LOADED, sliceLabels, slicePrefilter, sliceNeed } from '../../../src/core/sql/slices';

describe('slices', () => {
  const logins = `SELECT DISTINCT userIdentity.email FROM audit_logs WHERE serviceName = "accounts" AND actionName LIKE "%login%"`;
  const both = `SELECT * FROM audit_logs WHERE serviceName IN ('accounts', 'clusters')`;
  const creates = `SELECT requestParams.spark_version, COUNT(*) FROM audit_logs WHERE serviceName = "clusters" AND actionName = "create" GROUP BY 1`;
  const edits = `SELECT * FROM audit_logs WHERE serviceName = 'clusters' AND actionName IN ('edit', 'create')`;

  it('asks for the services a cell names that are not loaded yet', () => {
    const accountsSql = `SELECT actionName, count(*) FROM audit_logs WHERE serviceName = 'accounts' GROUP BY 1`;
    assert.deepEqual(sliceNeed(NOTHING_LOADED, accountsSql), { kind: 'slices', slices: [{ service: 'accounts' }] });
    const accounts = afterLoading(NOTHING_LOADED, sliceNeed(NOTHING_LOADED, accountsSql));
    assert.deepEqual(accounts, { kind: 'slices', slices: [{ service: 'accounts' }] });
    assert.deepEqual(sliceNeed(accounts, logins), { kind: 'covered' });
    assert.deepEqual(sliceNeed(accounts, both), { kind: 'slices', slices: [{ service: 'clusters' }] });
    assert.deepEqual(sliceLabels(afterLoading(accounts, { kind: 'slices', slices: [{ service: 'clusters' }] })), ['accounts', 'clusters']);
  });

  it('asks only for the actions a cell names exactly, then for the rest of the service when a cell needs it', () => {
    const need = sliceNeed(NOTHING_LOADED, creates);
    assert.deepEqual(need, { kind: 'slices', slices: [{ service: 'clusters', actions: ['create'] }] });
    const created = afterLoading(NOTHING_LOADED, need);
    assert.deepEqual(sliceNeed(created, creates), { kind: 'covered' });
    assert.deepEqual(sliceNeed(created, edits), { kind: 'slices', slices: [{ service: 'clusters', actions: ['edit'], held: { actions: ['create'] } }] });
    const edited = afterLoading(created, sliceNeed(created, edits));
    assert.deepEqual(sliceLabels(edited), ['clusters (create, edit)']);
    // A cell that reads every clusters record loads the others, not those held.
    const rest = sliceNeed(edited, both);
    assert.deepEqual(rest, { kind: 'slices', slices: [{ service: 'accounts' }, { service: 'clusters', held: { actions: ['create', 'edit'] } }] });
    assert.deepEqual(sliceLabels(afterLoading(edited, rest)), ['accounts', 'clusters']);
    assert.deepEqual(sliceNeed(afterLoading(edited, rest), edits), { kind: 'covered' });
  });

  it('asks for the records a LIKE pattern matches, and counts only the very pattern as held', () => {
    const need = sliceNeed(NOTHING_LOADED, logins);
    assert.deepEqual(need, { kind: 'slices', slices: [{ service: 'accounts', patterns: ['%login%'] }] });
    const held = afterLoading(NOTHING_LOADED, need);
    assert.deepEqual(sliceLabels(held), ["accounts (LIKE '%login%')"]);
    assert.deepEqual(sliceNeed(held, logins), { kind: 'covered' });
    // An action the pattern matches is loaded again and dropped as held: never held twice, never missed.
    const exact = `SELECT count(*) FROM audit_logs WHERE serviceName = 'accounts' AND actionName = 'login'`;
    assert.deepEqual(sliceNeed(held, exact), { kind: 'slices', slices: [{ service: 'accounts', actions: ['login'], held: { patterns: ['%login%'] } }] });
    const prefilter = slicePrefilter([{ service: 'accounts', patterns: ['%login%'] }]);
    assert.deepEqual(prefilter.statements, [{ serviceNames: ['accounts'], actionContains: ['login'] }]);
  });

  it('turns a slice load into a prefilter whose names test skips held actions', () => {
    const prefilter = compilePrefilter(slicePrefilter([{ service: 'clusters', held: { actions: ['create'] } }, { service: 'jobs', actions: ['runNow'] }]))!;
    assert.equal(prefilter.namesMatch('clusters', 'create'), false);
    assert.equal(prefilter.namesMatch('clusters', 'delete'), true);
    assert.equal(prefilter.namesMatch('clusters', null), true);
    assert.equal(prefilter.namesMatch('jobs', 'runNow'), true);
    assert.equal(prefilter.namesMatch('jobs', 'create'), false);
  });

  it('asks for everything when a cell names no service, and then every cell is covered', () => {
    for (const sql of ['SELECT count(*) FROM audit_logs', `SELECT * FROM audit_logs WHERE serviceName = 'a' OR 1`, 'SELECT * FROM audit_errors', 'CREATE TABLE t AS SELECT 1']) {
      assert.deepEqual(sliceNeed(NOTHING_LOADED, sql), { kind: 'all' }, sql);
    }
    const all = afterLoading(NOTHING_LOADED, { kind: 'all' });
    assert.deepEqual(all, { kind: 'all' });
    assert.deepEqual(sliceNeed(all, logins), { kind: 'covered' });
    assert.deepEqual(afterLoading(all, { kind: 'slices', slices: [{ service: 'x' }] }), { kind: 'all' });
    assert.equal(sliceLabels(all), undefined);
  });
});
