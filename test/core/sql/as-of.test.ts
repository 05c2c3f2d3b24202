/**
 * Relative windows as published detections write them ("last 24 hours", date_sub(current_date(), 90),
 * current_timestamp() - INTERVAL 7 DAYS), replayed at a past instant, give the rows DuckDB gives
 * with that instant written in as a literal; and every "now" of one statement is one value.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AuditDatabase } from '../../../src/core/sql/database';
import { exportQuery } from '../../../src/core/sql/export';
import { writeDeliveryTree, type DeliveryTree } from '../../support/deliveryTree';
import { comparableRows } from './spark-corpus/corpus';
import { duckRows, openBothEngines, type TwoEngines } from './spark-corpus/duckdb';
import { corpusTree } from './spark-corpus/tree';

const DAY = 86_400_000;
/** Mid-afternoon, so "the last 24 hours" cuts through two days. */
const AS_OF = Date.parse('2025-03-14T15:27:41.250Z');
const AT_TIMESTAMP = "TIMESTAMP '2025-03-14 15:27:41.25'";
const AT_DATE = "DATE '2025-03-14'";
const AT_SECONDS = Math.floor(AS_OF / 1000);

/** Days around the instant: the 4 days before it, 6–9, 88–91 days back, and 1–4 days after it. */
function treeAroundAsOf(): DeliveryTree {
  return writeDeliveryTree([AS_OF, AS_OF - 6 * DAY, AS_OF - 88 * DAY, AS_OF + 4 * DAY].flatMap((now) => corpusTree(30, now)));
}

interface Replay {
  name: string;
  spark: string;
  duck: string;
}

const REPLAYS: Replay[] = [
  {
    name: 'audit_logs, last 24 hours (epoch seconds)',
    spark: 'SELECT requestId, serviceName FROM audit_logs WHERE timestamp >= (unix_timestamp() - 86400) * 1000 AND timestamp <= unix_timestamp() * 1000',
    duck: `SELECT requestId, serviceName FROM audit_logs WHERE timestamp >= (${AT_SECONDS}::BIGINT - 86400) * 1000 AND timestamp <= ${AT_SECONDS}::BIGINT * 1000`,
  },
  {
    name: 'audit_logs, last 24 hours (timestamps and an interval)',
    spark: 'SELECT requestId FROM audit_logs WHERE timestamp_millis(timestamp) >= current_timestamp() - INTERVAL 24 HOURS',
    duck: `SELECT requestId FROM audit_logs WHERE epoch_ms(timestamp) >= ${AT_TIMESTAMP} - INTERVAL 24 HOURS`,
  },
  {
    name: 'audit_logs, date_sub(current_date(), 90)',
    spark: 'SELECT date, count(*) FROM audit_logs WHERE date >= date_sub(current_date(), 90) AND date <= current_date() GROUP BY date',
    duck: `SELECT strftime(date, '%Y-%m-%d'), count(*) FROM audit_logs WHERE date >= ${AT_DATE} - 90 AND date <= ${AT_DATE} GROUP BY date`,
  },
  {
    name: 'audit_logs, current_timestamp() - INTERVAL 7 DAYS',
    spark: `SELECT userIdentity.email, count(*) FROM audit_logs WHERE serviceName = 'accounts' AND timestamp_millis(timestamp) >= current_timestamp() - INTERVAL 7 DAYS AND timestamp_millis(timestamp) < current_timestamp() GROUP BY 1`,
    duck: `SELECT userIdentity.email, count(*) FROM audit_logs WHERE serviceName = 'accounts' AND epoch_ms(timestamp) >= ${AT_TIMESTAMP} - INTERVAL 7 DAYS AND epoch_ms(timestamp) < ${AT_TIMESTAMP} GROUP BY 1`,
  },
  {
    name: 'system_access_audit, last 24 hours',
    spark: 'SELECT request_id, action_name FROM system_access_audit WHERE event_time >= current_timestamp() - INTERVAL 24 HOURS AND event_time <= now()',
    duck: `SELECT request_id, action_name FROM system_access_audit WHERE event_time >= ${AT_TIMESTAMP} - INTERVAL 24 HOURS AND event_time <= ${AT_TIMESTAMP}`,
  },
  {
    name: 'system_access_audit, date_sub(current_date(), 90)',
    spark: `SELECT service_name, count(*) FROM system_access_audit WHERE event_date >= date_sub(current_date(), 90) AND event_date < current_date GROUP BY service_name`,
    duck: `SELECT service_name, count(*) FROM system_access_audit WHERE event_date >= ${AT_DATE} - 90 AND event_date < ${AT_DATE} GROUP BY service_name`,
  },
  {
    name: 'system_access_audit, current_timestamp() - INTERVAL 7 DAYS',
    spark: `SELECT request_params.scope, count(*) FROM system_access_audit WHERE service_name = 'secrets' AND event_time >= current_timestamp() - INTERVAL 7 DAYS AND event_time < current_timestamp GROUP BY 1`,
    duck: `SELECT request_params['scope'], count(*) FROM system_access_audit WHERE service_name = 'secrets' AND event_time >= ${AT_TIMESTAMP} - INTERVAL 7 DAYS AND event_time < ${AT_TIMESTAMP} GROUP BY 1`,
  },
  {
    name: "SQLite's own 'now': datetime('now', '-1 day')",
    spark: "SELECT requestId FROM audit_logs WHERE timestamp >= unixepoch(datetime('now', '-1 day')) * 1000 AND timestamp < unixepoch('now', 'subsec') * 1000",
    duck: `SELECT requestId FROM audit_logs WHERE timestamp >= epoch_ms(${AT_TIMESTAMP} - INTERVAL 1 DAY) // 1000 * 1000 AND timestamp < epoch_ms(${AT_TIMESTAMP})`,
  },
];

describe('a statement replayed at a past instant', () => {
  let tree: DeliveryTree;
  let engines: TwoEngines;
  let database: AuditDatabase;

  before(async () => {
    tree = treeAroundAsOf();
    engines = await openBothEngines(tree.root);
    database = engines.database;
  });

  after(() => {
    engines.close();
    tree.remove();
  });

  for (const replay of REPLAYS) {
    it(`gives DuckDB's rows with the instant written in: ${replay.name}`, async () => {
      const expected = comparableRows(await duckRows(engines.duck, replay.duck), false);
      assert.ok(expected.length > 0, 'the window holds rows');
      const everything = database.query('SELECT count(*) FROM audit_logs').rows[0]![0] as number;
      assert.ok(expected.length < everything, 'the window leaves rows out');
      assert.deepEqual(comparableRows(database.query(replay.spark, 100_000, { asOf: AS_OF }).rows, false), expected);
    });
  }

  it('answers at the wall clock without an instant: the past window is then empty', () => {
    const lastDay = REPLAYS[1]!.spark;
    assert.equal(database.query(lastDay, 10).rowCount, 0);
    assert.ok(database.query(lastDay, 10, { asOf: AS_OF }).rowCount > 0);
  });

  it('gives every "now" of the dialect the instant', () => {
    const sql = `SELECT current_timestamp(), current_timestamp, now(), localtimestamp, localtimestamp(), current_date(), current_date, curdate(),
      unix_timestamp(), CURRENT_TIME, datetime('now'), date('now'), datetime(), strftime('%Y-%m-%dT%H:%M:%f'), julianday('now'), unixepoch('now')`;
    assert.deepEqual(database.query(sql, 1, { asOf: AS_OF }).rows[0], [
      '2025-03-14 15:27:41.25', '2025-03-14 15:27:41.25', '2025-03-14 15:27:41.25', '2025-03-14 15:27:41.25', '2025-03-14 15:27:41.25',
      '2025-03-14', '2025-03-14', '2025-03-14',
      AT_SECONDS, '15:27:41', '2025-03-14 15:27:41', '2025-03-14', '2025-03-14 15:27:41', '2025-03-14T15:27:41.250',
      AS_OF / DAY + 2440587.5, AT_SECONDS,
    ]);
  });

  it('keeps one value per statement, at the wall clock too: two calls, and every row, are equal', () => {
    const sql = `SELECT count(DISTINCT current_timestamp()), count(DISTINCT now()), count(DISTINCT datetime('now', 'subsec')), count(DISTINCT unix_timestamp()),
      sum(current_timestamp() <> now())
      FROM audit_logs a CROSS JOIN (SELECT 1 FROM audit_logs LIMIT 20)`;
    const [row] = database.query(sql, 1).rows;
    assert.deepEqual(row!.slice(0, 4), [1, 1, 1, 1]);
    assert.equal(row![4], 0);
  });

  it('gives each statement of a query, and an export, the instant', async () => {
    const result = database.query('CREATE TEMP TABLE pinned AS SELECT current_timestamp() AS at; SELECT at, current_timestamp() FROM pinned', 1, { asOf: AS_OF });
    assert.deepEqual(result.rows, [['2025-03-14 15:27:41.25', '2025-03-14 15:27:41.25']]);
    database.query('DROP TABLE pinned', 1);
    let text = '';
    await exportQuery(database, 'SELECT current_date() AS today', 'json-document', async (chunk) => void (text += chunk), { asOf: AS_OF });
    assert.deepEqual(JSON.parse(text), { columns: ['today'], rows: [['2025-03-14']], rowCount: 1, asOf: '2025-03-14T15:27:41.250Z' });
  });
});
