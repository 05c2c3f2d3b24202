/**
 * Spark SQL as written: each case is a Spark or Databricks documented behaviour (the function
 * reference's examples, the SQL reference's rules for NULLs, windows and casts), run end to end.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AuditDatabase } from '../../../src/core/sql/database';
import { sqlErrorOf } from '../../support/sqlErrors';

let database: AuditDatabase;
before(async () => {
  database = await AuditDatabase.open();
});
after(() => database.close());

const row = (sql: string): unknown[] => {
  const result = database.query(sql);
  assert.equal(result.rows.length, 1, sql);
  return result.rows[0]!;
};
const value = (expression: string): unknown => row(`SELECT ${expression}`)[0];
const examples = (pairs: readonly (readonly [string, unknown])[]): void => {
  for (const [sql, expected] of pairs) assert.deepEqual(value(sql), expected, sql);
};
const DAY = 86_400_000;
const today = (): string => new Date().toISOString().slice(0, 10);
const daysAgo = (n: number): string => new Date(Date.parse(today()) - n * DAY).toISOString().slice(0, 10);

const sqlError = (sql: string) => sqlErrorOf(database, sql);

describe('dates and times as Spark computes them', () => {
  it('DATE - int is the date that many days earlier, not a number (wrong answer 1)', () => {
    examples([
      ['current_date() - 90', daysAgo(90)],
      ['current_date - 90', daysAgo(90)],
      ["DATE'2024-03-01' - 1", '2024-02-29'],
      ["DATE '2024-12-31' + 1", '2025-01-01'],
      ["DATE'2024-05-01' >= current_date - 90", 0],
    ]);
  });

  it('reads DATE and TIMESTAMP literals and refuses malformed ones at their position (item 4)', () => {
    examples([
      ["DATE'2026-10-05'", '2026-10-05'],
      ["TIMESTAMP'2024-05-06 01:56:39.666'", '2024-05-06 01:56:39.666'],
      ["TIMESTAMP '2024-05-06T01:56:39Z' > DATE'2024-05-06'", 1],
    ]);
    const error = sqlError("SELECT DATE'2024-13-01'");
    assert.equal(error.position?.column, 8);
    assert.match(error.userMessage, /not a valid date/);
  });

  it('compares the epoch-ms timestamp with date/times as instants, also in BETWEEN', () => {
    const at = (where: string): unknown => row(`SELECT count(*) FROM (SELECT 1714960599666 AS timestamp, '2024-05-06' AS date) WHERE ${where}`)[0];
    assert.equal(at("timestamp BETWEEN TIMESTAMP'2024-05-06 00:00:00' AND TIMESTAMP'2024-05-07 00:00:00'"), 1);
    assert.equal(at('timestamp NOT BETWEEN current_timestamp() - INTERVAL 1 DAY AND current_timestamp()'), 1);
    assert.equal(at("date BETWEEN DATE'2024-05-01' AND current_date()"), 1);
    assert.equal(at("timestamp >= TIMESTAMP'2024-05-06 01:56:39.667'"), 0);
  });

  it('adds intervals in every spelling; a DATE plus whole days stays a DATE', () => {
    examples([
      ["DATE'2024-05-01' + INTERVAL 1 DAY", '2024-05-02'],
      ["DATE'2024-05-01' - INTERVAL '1' DAY", '2024-04-30'],
      ["DATE'2024-01-31' + INTERVAL 1 MONTH", '2024-02-29'],
      ["TIMESTAMP'2024-05-01 10:00:00' - INTERVAL '1 day 2 hours'", '2024-04-30 08:00:00'],
      ["DATE'2024-05-01' + INTERVAL 90 MINUTES", '2024-05-01 01:30:00'],
    ]);
  });

  it('timestampdiff truncates toward zero; months count whole months (Databricks examples)', () => {
    examples([
      ["timestampdiff(HOUR, TIMESTAMP'2024-01-01 00:00:00', TIMESTAMP'2024-01-01 05:59:59')", 5],
      ["timestampdiff(MONTH, TIMESTAMP'2021-02-28 12:00:00', TIMESTAMP'2021-03-28 11:59:59')", 0],
      ["timestampdiff(MONTH, TIMESTAMP'2021-02-28 12:00:00', TIMESTAMP'2021-03-28 12:00:00')", 1],
      ["timestampdiff(YEAR, DATE'2021-01-01', DATE'1900-03-28')", -120],
      ["timestampdiff(MINUTE, TIMESTAMP'2024-01-01 00:10:00', TIMESTAMP'2024-01-01 00:00:30')", -9],
      ["datediff(DAY, DATE'2024-01-01', DATE'2024-01-03')", 2],
      ["timestampadd(HOUR, 3, TIMESTAMP'2022-02-28 23:00:00')", '2022-03-01 02:00:00'],
      ["timestampadd(MONTH, 1, DATE'2022-01-31')", '2022-02-28 00:00:00'],
      ['timestamp_millis(1230219000123)', '2008-12-25 15:30:00.123'],
      ['timestamp_seconds(1230219000)', '2008-12-25 15:30:00'],
      ["extract(HOUR FROM TIMESTAMP'2024-05-06 01:56:39')", 1],
      ["date_part('MONTH', DATE'2024-05-06')", 5],
      ["date_format(TIMESTAMP'2024-05-06 01:56:39', 'dd MMM yyyy HH:mm')", '06 May 2024 01:56'],
    ]);
  });

  it('window() buckets to the epoch as [start, end), read as .start/.end or through GROUP BY window', () => {
    examples([
      ["window(TIMESTAMP'2024-05-06 01:56:39', '60 minutes').start", '2024-05-06 01:00:00'],
      ["window(TIMESTAMP'2024-05-06 02:00:00', '1 hour').start", '2024-05-06 02:00:00'],
      ["window(TIMESTAMP'2024-05-06 01:59:59.999', '1 hour').end", '2024-05-06 02:00:00'],
      ["window(TIMESTAMP'2024-05-06 01:56:39', '10 minutes', '10 minutes', '5 minutes').start", '2024-05-06 01:55:00'],
    ]);
    const grouped = database.query(`
      SELECT window.start, window.end, count(*) AS n
      FROM (SELECT TIMESTAMP'2024-05-06 00:10:00' AS ts UNION ALL SELECT TIMESTAMP'2024-05-06 00:59:59' UNION ALL SELECT TIMESTAMP'2024-05-06 01:00:00')
      GROUP BY window(ts, '1 hour') ORDER BY 1`);
    assert.deepEqual(grouped.columns, ['start', 'end', 'n']);
    assert.deepEqual(grouped.rows, [
      ['2024-05-06 00:00:00', '2024-05-06 01:00:00', 2],
      ['2024-05-06 01:00:00', '2024-05-06 02:00:00', 1],
    ]);
    const whole = database.query("SELECT window(TIMESTAMP'2024-05-06 00:10:00', '1 hour')");
    assert.deepEqual(whole.columnKinds, ['json']);
    assert.deepEqual(JSON.parse(String(whole.rows[0]![0])), { start: '2024-05-06 00:00:00', end: '2024-05-06 01:00:00' });
    assert.match(sqlError("SELECT window(TIMESTAMP'2024-05-06 00:10:00', '1 hour', '10 minutes')").userMessage, /sliding window\(\) .* not supported yet/);
  });

  it('casts as Spark does with ANSI mode off: what does not convert is NULL', () => {
    examples([
      ["cast('2024-05-06T01:56:39.666Z' AS date)", '2024-05-06'],
      ["cast('2024-05-06 01:56:39' AS timestamp)", '2024-05-06 01:56:39'],
      ["cast(' 12 ' AS int)", 12],
      ["cast('1.9' AS int)", 1],
      ["try_cast('x' AS int)", null],
      ["cast('yes' AS boolean)", 1],
      ["'42'::bigint + 1", 43],
      ['cast(1714960599 AS timestamp)', '2024-05-06 01:56:39'],
      ["cast(3.14159 AS decimal(10, 2))", 3.14],
    ]);
  });
});

describe('strings, NULLs and collections', () => {
  it('keeps plain SQLite spellings working: CAST AS TEXT, date(x, modifier)', () => {
    examples([
      ['cast(12 AS TEXT)', '12'],
      ["date(1714960599, 'unixepoch')", '2024-05-06'],
      ["try_cast(12 AS TEXT)", '12'],
    ]);
  });

  it("reads backslash escapes in '…' strings (wrong answer 2 and item 4)", () => {
    examples([
      [String.raw`regexp_extract('files: 12', 'files: (\\d+)')`, '12'],
      [String.raw`'it\'s'`, "it's"],
      [String.raw`'a\tb'`, 'a\tb'],
      [String.raw`'C:\\temp' LIKE 'C:\\\\%'`, 1],
      [String.raw`'a_b' LIKE 'a\_b'`, 1],
      [String.raw`'axb' LIKE 'a\_b'`, 0],
    ]);
  });

  it('LIKE ANY / LIKE ALL / ILIKE, with NULL when no pattern decides', () => {
    examples([
      ["'foo' LIKE ANY ('%foo%', '%bar%')", 1],
      ["'foo' LIKE ALL ('%foo%', '%bar%')", 0],
      ["'foo' NOT LIKE ANY ('%x%', '%y%')", 1],
      ["'foo' LIKE ANY ('%x%', NULL)", null],
      ["'FOO' LIKE ANY ('%foo%')", 0],
      ["'FOO' ILIKE '%foo%'", 1],
    ]);
  });

  it('concat is NULL when any argument is; concat_ws skips NULLs (wrong answer 3)', () => {
    examples([
      ["concat('a', NULL)", null],
      ["concat('a', 'b', 1)", 'ab1'],
      ["concat_ws('-', 'a', NULL, 'b')", 'a-b'],
    ]);
  });

  it('isnull and isnotnull', () => {
    examples([
      ['isnull(NULL)', 1],
      ['isnull(0)', 0],
      ["isnotnull('')", 1],
    ]);
    assert.deepEqual(database.query('SELECT isnotnull(NULL)').columns, ['(NULL IS NOT NULL)']);
  });

  it('count(DISTINCT a, b) skips rows where any argument is NULL', () => {
    const rows = '(SELECT 1 a, 2 b UNION ALL SELECT 1, NULL UNION ALL SELECT 1, 2 UNION ALL SELECT NULL, 2 UNION ALL SELECT 2, 2)';
    assert.deepEqual(row(`SELECT count(DISTINCT a, b), count(DISTINCT a) FROM ${rows}`), [2, 2]);
  });

  it('substring_index, split_part, arrays and maps follow the function reference', () => {
    examples([
      ["substring_index('www.apache.org', '.', 2)", 'www.apache'],
      ["substring_index('www.apache.org', '.', -2)", 'apache.org'],
      ["split_part('11.12.13', '.', 3)", '13'],
      ['array_except(array(1, 2, 3), array(1, 3, 5))', '[2]'],
      ['arrays_overlap(array(1, 2, 3), array(3, 4, 5))', 1],
      ['arrays_overlap(array(1, 2), array(3, NULL))', null],
      ['element_at(array(1, 2, 3), -1)', 3],
      ['get(array(1, 2, 3), 3)', null],
      ["map_keys(map(1, 'a', 2, 'b'))", '["1","2"]'],
      ["element_at(from_json('{\"a\": 1}', 'map<string,string>'), 'a')", '1'],
      ["from_json('{\"a\":1, \"b\":0.8}', 'a INT, b DOUBLE')", '{"a":1,"b":0.8}'],
      ["from_json('{\"a\":\"12\", \"b\":true, \"c\":\"x\"}', 'struct<a:int,b:boolean,c:int,d:string>')", '{"a":12,"b":true,"c":null,"d":null}'],
      ["named_struct('a', 1, 'b', 'x')", '{"a":1,"b":"x"}'],
      ["array_sort(array('b', 'd', NULL, 'c', 'a'))", '["a","b","c","d",null]'],
      ['sequence(1, 5)', '[1,2,3,4,5]'],
      ['sequence(5, 1)', '[5,4,3,2,1]'],
      ["array_repeat('123', 2)", '["123","123"]'],
      ['try_divide(3, 2)', 1.5],
      ['try_divide(1, 0)', null],
      ['equal_null(NULL, NULL)', 1],
      ['\'{"a":{"b":[5,6]}}\':a.b[1]', '6'],
    ]);
  });

  it('hashes, encodings, time zones and more from the function reference', () => {
    examples([
      ["md5('Spark')", '8cde774d6f7333752ed72cacddb05126'],
      ["sha2('Spark', 256)", '529bc3b07127ecb7e53a4dcf1991d9152c24537d919178022b2c42657f79a26b'],
      ["base64('Spark SQL')", 'U3BhcmsgU1FM'],
      ["unbase64('U3BhcmsgU1FM')", 'Spark SQL'],
      ["str_to_map('a:1,b:2,c:3', ',', ':')", '{"a":"1","b":"2","c":"3"}'],
      ["format_string('Hello World %d %s', 100, 'days')", 'Hello World 100 days'],
      ["from_utc_timestamp('2016-08-31', 'Asia/Seoul')", '2016-08-31 09:00:00'],
      ["to_utc_timestamp('2016-08-31', 'Asia/Seoul')", '2016-08-30 15:00:00'],
      ["months_between('1997-02-28 10:30:00', '1996-10-30')", 3.94959677],
      ["months_between('1997-02-28 10:30:00', '1996-10-30', false)", 3.9495967741935485],
      ["date_add(DAY, 2, DATE'2024-01-30')", '2024-02-01 00:00:00'],
      ["date_diff(HOUR, TIMESTAMP'2024-01-01 00:00:00', TIMESTAMP'2024-01-01 03:30:00')", 3],
    ]);
    assert.deepEqual(row('SELECT stddev(x), variance(x), var_pop(x) FROM (SELECT 1 x UNION ALL SELECT 2 UNION ALL SELECT 3)'), [1, 1, 2 / 3]);
  });

  it('explodes arrays and maps, in LATERAL VIEW and in the SELECT list', () => {
    const from = `(SELECT 'u1' AS u, '["a","b"]' AS arr, '{"k":"v"}' AS m UNION ALL SELECT 'u2', '[]', NULL)`;
    assert.deepEqual(database.query(`SELECT u, c FROM ${from} LATERAL VIEW explode(arr) t AS c ORDER BY u, c`).rows, [['u1', 'a'], ['u1', 'b']]);
    assert.deepEqual(database.query(`SELECT u, c FROM ${from} LATERAL VIEW OUTER explode(arr) t AS c ORDER BY u, c`).rows, [['u1', 'a'], ['u1', 'b'], ['u2', null]]);
    assert.deepEqual(database.query(`SELECT u, pos, c FROM ${from} LATERAL VIEW posexplode(arr) t AS pos, c WHERE c = 'b'`).rows, [['u1', 1, 'b']]);
    assert.deepEqual(database.query(`SELECT u, k, v FROM ${from} LATERAL VIEW explode(m) t AS k, v`).rows, [['u1', 'k', 'v']]);
    const selected = database.query(`SELECT u, explode(arr) FROM ${from} ORDER BY 2`);
    assert.deepEqual(selected.columns, ['u', 'col']);
    assert.deepEqual(selected.rows, [['u1', 'a'], ['u1', 'b']]);
  });

  it('reads keys with LATERAL VIEW json_tuple, NULL where a key is absent', () => {
    const from = `(SELECT 'u1' u, '{"cluster_id":"c1","zone":{"a":1}}' AS result UNION ALL SELECT 'u2', '{"x":1}')`;
    const result = database.query(`SELECT u, cid, r.zone FROM ${from} LATERAL VIEW json_tuple(result, 'cluster_id', 'zone') r AS cid, zone ORDER BY u`);
    assert.deepEqual(result.columns, ['u', 'cid', 'zone']);
    assert.deepEqual(result.rows, [['u1', 'c1', '{"a":1}'], ['u2', null, null]]);
  });

  it('first/last, max_by/min_by, percentiles', () => {
    const rows = `(SELECT 'a' x, 10 y UNION ALL SELECT 'b', 40 UNION ALL SELECT 'c', 20 UNION ALL SELECT 'd', 30)`;
    assert.deepEqual(row(`SELECT max_by(x, y), min_by(x, y), percentile(y, 0.5), approx_percentile(y, 0.5), median(y) FROM ${rows}`), ['b', 'a', 25, 20, 25]);
    assert.deepEqual(row(`SELECT first(x), last(x) FROM (SELECT * FROM ${rows} ORDER BY y)`), ['a', 'b']);
    const many = database.query(`SELECT percentile_approx(col, array(0.5, 0.4, 0.1), 100) FROM (SELECT 0 col UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 10)`);
    assert.deepEqual(many.columnKinds, ['json']);
    assert.deepEqual(many.rows, [['[1,1,0]']]);
  });

  it('QUALIFY filters on window functions, or on the SELECT list\'s own window columns', () => {
    const from = "(SELECT 'a' u, 1 n UNION ALL SELECT 'a', 2 UNION ALL SELECT 'b', 5)";
    const latest = database.query(`SELECT u, n FROM ${from} QUALIFY row_number() OVER (PARTITION BY u ORDER BY n DESC) = 1 ORDER BY u`);
    assert.deepEqual(latest.columns, ['u', 'n']);
    assert.deepEqual(latest.rows, [['a', 2], ['b', 5]]);
    const byAlias = database.query(`SELECT u, n, row_number() OVER (PARTITION BY u ORDER BY n) AS rn FROM ${from} QUALIFY rn = 1 ORDER BY u`);
    assert.deepEqual(byAlias.rows, [['a', 1, 1], ['b', 5, 1]]);
    const grouped = database.query(`SELECT upper(u), count(*) FROM ${from} GROUP BY u QUALIFY rank() OVER (ORDER BY count(*) DESC) = 1`);
    assert.deepEqual(grouped.columns, ['upper(u)', 'count(1)']);
    assert.deepEqual(grouped.rows, [['A', 2]]);
  });

  it('window functions with PARTITION BY … ORDER BY and ROWS BETWEEN run as in Spark', () => {
    const result = database.query(`
      SELECT x, sum(y) OVER (PARTITION BY g ORDER BY y ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS s, row_number() OVER (PARTITION BY g ORDER BY y DESC) AS r
      FROM (SELECT 'a' x, 1 g, 10 y UNION ALL SELECT 'b', 1, 20 UNION ALL SELECT 'c', 1, 40) ORDER BY x`);
    assert.deepEqual(result.rows, [['a', 10, 3], ['b', 30, 2], ['c', 60, 1]]);
    const edges = database.query(
      "SELECT first(x) OVER (ORDER BY y) AS f, last(x) OVER (ORDER BY y ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS l FROM (SELECT 'a' x, 1 y UNION ALL SELECT 'b', 2)",
    );
    assert.deepEqual(edges.rows, [['a', 'b'], ['a', 'b']]);
  });
});

describe('names, shapes and errors as Spark shows them', () => {
  it('names unaliased expressions as Spark does (item 6)', () => {
    const result = database.query(
      `SELECT count(requestParams.name), upper(serviceName), concat(actionName, '-'), timestamp + 1, count(*), serviceName FROM audit_logs`,
    );
    assert.deepEqual(result.columns, ['count(requestParams.name)', 'upper(serviceName)', 'concat(actionName, -)', '(timestamp + 1)', 'count(1)', 'serviceName']);
  });

  it('prints current_timestamp() and timestamps one way: yyyy-MM-dd HH:mm:ss[.SSS]', () => {
    assert.match(String(value('current_timestamp()')), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,3})?$/);
  });

  it('returns arrays as JSON values, not text, at the top level (item 6)', () => {
    const result = database.query("SELECT collect_set(x) AS s, split('a,b', ','), size(collect_list(x)) FROM (SELECT 1 x UNION ALL SELECT 1)");
    assert.deepEqual(result.columnKinds, ['json', 'json', 'value']);
    assert.deepEqual(result.rows, [['[1]', '["a","b"]', 2]]);
  });

  it('a backtick name that names no column is an error naming it (not a string)', () => {
    const error = sqlError('SELECT `nosuch` FROM audit_logs');
    assert.match(error.userMessage, /no such column: nosuch/);
    assert.equal(error.position?.column, 8);
  });

  it('names what is not supported, with its position (item 5)', () => {
    const cases: [string, RegExp, number][] = [
      ['SELECT transform(split(a, ","), x -> upper(x)) FROM audit_logs', /Spark's higher-order function transform\(\)/, 8],
      ['SELECT * FROM audit_logs TABLESAMPLE (10 PERCENT)', /Spark's TABLESAMPLE is not supported yet/, 26],
      ['SELECT * FROM audit_logs\nQUALIFY row_number() OVER (ORDER BY timestamp) = 1', /QUALIFY works here only with the columns listed/, 8],
      ['SELECT * FROM audit_logs PIVOT (count(*) FOR serviceName IN ("a"))', /Spark's PIVOT is not supported yet/, 26],
      ['SELECT serviceName FROM audit_logs GROUP BY serviceName WITH ROLLUP', /Spark's WITH ROLLUP/, 57],
      ['SELECT schema_of_json(requestParams) FROM audit_logs', /Spark's schema_of_json\(\) is not supported yet/, 8],
      ['SELECT serviceName FROM audit_logs GROUP BY GROUPING SETS ((serviceName))', /Spark's GROUPING SETS is not supported yet/, 45],
      ['SELECT serviceName FROM audit_logs DISTRIBUTE BY serviceName', /Spark's DISTRIBUTE BY is not supported yet/, 36],
      ['SELECT * FROM audit_logs, LATERAL (SELECT 1)', /Spark's LATERAL subquery is not supported yet/, 27],
      ['SELECT cast(requestParams AS map<string,string>) FROM audit_logs', /casting to MAP<STRING,STRING> is not supported yet/, 30],
      ['SELECT INTERVAL 1 DAY', /INTERVAL works here only as/, 8],
      ['SELECT response.result:a[*] FROM audit_logs', /JSON path wildcard \[\*\] is not supported yet/, 25],
      ['SELECT nosuchfn(1)', /no such function: nosuchfn \(neither a Spark function/, 8],
    ];
    for (const [sql, message, column] of cases) {
      const error = sqlError(sql);
      assert.match(error.userMessage, message, sql);
      assert.equal(error.position?.column, column, sql);
    }
  });
});

describe('the system_access_audit view', () => {
  it("has every column of Databricks' documented system.access.audit schema", () => {
    const columns = database.query('SELECT * FROM system_access_audit LIMIT 0').columns;
    for (const column of [
      'account_id', 'workspace_id', 'version', 'event_time', 'event_date', 'source_ip_address', 'user_agent', 'session_id', 'user_identity',
      'service_name', 'action_name', 'request_id', 'request_params', 'response', 'audit_level', 'event_id', 'identity_metadata',
    ]) {
      assert.ok(columns.includes(column), column);
    }
  });

  it('reads event_id, user_identity.subject_name, response.status_code and request_params as a map', async () => {
    const db = await AuditDatabase.open();
    try {
      db.handle.run(
        `INSERT INTO audit_logs (timestamp, serviceName, actionName, userIdentity, requestParams, response, requestId, _file, _offset) VALUES
         (1714960599666, 'accounts', 'login', '{"email":"a@x.com","subjectName":"a"}', '{"user":"a","n":"1"}', '{"statusCode":403}', 'r1', 'f', 0),
         (1714960600000, 'accounts', 'login', '{"email":"b@x.com"}', '{}', '{"statusCode":200}', 'r2', 'f', 100)`,
      );
      const result = db.query(`
        SELECT event_id, event_time, user_identity.email, user_identity.subject_name, response.status_code, request_params['user'],
               map_keys(request_params), identity_metadata.run_by
        FROM system_access_audit ORDER BY event_time`);
      assert.equal(result.rows.length, 2);
      const [first, second] = result.rows;
      assert.match(String(first![0]), /^[0-9a-f]{32}$/);
      assert.notEqual(first![0], second![0]);
      assert.deepEqual(first!.slice(1), ['2024-05-06 01:56:39.666', 'a@x.com', 'a', 403, 'a', '["user","n"]', null]);
      assert.deepEqual(second!.slice(1, 5), ['2024-05-06 01:56:40', 'b@x.com', null, 200]);
      assert.equal(db.query('SELECT count(*) FROM system_access_audit WHERE event_date >= current_date() - 9000').rows[0]![0], 2);
    } finally {
      db.close();
    }
  });
});
