/**
 * The regular-expression functions answer each row as if nothing were remembered: the compiled
 * pattern and the answers they keep from row to row never leak from one pattern, replacement or
 * position to another, nor across NULLs, long values or more values than they remember.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AuditDatabase } from '../../../src/core/sql/database';
import { AnswerMemo, patternCache } from '../../../src/core/sql/spark-regex';

let database: AuditDatabase;
before(async () => {
  database = await AuditDatabase.open();
});
after(() => database.close());

const rows = (sql: string): unknown[][] => database.query(sql, 100_000).rows;

/** `values` as rows `(v)`, in order, through a recursive CTE-free UNION ALL. */
const table = (values: readonly (string | null)[]): string =>
  `(${values.map((v, i) => `SELECT ${i} AS i, ${v === null ? 'NULL' : `'${v.replaceAll("'", "''")}'`} AS v`).join(' UNION ALL ')})`;

/** The same addresses many times over, as audit lines carry them (ports, brackets, repeats). */
const ADDRESSES = ['10.0.0.1', '10.0.0.1:443', '[2001:db8::1]:51234', '[2001:db8::1]', '10.0.0.2', null, '10.0.0.1:8080', ''];
const STRIP_PORT = String.raw`'^(?:\\[([^\\]]+)\\]|([^:]+))(?::[0-9]+)?$'`;
const stripPort = (s: string): string => s.replace(/^(?:\[([^\]]+)\]|([^:]+))(?::[0-9]+)?$/gu, '$1$2');

describe('regexp_replace', () => {
  it('gives each row its own answer when values repeat', () => {
    const values = Array.from({ length: 40 }, (_, i) => ADDRESSES[i % ADDRESSES.length]!);
    const got = rows(`SELECT regexp_replace(v, ${STRIP_PORT}, '$1$2') FROM ${table(values)} ORDER BY i`).map((r) => r[0]);
    assert.deepEqual(got, values.map((v) => (v === null ? null : stripPort(v))));
  });

  it('does not answer one pattern, replacement or position with what another gave for the same value', () => {
    const got = rows(
      `SELECT regexp_replace(v, 'a', 'x'), regexp_replace(v, 'b', 'x'), regexp_replace(v, 'a', 'y'), regexp_replace(v, 'a', 'x', 3)
       FROM ${table(['abab', 'abab', 'bbaa', 'abab'])} ORDER BY i`,
    );
    assert.deepEqual(got, [
      ['xbxb', 'axax', 'ybyb', 'abxb'],
      ['xbxb', 'axax', 'ybyb', 'abxb'],
      ['bbxx', 'xxaa', 'bbyy', 'bbxx'],
      ['xbxb', 'axax', 'ybyb', 'abxb'],
    ]);
  });

  it('answers values it cannot remember (long ones, more distinct ones than it keeps) the same way', () => {
    const long = `${'1.2.3.4'.repeat(200)}:99`;
    assert.deepEqual(rows(`SELECT regexp_replace(v, ':[0-9]+$', '') FROM ${table([long, long])}`), [[long.slice(0, -3)], [long.slice(0, -3)]]);
    const many = rows(`WITH RECURSIVE n(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM n WHERE k < 9999)
      SELECT count(*), sum(regexp_replace('10.0.' || (k % 5000) || ':' || k, ':[0-9]+$', '') = '10.0.' || (k % 5000)) FROM n`);
    assert.deepEqual(many, [[10_000, 10_000]]);
  });

  it('answers NULL for any NULL argument, whatever it answered before', () => {
    assert.deepEqual(rows(`SELECT regexp_replace(v, 'a', 'b'), regexp_replace('a', v, 'b'), regexp_replace('a', 'a', v) FROM ${table(['a', null, 'a'])} ORDER BY i`), [
      ['b', 'b', 'a'],
      [null, null, null],
      ['b', 'b', 'a'],
    ]);
  });
});

describe('REGEXP, RLIKE and regexp_like', () => {
  it('test each value against its own pattern when several patterns run in one query', () => {
    const got = rows(`SELECT v RLIKE '^a', v REGEXP 'b$', regexp_like(v, '^a'), regexp_like(v, 'b$') FROM ${table(['ab', 'ba', 'ab', null, 'aa'])} ORDER BY i`);
    assert.deepEqual(got, [
      [1, 1, 1, 1],
      [0, 0, 0, 0],
      [1, 1, 1, 1],
      [null, null, null, null],
      [1, 0, 1, 0],
    ]);
  });

  it('keeps telling service principals (UUID emails) from people as values repeat', () => {
    const uuid = '6f1c2e9a-3b4d-4e5f-8a7b-9c0d1e2f3a4b';
    const values = Array.from({ length: 30 }, (_, i) => [uuid, 'alice@example.com', 'ADE1C2E9-3B4D-4E5F-8A7B-9C0D1E2F3A4B', 'x'][i % 4]!);
    const got = rows(`SELECT v REGEXP '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' FROM ${table(values)} ORDER BY i`).map((r) => r[0]);
    assert.deepEqual(got, values.map((v) => (/^[0-9a-f]{8}-/i.test(v) ? 1 : 0)));
  });

  it('still names the function and the pattern when the pattern is invalid, after valid ones ran', () => {
    assert.deepEqual(rows(`SELECT 'a' RLIKE 'a'`), [[1]]);
    assert.throws(() => rows(`SELECT 'a' RLIKE '('`), /rlike: invalid regular expression '\('/);
    assert.throws(() => rows(`SELECT regexp_replace('a', '[', 'b')`), /regexp_replace: invalid regular expression '\['/);
  });
});

describe('the caches themselves', () => {
  it('a pattern cache compiles a pattern once and tells flags apart', () => {
    const compile = patternCache();
    const a = compile('a+', 'u', 'f');
    assert.equal(compile('a+', 'u', 'f'), a);
    assert.notEqual(compile('a+', 'gu', 'f'), a);
    assert.equal(compile('a+', 'gu', 'f').flags, 'gu');
    assert.equal(compile('a+', 'u', 'f'), a, 'found again after another pattern was used');
  });

  it('an answer memo computes a value once per pattern and detail, and forgets when either changes', () => {
    const memo = new AnswerMemo<string>();
    const calls: string[] = [];
    const compute = (tag: string) => (value: string): string => {
      calls.push(`${tag}:${value}`);
      return `${tag}(${value})`;
    };
    const [p, q] = [/x/u, /y/u];
    assert.equal(memo.answer(p, 'd', 'v', compute('1')), '1(v)');
    assert.equal(memo.answer(p, 'd', 'v', compute('2')), '1(v)');
    assert.equal(memo.answer(p, 'e', 'v', compute('3')), '3(v)');
    assert.equal(memo.answer(q, 'e', 'v', compute('4')), '4(v)');
    assert.deepEqual(calls, ['1:v', '3:v', '4:v']);
  });
});
