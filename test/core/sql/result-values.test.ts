import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AuditDatabase } from '../../../src/core/sql/database';

describe('the values of a query result', () => {
  let db: AuditDatabase;
  before(async () => {
    db = await AuditDatabase.open();
  });
  after(() => db.close());

  it('keeps integers exact: numbers up to 2^53, their digits past it; reals stay numbers', () => {
    const result = db.query('SELECT 42, -9007199254740991, 9007199254740993, -9007199254740993, 2.5, 9007199254740992.0, 1e300, NULL, "text"');
    assert.deepEqual(result.rows, [[42, -9007199254740991, '9007199254740993', '-9007199254740993', 2.5, 9007199254740992, 1e300, null, 'text']]);
  });

  it('reads each row of a result on its own: a big integer in one row leaves the others as numbers', () => {
    const result = db.query('SELECT column1 FROM (VALUES (1), (9223372036854775807), (3))');
    assert.deepEqual(result.rows, [[1], ['9223372036854775807'], [3]]);
  });
});
