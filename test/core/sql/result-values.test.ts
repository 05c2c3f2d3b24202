import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AuditDatabase } from '../../../src/core/sql/database';
import { rowsJsonText } from '../../../src/core/sql/values';

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

  it('hands rows back as JSON text, when asked, exactly as the values would render: big integers, reals, JSON columns and values, text that only looks like JSON, blobs, NULL', () => {
    const sql = `SELECT 42 AS n, 9007199254740993 AS big, 2.5 AS r, '{"a":[1,2]}' AS requestParams, 'not {json' AS response,
      named_struct('k', 1) AS s, x'00ff' AS b, NULL AS z, 'quote " and \\ backslash' AS t, '[1,' AS userIdentity
      UNION ALL SELECT 1, 2, 3.0, NULL, '[]', named_struct('k', 2), NULL, 0, '', '{}'`;
    const values = db.query(sql);
    const json = db.query(sql, undefined, {}, 'json');
    assert.deepEqual(json.rows, []);
    assert.equal(json.rowsJson, rowsJsonText(values.rows, values.columnKinds));
    const { rowsJson: _, ...jsonRest } = json;
    assert.deepEqual({ ...jsonRest, durationMs: 0 }, { ...values, rows: [], durationMs: 0 });
    const parsed = JSON.parse(json.rowsJson!) as unknown[][];
    assert.equal(parsed.length, 2);
    assert.deepEqual(parsed[0]!.slice(0, 5), [42, '9007199254740993', 2.5, { a: [1, 2] }, 'not {json']);
    assert.deepEqual(parsed[0]![5], { k: 1 });
    assert.deepEqual(parsed[0]!.slice(7), [null, values.rows[0]![8], '[1,']);
    assert.deepEqual(parsed[1]!.slice(3, 5), [null, []]);
  });

  it('hands back an empty JSON array for a result without rows, and counts rows past the cap', () => {
    assert.equal(db.query('SELECT 1 WHERE 0', undefined, {}, 'json').rowsJson, '[]');
    const capped = db.query('SELECT column1 FROM (VALUES (1), (2), (3))', 2, {}, 'json');
    assert.equal(capped.rowsJson, '[[1],[2]]');
    assert.equal(capped.rowCount, 3);
    assert.equal(capped.truncated, true);
  });
});
