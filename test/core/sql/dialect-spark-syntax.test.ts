import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AuditDatabase } from '../../../src/core/sql/database';
import { SqlError, translateSparkSql } from '../../../src/core/sql/dialect';

/** The translation with runs of spaces squashed (dropped tokens leave their surrounding spaces). */
const translate = (sql: string): string => translateSparkSql(sql).sql.replace(/ {2,}/g, ' ');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('Spark syntax rewrites', () => {
  it('calls the spark_* functions for names SQLite reserves, and spells nvl/nvl2 natively', () => {
    assert.equal(translate('SELECT current_date(), current_timestamp(), left(a, 1), right(a, 2) FROM t'), 'SELECT spark_current_date() AS `current_date()`, spark_current_timestamp() AS `current_timestamp()`, spark_left(a, 1) AS `left(a, 1)`, spark_right(a, 2) AS `right(a, 2)` FROM t');
    assert.equal(translate('SELECT nvl(a, 1), nvl2(a, f(b, c), 3) FROM t'), 'SELECT ifnull(a, 1) AS `nvl(a, 1)`, CASE WHEN (a) IS NOT NULL THEN ( f(b, c)) ELSE ( 3) END AS `nvl2(a, f(b, c), 3)` FROM t');
    assert.equal(translate('SELECT 1 FROM a LEFT JOIN b ON 1 RIGHT JOIN c ON 1'), 'SELECT 1 FROM a LEFT JOIN b ON 1 RIGHT JOIN c ON 1');
  });

  it('turns subscripts into json_extract, and requestParams[\'k\'] into its string value', () => {
    assert.equal(translate("SELECT split(a, ',')[0] FROM t"), `SELECT spark_mark_json_text(json_extract(split(a, ','), '$[0]')) AS \`split(a, ,)[0]\` FROM t`, 'an element may be an array: marked when it is');
    assert.equal(translate("SELECT userIdentity['email'] FROM t"), `SELECT spark_mark_json_text(json_extract(userIdentity, '$."email"')) AS \`userIdentity['email']\` FROM t`);
    assert.equal(translate("SELECT x FROM (SELECT split(a, ',')[0] AS x FROM t)"), `SELECT x FROM (SELECT json_extract(split(a, ','), '$[0]') AS x FROM t)`, 'marked at the top level only');
    assert.match(translate("SELECT requestParams['user'] FROM t"), /^SELECT CASE json_type\(requestParams, '\$\."user"'\) WHEN 'text'/);
    assert.equal(translate('SELECT x [y] FROM t'), 'SELECT x [y] FROM t', 'a spaced bracket stays an alias');
  });

  it('rewrites <date/time function> ± INTERVAL and compares date/times as epoch ms', () => {
    assert.equal(
      translate('SELECT 1 FROM audit_logs WHERE timestamp >= current_timestamp() - INTERVAL 24 HOURS'),
      "SELECT 1 FROM audit_logs WHERE spark_epoch_ms(timestamp) >= spark_epoch_ms(spark_time_add(spark_current_timestamp() , -24, 'hour', 0))",
    );
    assert.equal(
      translate("SELECT 1 FROM t WHERE date_sub(current_date(), 1) + INTERVAL '2' DAYS - INTERVAL 30 minutes < date"),
      "SELECT 1 FROM t WHERE spark_epoch_ms(spark_time_add(spark_time_add(date_sub(spark_current_date(), 1) , 2, 'day', 1) , -30, 'minute', 0)) < spark_epoch_ms(date)",
    );
    assert.equal(translate('SELECT current_date - INTERVAL 1 WEEK'), "SELECT spark_time_add(spark_current_date() , -1, 'week', 1) AS `(current_date - INTERVAL 1 WEEK)`");
    assert.equal(translate("SELECT 1 FROM t WHERE d > current_date() - INTERVAL '1' MONTH"), "SELECT 1 FROM t WHERE spark_epoch_ms(d) > spark_epoch_ms(spark_time_add(spark_current_date() , -1, 'month', 1))");
  });

  it('leaves comparisons it cannot read whole alone', () => {
    const sql = 'SELECT 1 FROM t WHERE x + timestamp > current_date() AND date_format(timestamp, "yyyy") = "2024"';
    assert.equal(translate(sql), `SELECT 1 FROM t WHERE x + timestamp > spark_current_date() AND date_format(timestamp, 'yyyy') = '2024'`);
  });

  it('refuses other INTERVAL forms at their position', () => {
    for (const [sql, column] of [
      ['SELECT 1 FROM t WHERE timestamp > INTERVAL 3 DAYS', 35],
      ['SELECT timestamp - INTERVAL 1 DAY FROM t', 20],
      ["SELECT current_date() - INTERVAL '1 fortnight'", 25],
    ] as const) {
      assert.throws(() => translate(sql), (e: unknown) => e instanceof SqlError && e.position?.column === column && /INTERVAL works here only as/.test(e.userMessage), sql);
    }
  });
});

describe('Spark syntax over audit_logs', () => {
  let database: AuditDatabase;
  const now = Date.now();
  const ages = [1 * HOUR, 30 * HOUR, 5 * DAY, 10 * DAY];
  const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
  before(async () => {
    database = await AuditDatabase.open();
    const insert = database.handle.prepare(
      'INSERT INTO audit_logs (timestamp, date, serviceName, actionName, userIdentity, requestParams, sourceIPAddress) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    ages.forEach((age, i) => {
      const ts = now - age;
      insert.run([ts, day(ts), 'accounts', i % 2 ? 'tokenLogin' : 'login', JSON.stringify({ email: i === 3 ? null : `u${i % 2}@example.com` }), JSON.stringify({ user: `u${i}` }), `10.0.0.${i}`]);
    });
    insert.free();
  });
  after(() => database.close());

  const count = (where: string, table = 'audit_logs'): unknown => database.query(`SELECT count(*) FROM ${table} WHERE ${where}`).rows[0]![0];

  it('filters the epoch-ms timestamp column by INTERVAL windows', () => {
    assert.equal(count('timestamp >= current_timestamp() - INTERVAL 24 HOURS'), 1);
    assert.equal(count('timestamp > current_timestamp() - INTERVAL 2 DAYS'), 2);
    assert.equal(count('current_timestamp() - INTERVAL 7 DAYS <= timestamp'), 3);
    assert.equal(count('`timestamp` >= now() - INTERVAL 90 MINUTES'), 1);
  });

  it('compares the date partition as Spark does: date - day interval is midnight as a TIMESTAMP', () => {
    const midnight = Math.floor(now / DAY) * DAY;
    assert.equal(count('date >= current_date() - INTERVAL 7 DAYS'), ages.filter((a) => Date.parse(day(now - a)) >= midnight - 7 * DAY).length);
    assert.equal(count('date >= date_sub(current_date(), 7)'), ages.filter((a) => day(now - a) >= day(midnight - 7 * DAY)).length);
  });

  it('filters the system_access_audit view\'s ISO event_time and event_date', () => {
    assert.equal(count('event_time >= current_timestamp() - INTERVAL 24 HOURS', 'system_access_audit'), 1);
    assert.equal(count('event_date > current_date() - INTERVAL 30 DAYS', 'system_access_audit'), 4);
  });

  it('runs a detection written for Databricks: repeated logins per user with their IPs', () => {
    const result = database.query(`
      SELECT userIdentity.email, count_if(actionName = "login") AS logins, size(collect_set(sourceIPAddress)) AS ips,
             date_format(max(timestamp), 'yyyy-MM-dd') AS last_day, requestParams['user'] AS some_user
      FROM audit_logs
      WHERE serviceName = "accounts" AND timestamp >= current_date() - INTERVAL 30 DAYS AND userIdentity.email IS NOT NULL
      GROUP BY userIdentity.email ORDER BY email`);
    assert.deepEqual(result.columns, ['email', 'logins', 'ips', 'last_day', 'some_user']);
    assert.deepEqual(result.rows.map((r) => r.slice(0, 4)), [
      ['u0@example.com', 2, 2, day(now - HOUR)],
      ['u1@example.com', 0, 1, day(now - 30 * HOUR)],
    ]);
  });
});
