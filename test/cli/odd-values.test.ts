/** Values out of range print NULL (as Spark prints them), never `0NaN-NaN-NaN` or `Infinity`. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { aRecord, writeDeliveryTree, type DeliveryTree } from '../support/deliveryTree';
import { assertBuilt, queryJson, runCli } from '../support/cli';

describe('out-of-range timestamps and string timestamps', () => {
  let tree: DeliveryTree;

  before(() => {
    assertBuilt();
    tree = writeDeliveryTree([
      {
        workspaceId: '1',
        date: '2024-01-15',
        lines: [
          JSON.stringify(aRecord({ requestId: 'huge', timestamp: 1e20 })),
          JSON.stringify(aRecord({ requestId: 'infinite' })).replace(/"timestamp":\d+/, '"timestamp":1e400'),
          JSON.stringify({ ...aRecord({ requestId: 'text' }), timestamp: '2024-01-15T10:00:00Z' }),
        ],
      },
    ]);
  });
  after(() => tree.remove());

  const SQL = `SELECT requestId, date_format(timestamp, 'yyyy-MM-dd') AS day, to_timestamp(timestamp / 1000) AS ts, from_unixtime(timestamp / 1000) AS unix, date_add(timestamp, 1) AS next
    FROM audit_logs ORDER BY requestId`;

  it('date functions give NULL for an instant no date can show', async () => {
    const { rows } = await queryJson(SQL, [tree.root]);
    assert.deepEqual(rows.find((r) => r[0] === 'huge'), ['huge', null, null, null, null]);
    assert.deepEqual(rows.find((r) => r[0] === 'infinite'), ['infinite', null, null, null, null]);
  });

  it('the table prints NULL, not NaN dates or Infinity', async () => {
    const run = await runCli(['query', 'SELECT requestId, timestamp, date_format(timestamp, \'yyyy-MM-dd\') AS day FROM audit_logs ORDER BY requestId', '--source', tree.root]);
    assert.equal(run.code, 0, run.stderr);
    assert.doesNotMatch(run.stdout, /NaN|Infinity/);
    assert.match(run.stdout, /^infinite +NULL +NULL$/m);
  });

  it('event_time and event_date read a string timestamp as the instant it names', async () => {
    const { rows } = await queryJson("SELECT event_time, event_date, unix_millis(event_time) FROM system_access_audit WHERE request_id = 'text'", [tree.root]);
    assert.deepEqual(rows, [['2024-01-15 10:00:00', '2024-01-15', Date.UTC(2024, 0, 15, 10)]]);
  });
});
