import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lex as tokenize, SqlError, significant, translateSparkSql } from '../../../src/core/sql/dialect';

const kinds = (sql: string): string[] => significant(tokenize(sql)).map((t) => `${t.kind}:${t.text}`);
const translate = (sql: string): string => translateSparkSql(sql).sql;

function thrownSqlError(work: () => unknown): SqlError {
  try {
    work();
  } catch (error) {
    assert.ok(error instanceof SqlError, `expected a SqlError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected an error');
}

describe('tokenize', () => {
  it('reads strings, quoted identifiers, comments, numbers, blobs, parameters and operators', () => {
    assert.deepEqual(kinds(`SELECT 'it''s', "a""b", \`c d\`, [e f], 1.5e3, .5, 0x1F, x'00ff', ?1, :name, @v, $w`), [
      'word:SELECT',
      "string:'it''s'",
      'punct:,',
      'dquoted:"a""b"',
      'punct:,',
      'backtick:`c d`',
      'punct:,',
      'bracket:[e f]',
      'punct:,',
      'number:1.5e3',
      'punct:,',
      'number:.5',
      'punct:,',
      'number:0x1F',
      'punct:,',
      "blob:x'00ff'",
      'punct:,',
      'param:?1',
      'punct:,',
      'param::name',
      'punct:,',
      'param:@v',
      'punct:,',
      'param:$w',
    ]);
    assert.deepEqual(kinds('a->>b->c||d<>e!=f<=g>=h==i<<j>>k -- tail\n/* block */ %'), [
      'word:a', 'operator:->>', 'word:b', 'operator:->', 'word:c', 'operator:||', 'word:d', 'operator:<>', 'word:e',
      'operator:!=', 'word:f', 'operator:<=', 'word:g', 'operator:>=', 'word:h', 'operator:==', 'word:i', 'operator:<<',
      'word:j', 'operator:>>', 'word:k', 'operator:%',
    ]);
  });

  it('keeps offsets that cover the whole text', () => {
    const sql = "SELECT a -- c\n, 'x' FROM t";
    const tokens = tokenize(sql);
    assert.equal(tokens.map((t) => t.text).join(''), sql);
    for (const t of tokens) assert.equal(sql.slice(t.start, t.end), t.text);
  });

  it('reports an unterminated string at its opening quote, with line and column', () => {
    const error = thrownSqlError(() => tokenize("SELECT 1\nFROM t WHERE a = 'oops"));
    assert.deepEqual(error.position, { line: 2, column: 18, offset: 26 });
    assert.match(error.userMessage, /line 2, column 18: unterminated string/);
  });

  it('reports unterminated comments, identifiers and stray characters', () => {
    assert.equal(thrownSqlError(() => tokenize('SELECT /* x')).position?.offset, 7);
    assert.equal(thrownSqlError(() => tokenize('SELECT `x')).position?.offset, 7);
    assert.equal(thrownSqlError(() => tokenize('SELECT [x')).position?.offset, 7);
    assert.match(thrownSqlError(() => tokenize('SELECT a # b')).userMessage, /column 10: unexpected character "#"/);
  });
});

describe('translateSparkSql', () => {
  it('rewrites the first seed query: nested path, double-quoted strings, last-segment name', () => {
    const sql = translate('SELECT DISTINCT userIdentity.email, sourceIPAddress\nFROM audit_logs\nWHERE serviceName = "accounts" AND actionName LIKE "%login%"');
    // The table keeps this path as a column of its own (see hot-columns.ts); over any other table the JSON is read.
    assert.match(sql, /^SELECT DISTINCT CASE WHEN _hot_user_email IS NULL .* AS `email`, sourceIPAddress\n/);
    const overMine = translate('SELECT DISTINCT userIdentity.email, sourceIPAddress\nFROM mine');
    assert.match(overMine, /^SELECT DISTINCT CASE json_type\(userIdentity, '\$\."email"'\) WHEN 'object' THEN/);
    assert.match(overMine, / AS `email`, sourceIPAddress\n/);
    assert.match(sql, /WHERE serviceName = 'accounts' AND actionName LIKE '%login%'$/);
  });

  it('names an unaliased COUNT(*) count(1) and rewrites paths in GROUP BY', () => {
    const sql = translate('SELECT requestParams.spark_version, COUNT(*) FROM audit_logs GROUP BY requestParams.spark_version');
    assert.match(sql, /AS `spark_version`, COUNT\(\*\) AS `count\(1\)` FROM/);
    assert.ok(sql.endsWith(`GROUP BY CASE json_type(requestParams, '$."spark_version"') WHEN 'text' THEN json_extract(requestParams, '$."spark_version"') WHEN 'null' THEN NULL ELSE requestParams -> '$."spark_version"' END`), sql);
  });

  it('leaves aliased items alone', () => {
    const sql = translate('SELECT requestParams.a AS x, requestParams.b y, count(*) AS n FROM audit_logs');
    assert.doesNotMatch(sql, /AS `a`|AS `b`|count\(1\)/);
    assert.match(sql, /END AS x, /);
    assert.match(sql, /END y, count\(\*\) AS n FROM/);
  });

  it('follows paths of depth 3 and more, with table qualifiers and backtick segments', () => {
    assert.equal(
      translate('SELECT 1 FROM audit_logs a WHERE a.requestParams.new_cluster.spark_conf.`spark.x-y` = 1'),
      `SELECT 1 FROM audit_logs a WHERE json_extract(a.requestParams, '$."new_cluster"."spark_conf"."spark.x-y"') = 1`,
    );
    assert.equal(
      translate('SELECT 1 FROM t WHERE requestParams.`script-SHA256` IS NOT NULL'),
      `SELECT 1 FROM t WHERE CASE json_type(requestParams, '$."script-SHA256"') WHEN 'text' THEN json_extract(requestParams, '$."script-SHA256"') WHEN 'null' THEN NULL ELSE requestParams -> '$."script-SHA256"' END IS NOT NULL`,
    );
    assert.equal(
      translate('SELECT 1 FROM main.audit_logs WHERE main.audit_logs.response.statusCode = 200'),
      `SELECT 1 FROM main.audit_logs WHERE json_extract(main.audit_logs.response, '$."statusCode"') = 200`,
    );
  });

  it('matches JSON column names case-insensitively, as Spark does', () => {
    assert.equal(translate('SELECT 1 WHERE REQUESTPARAMS.x = 1'), `SELECT 1 WHERE CASE json_type(REQUESTPARAMS, '$."x"') WHEN 'text' THEN json_extract(REQUESTPARAMS, '$."x"') WHEN 'null' THEN NULL ELSE REQUESTPARAMS -> '$."x"' END = 1`);
    assert.equal(translate('SELECT 1 WHERE request_params.x = 1'), `SELECT 1 WHERE CASE json_type(request_params, '$."x"') WHEN 'text' THEN json_extract(request_params, '$."x"') WHEN 'null' THEN NULL ELSE request_params -> '$."x"' END = 1`);
    assert.equal(translate('SELECT 1 WHERE USERIDENTITY.email = 1'), `SELECT 1 WHERE json_extract(USERIDENTITY, '$."email"') = 1`);
  });

  it('reads one requestParams key as a string, as Databricks declares it (map<string,string>)', () => {
    const value = `CASE json_type(a.requestParams, '$."num_workers"') WHEN 'text' THEN json_extract(a.requestParams, '$."num_workers"') WHEN 'null' THEN NULL ELSE a.requestParams -> '$."num_workers"' END`;
    assert.equal(translate('SELECT a.requestParams.num_workers FROM audit_logs a'), `SELECT ${value} AS \`num_workers\` FROM audit_logs a`);
    assert.equal(translate('SELECT 1 WHERE requestParams.a.b = 1'), `SELECT 1 WHERE json_extract(requestParams, '$."a"."b"') = 1`);
  });

  it('rewrites paths in every clause', () => {
    const sql = translate(
      'SELECT count(*) AS n FROM audit_logs JOIN x ON x.id = requestParams.id WHERE response.statusCode = 403 GROUP BY userIdentity.email HAVING max(requestParams.n) > 1 ORDER BY userIdentity.email',
    );
    assert.doesNotMatch(sql, /requestParams\.|response\.|userIdentity\./);
    assert.equal(sql.match(/json_extract\(/g)?.length, 5);
  });

  it('names nested paths in subqueries too, but marks only top-level output values', () => {
    const sql = translate('SELECT spark_version FROM (SELECT requestParams.spark_version FROM audit_logs) t');
    assert.equal(sql, `SELECT spark_version FROM (SELECT CASE json_type(requestParams, '$."spark_version"') WHEN 'text' THEN json_extract(requestParams, '$."spark_version"') WHEN 'null' THEN NULL ELSE requestParams -> '$."spark_version"' END AS \`spark_version\` FROM audit_logs) t`);
    const nested = translate('SELECT deep FROM (SELECT response.result.deep FROM audit_logs) t');
    assert.equal(nested, `SELECT deep FROM (SELECT json_extract(response, '$."result"."deep"') AS \`deep\` FROM audit_logs) t`);
  });

  it('turns backticks into SQLite identifiers and double quotes into strings, escapes included', () => {
    assert.equal(translate('SELECT `weird name`, "it\'s ""x"" \\"y\\"" FROM t'), `SELECT \`weird name\`, 'it''s "x" "y"' AS \`it's "x" "y"\` FROM t`);
  });

  it('does not touch strings, comments or function calls that look like paths', () => {
    const sql = "SELECT 'requestParams.x' AS s, json_extract(requestParams, '$.a.b') AS j -- requestParams.y\nFROM t /* response.z */ WHERE main.requestParams(1)";
    assert.equal(translate(sql), sql);
  });

  it('leaves plain SQLite alone: ->>, CTEs, window functions, single-quoted strings', () => {
    const sql =
      "WITH c AS (SELECT serviceName, requestParams ->> '$.x' AS x FROM audit_logs) SELECT serviceName, row_number() OVER (PARTITION BY serviceName ORDER BY x) AS r FROM c WHERE x LIKE 'a%'";
    assert.equal(translate(sql), sql);
  });

  it('translates Spark spellings: <=>, RLIKE, get_json_object', () => {
    assert.equal(
      translate("SELECT get_json_object(response, '$.statusCode') AS s FROM t WHERE a <=> NULL AND b rlike '^x'"),
      "SELECT json_extract(response, '$.statusCode') AS s FROM t WHERE a  IS  NULL AND b REGEXP '^x'",
    );
  });

  it('maps output offsets back to the user\'s SQL', () => {
    const source = 'SELECT requestParams.a, "s", bogus FROM t';
    const t = translateSparkSql(source);
    assert.equal(t.sourceOffset(t.sql.indexOf('bogus')), source.indexOf('bogus'));
    assert.equal(t.sourceOffset(t.sql.indexOf("'s'")), source.indexOf('"s"'));
    assert.equal(t.sourceOffset(t.sql.indexOf('json_extract')), source.indexOf('requestParams'));
  });
});
