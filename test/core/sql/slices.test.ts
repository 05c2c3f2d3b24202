/** What a notebook cell needs loaded, given the slices its table holds. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { afterLoading, NOTHING_LOADED, sliceNeed } from '../../../src/core/sql/slices';

describe('slices', () => {
  const logins = `SELECT DISTINCT userIdentity.email FROM audit_logs WHERE serviceName = "accounts" AND actionName LIKE "%login%"`;
  const both = `SELECT * FROM audit_logs WHERE serviceName IN ('accounts', 'clusters')`;

  it('asks for the services a cell names that are not loaded yet', () => {
    assert.deepEqual(sliceNeed(NOTHING_LOADED, logins), { kind: 'services', services: ['accounts'] });
    const accounts = afterLoading(NOTHING_LOADED, sliceNeed(NOTHING_LOADED, logins));
    assert.deepEqual(accounts, { kind: 'services', services: ['accounts'] });
    assert.deepEqual(sliceNeed(accounts, logins), { kind: 'covered' });
    assert.deepEqual(sliceNeed(accounts, both), { kind: 'services', services: ['clusters'] });
    assert.deepEqual(afterLoading(accounts, { kind: 'services', services: ['clusters'] }), { kind: 'services', services: ['accounts', 'clusters'] });
  });

  it('asks for everything when a cell names no service, and then every cell is covered', () => {
    for (const sql of ['SELECT count(*) FROM audit_logs', `SELECT * FROM audit_logs WHERE serviceName = 'a' OR 1`, 'SELECT * FROM audit_errors', 'CREATE TABLE t AS SELECT 1']) {
      assert.deepEqual(sliceNeed(NOTHING_LOADED, sql), { kind: 'all' }, sql);
    }
    const all = afterLoading(NOTHING_LOADED, { kind: 'all' });
    assert.deepEqual(all, { kind: 'all' });
    assert.deepEqual(sliceNeed(all, logins), { kind: 'covered' });
    assert.deepEqual(afterLoading(all, { kind: 'services', services: ['x'] }), { kind: 'all' });
  });
});
