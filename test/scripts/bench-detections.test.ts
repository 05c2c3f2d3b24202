/**
 * The translator of the benchmark's DuckDB equivalents: what it writes for each Spark construct
 * the built-in detections use, that DuckDB gives those translations Spark's answers, and that it
 * refuses what it cannot translate faithfully.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { duckdbEquivalents, javaReplacementToRe2, toDuckDbSql } from '../../scripts/bench-detections';

describe('toDuckDbSql', () => {
  it('reads requestParams keys, backticked ones too, as JSON paths and leaves the struct columns alone', () => {
    assert.equal(
      toDuckDbSql('SELECT requestParams.user, requestParams.`script-SHA256`, userIdentity.email, response.statusCode FROM audit_logs'),
      `SELECT json_extract_string(requestParams, '$."user"'), json_extract_string(requestParams, '$."script-SHA256"'), userIdentity.email, response.statusCode FROM audit_logs`,
    );
    assert.equal(toDuckDbSql('SELECT a.requestParams.x.y FROM audit_logs a'), `SELECT json_extract_string(a.requestParams, '$."x"."y"') FROM audit_logs a`);
  });

  it("reads Spark's backslash escapes and double-quoted strings into DuckDB strings", () => {
    assert.equal(toDuckDbSql(String.raw`SELECT '\\[x\]', "it's", 'a\'b', 'tab\there'`), `SELECT '\\[x]', 'it''s', 'a''b', 'tab\there'`);
  });

  it('writes RLIKE as regexp_matches over the terms on either side, NOT kept outside', () => {
    assert.equal(toDuckDbSql("SELECT 1 WHERE COALESCE(a, '') RLIKE '^x'"), "SELECT 1 WHERE regexp_matches(COALESCE(a, '') , '^x')");
    assert.equal(toDuckDbSql("SELECT 1 WHERE lower(b) NOT RLIKE 'y'"), "SELECT 1 WHERE NOT regexp_matches(lower(b)  , 'y')");
    assert.equal(toDuckDbSql("SELECT 1 WHERE requestParams.changes RLIKE 'z'"), `SELECT 1 WHERE regexp_matches(json_extract_string(requestParams, '$."changes"') , 'z')`);
  });

  it('refuses an RLIKE operand that is not a single term, rather than binding it differently', () => {
    assert.throws(() => toDuckDbSql("SELECT 1 WHERE a || b RLIKE 'c'"), /not a single term/);
  });

  it("replaces every match in regexp_replace, with Java's group references as RE2's", () => {
    assert.equal(toDuckDbSql("SELECT regexp_replace(s, '(a)|(b)', '$1$2')"), String.raw`SELECT regexp_replace(s, '(a)|(b)', '\1\2', 'g')`);
    assert.equal(javaReplacementToRe2(String.raw`\$1 costs $1 \\`), String.raw`$1 costs \1 \\`);
    assert.throws(() => toDuckDbSql("SELECT regexp_replace(s, 'a', 'b', 2)"), /only the 3-argument form/);
  });

  it('truncates a quotient before casting it to an integer, and leaves other casts alone', () => {
    assert.equal(toDuckDbSql('SELECT CAST(timestamp / 3600000 AS BIGINT), CAST(x AS BIGINT), CAST(y / 2 AS DOUBLE)'), 'SELECT CAST(trunc(timestamp / 3600000) AS BIGINT), CAST(x AS BIGINT), CAST(y / 2 AS DOUBLE)');
  });

  it('gives _line as NULL and keeps _file, the column the load names so', () => {
    assert.equal(toDuckDbSql('SELECT _file, _line FROM audit_logs'), 'SELECT _file, CAST(NULL AS BIGINT) AS _line FROM audit_logs');
  });

  it('escapes a LIKE pattern with a backslash as Spark does, and spells == and <=> as DuckDB does', () => {
    assert.equal(toDuckDbSql(String.raw`SELECT 1 WHERE a LIKE '100\%' AND b == 1 AND c <=> d AND e > 10L`), String.raw`SELECT 1 WHERE a LIKE '100\%' ESCAPE '\' AND b = 1 AND c  IS NOT DISTINCT FROM  d AND e > 10`);
  });

  it('translates every built-in detection', () => {
    const equivalents = duckdbEquivalents();
    assert.equal(equivalents.length, 33);
    for (const { id, sql } of equivalents) assert.doesNotMatch(sql, /\bRLIKE\b|requestParams\.|`/i, id);
  });
});

describe("DuckDB's answers to the translations are Spark's", () => {
  let instance: DuckDBInstance;
  let connection: DuckDBConnection;
  before(async () => {
    instance = await DuckDBInstance.create(':memory:');
    connection = await instance.connect();
  });
  after(() => {
    connection.closeSync();
    instance.closeSync();
  });
  const answer = async (spark: string): Promise<unknown> => (await connection.runAndReadAll(toDuckDbSql(spark))).getRowsJson()[0]![0];

  it('strips the port from an address the way the detections do', async () => {
    const pattern = String.raw`'^(?:\\[([^\\]]+)\\]|([^:]+))(?::[0-9]+)?$'`;
    assert.equal(await answer(`SELECT regexp_replace('[::1]:443', ${pattern}, '$1$2')`), '::1');
    assert.equal(await answer(`SELECT regexp_replace('10.0.0.1:5678', ${pattern}, '$1$2')`), '10.0.0.1');
  });

  it('replaces every match, not the first', async () => {
    assert.equal(await answer("SELECT regexp_replace('a-b-c', '-', '+')"), 'a+b+c');
  });

  it("truncates toward zero like Spark's cast of a double", async () => {
    assert.equal(await answer('SELECT CAST(7 / 2 AS BIGINT)'), '3');
    assert.equal(await answer('SELECT CAST(-7 / 2 AS BIGINT)'), '-3');
  });

  it('finds an RLIKE match anywhere in the text, and an escaped LIKE wildcard only as itself', async () => {
    assert.equal(await answer("SELECT 'x trufflehog y' RLIKE 'trufflehog|gitleaks'"), true);
    assert.equal(await answer(String.raw`SELECT '"add" : ["MANAGE"]' RLIKE '"add"\\s*:\\s*\\[[^\\]]*"(MANAGE)"'`), true);
    assert.equal(await answer(String.raw`SELECT '100x' LIKE '100\%'`), false);
    assert.equal(await answer(String.raw`SELECT '100%' LIKE '100\%'`), true);
  });
});
