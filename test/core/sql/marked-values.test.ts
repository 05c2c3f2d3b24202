import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AuditDatabase } from '../../../src/core/sql/database';

/** A top-level nested path shows each JSON type as Spark shows it: the engine tells objects and arrays from strings. */
describe('a nested path in the select list', () => {
  let db: AuditDatabase;
  before(async () => {
    db = await AuditDatabase.open();
    const identity = JSON.stringify({ s: 'a@example.com', braces: '{not an object}', o: { k: [1, 2] }, a: [{ x: 1 }], n: 42, r: 2.5, t: true, z: null });
    // An integer past 64 bits, which SQLite reads as a real: shown by its exact digits.
    const big = identity.replace('"n":42', '"n":42,"big":123456789012345678901234567890');
    db.handle.exec(`INSERT INTO audit_logs (serviceName, userIdentity) VALUES ('one', '${big}'), ('two', NULL)`);
  });
  after(() => db.close());

  it('shows strings, numbers, booleans and nulls as values, objects and arrays as JSON, big integers exactly', () => {
    const result = db.query(
      'SELECT userIdentity.s, userIdentity.braces, userIdentity.o, userIdentity.a, userIdentity.n, userIdentity.big, userIdentity.r, userIdentity.t, userIdentity.z, userIdentity.missing FROM audit_logs ORDER BY serviceName',
    );
    assert.deepEqual(result.columnKinds, ['value', 'value', 'json', 'json', 'value', 'value', 'value', 'value', 'value', 'value']);
    assert.deepEqual(result.rows, [
      ['a@example.com', '{not an object}', '{"k":[1,2]}', '[{"x":1}]', 42, '123456789012345678901234567890', 2.5, 1, null, null],
      [null, null, null, null, null, null, null, null, null, null],
    ]);
  });
});
