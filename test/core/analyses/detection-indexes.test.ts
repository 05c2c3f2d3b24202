/** What a detection run builds and derives: one service index with the status code (SQLite is asked which index each built-in plans to use), and its pushdown once per list. */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { detectionPushdown, detections } from '../../../src/core/analyses';
import { AuditDatabase } from '../../../src/core/sql/database';
import { loadIntoDatabase } from '../../../src/core/sql/loader';
import type { Pushdown } from '../../../src/core/sql/pushdown';
import { aRecord, writeDeliveryTree } from '../../support/deliveryTree';

const tree = writeDeliveryTree([
  { workspaceId: '1', date: '2024-03-05', lines: [aRecord({ serviceName: 'accounts', actionName: 'login' }), aRecord({ serviceName: 'clusters', actionName: 'create' })] },
  { workspaceId: '0', date: '2024-03-06', lines: [aRecord({ serviceName: 'accountsManager', actionName: 'changeAccountOwner' })] },
]);
after(() => tree.remove());

async function indexesAfterLoad(pushdown: Pushdown): Promise<{ database: AuditDatabase; indexes: string[] }> {
  const database = await AuditDatabase.open();
  await loadIntoDatabase(database, { sources: [tree.root], ...pushdown }, { maxRows: 100 });
  const rows = database.handle.exec("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit_logs' ORDER BY name")[0]?.values ?? [];
  return { database, indexes: rows.map(([name]) => String(name)) };
}

describe('the indexes of a detection run', () => {
  it('no built-in detection plans to use the date index, and each uses the service index', async () => {
    // Both indexes exist here, so SQLite may pick either; without statistics its plans do not depend on the rows.
    const { database, indexes } = await indexesAfterLoad({});
    try {
      assert.deepEqual(indexes, ['audit_logs_date_service', 'audit_logs_service_action']);
      for (const detection of detections) {
        const plan = database.query(`EXPLAIN QUERY PLAN ${detection.sql}`).rows.map((row) => String(row.at(-1))).join('\n');
        assert.doesNotMatch(plan, /audit_logs_date_service/, detection.id);
        assert.match(plan, /audit_logs_service_action/, detection.id);
      }
    } finally {
      database.close();
    }
  });

  it('a load for the detections builds the service index with the status code alone, which every built-in plans to use', async () => {
    const { database, indexes } = await indexesAfterLoad(detectionPushdown(detections));
    try {
      assert.deepEqual(indexes, ['audit_logs_service_action_status']);
      for (const detection of detections) {
        const plan = database.query(`EXPLAIN QUERY PLAN ${detection.sql}`).rows.map((row) => String(row.at(-1))).join('\n');
        assert.match(plan, /USING INDEX audit_logs_service_action_status/, detection.id);
      }
    } finally {
      database.close();
    }
  });

  it('a load for the detections answers as a load with a session\'s indexes', async () => {
    const narrow = await indexesAfterLoad(detectionPushdown(detections));
    const whole = await indexesAfterLoad({ ...detectionPushdown(detections), indexes: ['service-action', 'date-service'] });
    try {
      assert.deepEqual(narrow.indexes, ['audit_logs_service_action_status']);
      assert.deepEqual(whole.indexes, ['audit_logs_date_service', 'audit_logs_service_action']);
      for (const detection of detections) {
        assert.deepEqual(narrow.database.query(detection.sql).rows, whole.database.query(detection.sql).rows, detection.id);
      }
    } finally {
      narrow.database.close();
      whole.database.close();
    }
  });
});

describe('the pushdown of a detection list', () => {
  it('is worked out once for the same services and SQL, and again when either changes', () => {
    const first = detectionPushdown(detections);
    assert.equal(detectionPushdown([...detections]), first, 'a new array of the same detections');
    const [one] = detections;
    const changed = detectionPushdown([{ ...one!, sql: `${one!.sql.replace(/^\s*SELECT/i, 'SELECT userAgent AS asked_for,')}` }]);
    assert.notEqual(changed, first);
    assert.ok(changed.columns?.includes('userAgent'), JSON.stringify(changed.columns));
    const narrower = detectionPushdown([{ ...one!, services: ['accounts', 'clusters'] }]);
    assert.notEqual(narrower, changed);
  });
});
