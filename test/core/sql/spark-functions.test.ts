/**
 * Spark's functions checked against the examples of Spark's built-in function reference
 * (input → output pairs copied from it). Those examples run in an America/Los_Angeles session;
 * the engine's session is UTC, so the examples that depend on the zone are given in UTC.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AuditDatabase } from '../../../src/core/sql/database';
import { SqlError } from '../../../src/core/sql/dialect';

let database: AuditDatabase;
before(async () => {
  database = await AuditDatabase.open();
});
after(() => database.close());

/** The single value a one-row, one-column query returns. */
function value(sql: string): unknown {
  const result = database.query(`SELECT ${sql}`);
  assert.equal(result.rows.length, 1);
  return result.rows[0]![0];
}

function examples(pairs: readonly (readonly [string, unknown])[]): void {
  for (const [sql, expected] of pairs) assert.deepEqual(value(sql), expected, sql);
}

/** Rows `(col)` as a subquery, the way Spark's examples write `FROM VALUES (...) AS tab(col)`. */
const tab = (...values: (number | string | null)[]): string =>
  `(${values.map((v, i) => `SELECT ${v === null ? 'NULL' : typeof v === 'string' ? `'${v}'` : v}${i === 0 ? ' AS col' : ''}`).join(' UNION ALL ')})`;

describe('aggregates', () => {
  it('collect_list and collect_set return JSON arrays without NULLs, the set without duplicates', () => {
    assert.equal(database.query(`SELECT collect_list(col) FROM ${tab(1, 2, null, 1)}`).rows[0]![0], '[1,2,1]');
    assert.equal(database.query(`SELECT collect_list(DISTINCT col) FROM ${tab(1, 2, null, 1)}`).rows[0]![0], '[1,2]');
    assert.equal(database.query(`SELECT collect_set(col) FROM ${tab(1, 2, null, 1)}`).rows[0]![0], '[1,2]');
    assert.equal(database.query(`SELECT array_agg(col) FROM ${tab('a', null, 'b')}`).rows[0]![0], '["a","b"]');
    assert.equal(database.query(`SELECT collect_set(col) FROM ${tab(null)}`).rows[0]![0], '[]');
  });

  it('collect_set groups, and honours FILTER', () => {
    const rows = database.query(`SELECT col % 2 AS odd, collect_set(col) FROM ${tab(1, 2, 3, 3, 4)} GROUP BY 1 ORDER BY 1`).rows;
    assert.deepEqual(rows, [[0, '[2,4]'], [1, '[1,3]']]);
    const filtered = `SELECT collect_set(col) FILTER (WHERE col < 3) FROM ${tab(1, 2, null, 1, 3)}`;
    assert.equal(database.query(filtered).rows[0]![0], '[1,2]');
  });

  it('count_if counts the rows where the condition is true (NULL is not true)', () => {
    assert.equal(database.query(`SELECT count_if(col % 2 = 0) FROM ${tab(null, 0, 1, 2, 3)}`).rows[0]![0], 2);
    assert.equal(database.query(`SELECT count_if(col IS NULL) FROM ${tab(null, 0, 1, 2, 3)}`).rows[0]![0], 1);
    assert.equal(database.query(`SELECT count_if(col > 10) FROM ${tab(1)}`).rows[0]![0], 0);
  });
});

describe('arrays and maps (JSON text)', () => {
  it('size counts array elements and map keys, -1 for NULL (Spark 3 default)', () => {
    examples([
      [`size(json_array('b', 'd', 'c', 'a'))`, 4],
      [`size(json_object('a', 1, 'b', 2))`, 2],
      ['size(NULL)', -1],
      [`size('[]')`, 0],
    ]);
    assert.throws(() => value(`size('not json')`), (e: unknown) => e instanceof SqlError && /size: expected a JSON array or object/.test(e.userMessage));
  });

  it('array_contains: true, false, and NULL for NULL input or a NULL element without a match', () => {
    examples([
      ['array_contains(json_array(1, 2, 3), 2)', 1],
      ['array_contains(json_array(1, 2, 3), 4)', 0],
      [`array_contains('["a","b"]', 'b')`, 1],
      [`array_contains('["1"]', 1)`, 0],
      ['array_contains(NULL, 1)', null],
      ['array_contains(json_array(1, 2), NULL)', null],
      ['array_contains(json_array(1, NULL), 3)', null],
    ]);
  });

  it('array_join, array_distinct, sort_array', () => {
    examples([
      [`array_join(json_array('hello', 'world'), ' ')`, 'hello world'],
      [`array_join(json_array('hello', NULL, 'world'), ' ')`, 'hello world'],
      [`array_join(json_array('hello', NULL, 'world'), ' ', ',')`, 'hello , world'],
      ['array_distinct(json_array(1, 2, 3, NULL, 3))', '[1,2,3,null]'],
      [`sort_array(json_array('b', 'd', NULL, 'c', 'a'), 1)`, '[null,"a","b","c","d"]'],
      [`sort_array(json_array('b', 'd', NULL, 'c', 'a'), 0)`, '["d","c","b","a",null]'],
    ]);
  });

  it('subscripts: x[0] on arrays (NULL past the end), x[\'key\'] on maps', () => {
    examples([
      [`split('oneAtwoBthreeC', '[ABC]')[1]`, 'two'],
      [`split('a,b', ',')[5]`, null],
      [`json_object('a', 1)['a']`, 1],
      [`json_object('a', json_array(5, 6))['a'][1]`, 6],
      [`json_object('a', 1)['b']`, null],
    ]);
  });
});

describe('strings', () => {
  it('split follows Java: trailing empty strings kept, limit caps the parts', () => {
    examples([
      [`split('oneAtwoBthreeC', '[ABC]')`, '["one","two","three",""]'],
      [`split('oneAtwoBthreeC', '[ABC]', -1)`, '["one","two","three",""]'],
      [`split('oneAtwoBthreeC', '[ABC]', 2)`, '["one","twoBthreeC"]'],
      [`split(NULL, ',')`, null],
    ]);
  });

  it("reads a pattern's backslashes as Spark's parser does: '\\\\d' is \\d, '\\d' is d", () => {
    examples([
      [String.raw`regexp_extract('files: 12', 'files: (\\d+)')`, '12'],
      [String.raw`regexp_extract('d12', '(\d)')`, 'd'],
      [String.raw`'it\'s'`, "it's"],
    ]);
  });

  it('regexp_extract and regexp_replace', () => {
    examples([
      [`regexp_extract('100-200', "(\\\\d+)-(\\\\d+)", 1)`, '100'],
      [`regexp_extract('100-200', '(\\\\d+)-(\\\\d+)', 2)`, '200'],
      [`regexp_extract('100-200', '(\\\\d+)')`, '100'],
      [`regexp_extract('foo', '(\\\\d+)', 1)`, ''],
      [`regexp_extract(NULL, '(\\\\d+)', 1)`, null],
      [`regexp_replace('100-200', "(\\\\d+)", 'num')`, 'num-num'],
      [`regexp_replace('100-200', '(\\\\d+)', '<$1>')`, '<100>-<200>'],
      [`regexp_replace(NULL, 'x', 'y')`, null],
    ]);
    assert.throws(() => value(`regexp_extract('1-2', '(\\\\d)-(\\\\d)', 3)`), /index 3 is out of range/);
  });

  it('concat_ws skips NULLs; lpad and rpad pad or cut', () => {
    examples([
      [`concat_ws(' ', 'Spark', 'SQL')`, 'Spark SQL'],
      [`concat_ws('s')`, ''],
      [`concat_ws('/', 'foo', NULL, 'bar')`, 'foo/bar'],
      [`concat_ws(NULL, 'a')`, null],
      [`lpad('hi', 5, '??')`, '???hi'],
      [`lpad('hi', 1, '??')`, 'h'],
      [`lpad('hi', 5)`, '   hi'],
      [`rpad('hi', 5, '??')`, 'hi???'],
      [`rpad('hi', 1, '??')`, 'h'],
      [`rpad('hi', 5)`, 'hi   '],
      [`lpad(NULL, 5)`, null],
    ]);
  });

  it('left, right, instr, startswith, endswith, contains (NULL in, NULL out)', () => {
    examples([
      [`left('Spark SQL', 3)`, 'Spa'],
      [`right('Spark SQL', 3)`, 'SQL'],
      [`left('Spark SQL', 0)`, ''],
      [`instr('SparkSQL', 'SQL')`, 6],
      [`startswith('Spark SQL', 'Spark')`, 1],
      [`startswith('Spark SQL', 'SQL')`, 0],
      [`startswith('Spark SQL', NULL)`, null],
      [`endswith('Spark SQL', 'SQL')`, 1],
      [`endswith('Spark SQL', 'Spark')`, 0],
      [`contains('Spark SQL', 'Spark')`, 1],
      [`contains('Spark SQL', 'SPARK')`, 0],
      [`contains('Spark SQL', NULL)`, null],
      [`lower('SparkSql')`, 'sparksql'],
      [`upper('SparkSql')`, 'SPARKSQL'],
      [`trim('    SparkSQL   ')`, 'SparkSQL'],
    ]);
  });

  it('nvl, nvl2, ifnull', () => {
    examples([
      [`nvl(NULL, '2')`, '2'],
      [`nvl('1', '2')`, '1'],
      ['nvl2(NULL, 2, 1)', 1],
      ['nvl2(0, 2, 1)', 2],
      [`ifnull(NULL, '2')`, '2'],
    ]);
  });
});

describe('dates and times (UTC session)', () => {
  it('date_format with the common patterns, over text and epoch milliseconds', () => {
    const ms = Date.UTC(2024, 0, 5, 7, 8, 9, 45);
    examples([
      [`date_format('2016-04-08', 'y')`, '2016'],
      [`date_format(${ms}, 'yyyy-MM-dd')`, '2024-01-05'],
      [`date_format(${ms}, 'yyyy-MM-dd HH:mm:ss.SSS')`, '2024-01-05 07:08:09.045'],
      [`date_format('2024-01-05T19:08:09Z', 'yy/M/d h a EEE MMM')`, '24/1/5 7 PM Fri Jan'],
      [`date_format('2024-01-05 07:08:09', "yyyy-MM-dd'T'HH")`, '2024-01-05T07'],
      [`date_format(NULL, 'yyyy')`, null],
      [`date_format('not a date', 'yyyy')`, null],
    ]);
    assert.throws(() => value(`date_format('2024-01-05', 'yyyy QQ')`), /pattern letter 'Q'/);
  });

  it('date_trunc', () => {
    examples([
      [`date_trunc('YEAR', '2015-03-05T09:32:05.359')`, '2015-01-01 00:00:00'],
      [`date_trunc('MM', '2015-03-05T09:32:05.359')`, '2015-03-01 00:00:00'],
      [`date_trunc('DD', '2015-03-05T09:32:05.359')`, '2015-03-05 00:00:00'],
      [`date_trunc('HOUR', '2015-03-05T09:32:05.359')`, '2015-03-05 09:00:00'],
      [`date_trunc('MILLISECOND', '2015-03-05T09:32:05.123456')`, '2015-03-05 09:32:05.123'],
      [`date_trunc('WEEK', '2015-03-05T09:32:05')`, '2015-03-02 00:00:00'],
      [`date_trunc('QUARTER', '2015-05-05')`, '2015-04-01 00:00:00'],
      [`date_trunc('day', ${Date.UTC(2024, 0, 15, 10)})`, '2024-01-15 00:00:00'],
      [`date_trunc('fortnight', '2015-03-05')`, null],
    ]);
  });

  it('datediff, date_add, date_sub, to_date', () => {
    examples([
      [`datediff('2009-07-31', '2009-07-30')`, 1],
      [`datediff('2009-07-30', '2009-07-31')`, -1],
      [`date_add('2016-07-30', 1)`, '2016-07-31'],
      [`date_sub('2016-07-30', 1)`, '2016-07-29'],
      [`to_date('2009-07-30 04:17:52')`, '2009-07-30'],
      [`to_date('2016-12-31', 'yyyy-MM-dd')`, '2016-12-31'],
      [`to_date('2016-02-30')`, null],
      [`datediff(NULL, '2009-07-30')`, null],
      [`date_add(${Date.UTC(2024, 0, 31, 23)}, 1)`, '2024-02-01'],
    ]);
  });

  it('to_timestamp, unix_timestamp, from_unixtime (seconds, as in Spark)', () => {
    examples([
      [`to_timestamp('2016-12-31 00:12:00')`, '2016-12-31 00:12:00'],
      [`to_timestamp('2016-12-31', 'yyyy-MM-dd')`, '2016-12-31 00:00:00'],
      [`to_timestamp('31/12/2016', 'yyyy-MM-dd')`, null],
      ['to_timestamp(1460073600)', '2016-04-08 00:00:00'],
      // Spark's example gives 1460041200 in Los Angeles; midnight UTC is 7 hours later.
      [`unix_timestamp('2016-04-08', 'yyyy-MM-dd')`, 1460073600],
      [`unix_timestamp(${Date.UTC(2016, 3, 8)})`, 1460073600],
      // Spark's example prints 1969-12-31 16:00:00 in Los Angeles.
      [`from_unixtime(0, 'yyyy-MM-dd HH:mm:ss')`, '1970-01-01 00:00:00'],
      ['from_unixtime(0)', '1970-01-01 00:00:00'],
      [`from_unixtime(NULL)`, null],
    ]);
  });

  it('year, month, day, hour, minute, second, dayofweek', () => {
    examples([
      [`year('2016-07-30')`, 2016],
      [`month('2016-07-30')`, 7],
      [`day('2009-07-30')`, 30],
      [`dayofmonth('2009-07-30')`, 30],
      [`hour('2009-07-30 12:58:59')`, 12],
      [`minute('2009-07-30 12:58:59')`, 58],
      [`second('2009-07-30 12:58:59')`, 59],
      [`dayofweek('2009-07-30')`, 5],
      [`hour(${Date.UTC(2024, 0, 15, 22, 30)})`, 22],
      ['year(NULL)', null],
    ]);
  });

  it('current_date() and current_timestamp() are today in UTC, as Spark prints them', () => {
    const before = Date.now();
    const date = value('current_date()') as string;
    const timestamp = value('current_timestamp()') as string;
    const afterNow = Date.now();
    assert.ok([new Date(before).toISOString().slice(0, 10), new Date(afterNow).toISOString().slice(0, 10)].includes(date), date);
    assert.match(timestamp, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,3})?$/);
    const ms = Date.parse(timestamp.replace(' ', 'T') + 'Z');
    assert.ok(ms >= Math.floor(before / 1000) * 1000 && ms <= afterNow, timestamp);
    assert.equal(value('current_date'), date);
  });
});
