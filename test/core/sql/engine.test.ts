import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AuditDatabase, type QueryResult } from '../../../src/core/sql/database';
import { SqlError } from '../../../src/core/sql/dialect';
import { exportQuery } from '../../../src/core/sql/export';
import { loadIntoDatabase } from '../../../src/core/sql/loader';
import { aRecord, writeDeliveryTree, type AuditRecord, type DeliveryTree, type FileSpec } from '../../support/deliveryTree';

const BIG_WORKSPACE = '9007199254740993123';

/** A small tree for the seed's three queries: logins, cluster creations, permission requests. */
function seedTreeSpecs(): FileSpec[] {
  const logins = (n: number, ip: string, action: string): AuditRecord[] =>
    Array.from({ length: n }, (_, i) =>
      aRecord({ serviceName: 'accounts', actionName: action, sourceIPAddress: ip, userIdentity: { email: `u${i % 3}@example.com` } }),
    );
  return [
    {
      workspaceId: '1111',
      date: '2024-01-15',
      lines: [
        ...logins(5, '10.1.1.1', 'login'),
        ...logins(2, '10.1.1.2', 'tokenLogin'),
        ...logins(2, '10.1.1.3', 'LOGIN'), // LIKE "%login%" is case-sensitive in Spark
        aRecord({ serviceName: 'accounts', actionName: 'garbageCollectDbToken' }),
        aRecord({ serviceName: 'accounts', actionName: 'login', userIdentity: { email: null }, requestParams: { user: 'x@example.com' } }),
      ],
    },
    {
      workspaceId: '1111',
      date: '2024-01-16',
      lines: [
        ...['13.3.x-scala2.12', '13.3.x-scala2.12', '14.1.x-scala2.12'].map((v) =>
          aRecord({ serviceName: 'clusters', actionName: 'create', requestParams: { spark_version: v, cluster_name: 'c' } }),
        ),
        aRecord({ serviceName: 'clusters', actionName: 'create', requestParams: { cluster_name: 'no version' } }),
        aRecord({ serviceName: 'clusters', actionName: 'edit', requestParams: { spark_version: '12.2.x-scala2.12' } }),
      ],
    },
    {
      workspaceId: BIG_WORKSPACE,
      date: '2024-01-16',
      lines: [
        aRecord({ serviceName: 'sqlPermissions', actionName: 'requestPermissions', requestParams: { requestId: 'r1', requests: '[{"a":1}]' } }),
        aRecord({ serviceName: 'sqlPermissions', actionName: 'requestPermissions', requestParams: { requestId: 'r2' } }),
        aRecord({ serviceName: 'sqlPermissions', actionName: 'grantPermission' }),
        aRecord({ serviceName: 'clusters', actionName: 'create', requestParams: { spark_version: '14.1.x-scala2.12' } }),
      ],
    },
  ];
}

function records(specs: FileSpec[]): (AuditRecord & { workspaceId: string; date: string })[] {
  return specs.flatMap((spec) =>
    spec.lines.filter((l): l is AuditRecord => typeof l !== 'string').map((r) => ({ ...r, workspaceId: spec.workspaceId, date: spec.date })),
  );
}

function sortRows(rows: unknown[][]): unknown[][] {
  return [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

async function loadedDatabase(tree: DeliveryTree, maxRows = 1_000_000): Promise<AuditDatabase> {
  const database = await AuditDatabase.open();
  await loadIntoDatabase(database, { sources: [tree.root] }, { maxRows });
  return database;
}

describe('the seed queries, verbatim', () => {
  const specs = seedTreeSpecs();
  const all = records(specs);
  let tree: DeliveryTree;
  let database: AuditDatabase;
  before(async () => {
    tree = writeDeliveryTree(specs);
    database = await loadedDatabase(tree);
  });
  after(() => {
    database.close();
    tree.remove();
  });

  it('who logged in from where', () => {
    const result = database.query(`SELECT DISTINCT userIdentity.email, sourceIPAddress
FROM audit_logs
WHERE serviceName = "accounts" AND actionName LIKE "%login%"`);
    const expected = new Map<string, unknown[]>();
    for (const r of all) {
      if (r.serviceName === 'accounts' && r.actionName!.includes('login')) {
        const row = [r.userIdentity?.email ?? null, r.sourceIPAddress];
        expected.set(JSON.stringify(row), row);
      }
    }
    assert.deepEqual(result.columns, ['email', 'sourceIPAddress']);
    assert.deepEqual(sortRows(result.rows), sortRows([...expected.values()]));
  });

  it('which Spark versions clusters were created with', () => {
    const result = database.query(`SELECT requestParams.spark_version, COUNT(*)
FROM audit_logs
WHERE serviceName = "clusters" AND actionName = "create"
GROUP BY requestParams.spark_version`);
    const counts = new Map<string | null, number>();
    for (const r of all) {
      if (r.serviceName === 'clusters' && r.actionName === 'create') {
        const version = r.requestParams?.spark_version ?? null;
        counts.set(version, (counts.get(version) ?? 0) + 1);
      }
    }
    assert.deepEqual(result.columns, ['spark_version', 'count(1)']);
    assert.deepEqual(sortRows(result.rows), sortRows([...counts].map(([v, n]) => [v, n])));
  });

  it('every permission request, all columns', () => {
    const result = database.query(`SELECT *
FROM audit_logs
WHERE serviceName = "sqlPermissions" AND actionName = "requestPermissions"`);
    const expected = all.filter((r) => r.serviceName === 'sqlPermissions' && r.actionName === 'requestPermissions');
    assert.equal(result.rowCount, expected.length);
    const column = (name: string): number => result.columns.indexOf(name);
    assert.deepEqual(
      result.rows.map((row) => row[column('requestId')]),
      expected.map((r) => r.requestId),
    );
    assert.deepEqual(
      result.rows.map((row) => JSON.parse(row[column('requestParams')] as string)),
      expected.map((r) => r.requestParams),
    );
    assert.deepEqual(
      result.rows.map((row) => row[column('workspaceId')]),
      expected.map(() => BIG_WORKSPACE),
    );
    assert.equal(result.columnKinds[column('requestParams')], 'json');
    assert.equal(result.columnKinds[column('serviceName')], 'value');
  });
});

describe('loading', () => {
  it('rejects only lines that are not JSON objects, with reasons, and keeps lines read = loaded + rejected per file', async () => {
    const tree = writeDeliveryTree([
      { workspaceId: '1', date: '2024-02-01', lines: [aRecord(), 'not json', '[1,2]', '"text"', '{"a":', aRecord(), '', '   ', '{unquoted: 1}'] },
      { workspaceId: '1', date: '2024-02-02', lines: [aRecord(), '{}', 'null'] },
    ]);
    try {
      const database = await AuditDatabase.open();
      const summary = await loadIntoDatabase(database, { sources: [tree.root] }, { maxRows: 100 });
      assert.equal(summary.files, 2);
      assert.equal(summary.linesRead, 10);
      assert.equal(summary.recordsLoaded, 4);
      assert.equal(summary.linesRejected, 6);
      assert.equal(summary.linesRead, summary.recordsLoaded + summary.linesRejected + summary.linesSkippedByFilter);
      const perFile = database.query(
        `SELECT f, sum(loaded), sum(rejected) FROM (
           SELECT _file AS f, 1 AS loaded, 0 AS rejected FROM audit_logs
           UNION ALL SELECT file, 0, 1 FROM audit_errors) GROUP BY f ORDER BY f`,
      );
      assert.deepEqual(
        perFile.rows.map((r) => [r[1], r[2]]),
        [
          [2, 5],
          [2, 1],
        ],
      );
      const errors = database.query('SELECT line, reason, raw FROM audit_errors ORDER BY file, line');
      assert.deepEqual(
        errors.rows.map((r) => [r[0], r[2]]),
        [
          [2, 'not json'],
          [3, '[1,2]'],
          [4, '"text"'],
          [5, '{"a":'],
          [9, '{unquoted: 1}'],
          [3, 'null'],
        ],
      );
      const reasons = errors.rows.map((r) => r[1] as string);
      assert.match(reasons[0]!, /invalid JSON/);
      assert.match(reasons[1]!, /an array, not a JSON object/);
      assert.match(reasons[2]!, /a string, not a JSON object/);
      assert.match(reasons[3]!, /truncated/);
      assert.match(reasons[5]!, /null, not a JSON object/);
      database.close();
    } finally {
      tree.remove();
    }
  });

  it('loads records whatever is missing or oddly typed; partitions come from the path', async () => {
    const tree = writeDeliveryTree([
      {
        workspaceId: '42',
        date: '2024-03-01',
        lines: [
          '{}',
          '{"serviceName": 7, "timestamp": "2024-03-01T00:00:00Z", "requestParams": "x", "userIdentity": null, "workspaceId": 99}',
          '{"response": {"statusCode": null}, "orgId": "123", "requestParams": {"n": 1.5, "ok": true}}',
        ],
      },
    ]);
    try {
      const database = await loadedDatabase(tree);
      const result = database.query('SELECT serviceName, timestamp, requestParams, userIdentity, workspaceId, date, version, _line, response.statusCode FROM audit_logs ORDER BY _line');
      assert.deepEqual(result.rows, [
        [null, null, null, null, '42', '2024-03-01', null, 1, null],
        ['7', '2024-03-01T00:00:00Z', '"x"', null, '42', '2024-03-01', null, 2, null],
        [null, null, '{"n":1.5,"ok":true}', null, '42', '2024-03-01', null, 3, null],
      ]);
      database.close();
    } finally {
      tree.remove();
    }
  });

  it('rejects invalid UTF-8 and over-long lines, and loads a record nested 10,000 deep without its deep part', async () => {
    const deep = '{"requestParams":' + '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000) + ',"serviceName":"deep"}';
    const tree = writeDeliveryTree([
      {
        workspaceId: '1',
        date: '2024-02-01',
        lines: [aRecord(), Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), JSON.stringify(aRecord({ requestParams: { big: 'x'.repeat(200_000) } })), deep, aRecord()],
      },
    ]);
    try {
      const database = await AuditDatabase.open();
      const summary = await loadIntoDatabase(database, { sources: [tree.root], maxLineBytes: 100_000 }, { maxRows: 100 });
      assert.equal(summary.linesRead, 5);
      assert.equal(summary.recordsLoaded, 3);
      assert.equal(summary.linesRejected, 2);
      assert.deepEqual(
        database.query('SELECT line, reason FROM audit_errors ORDER BY line').rows.map((r) => [r[0], /UTF-8|longer than/.exec(r[1] as string)?.[0]]),
        [
          [2, 'UTF-8'],
          [3, 'longer than'],
        ],
      );
      assert.deepEqual(database.query("SELECT _line, requestParams FROM audit_logs WHERE serviceName = 'deep'").rows, [[4, null]]);
      assert.match(summary.problems.find((p) => p.line === 4)!.reason, /requestParams nested deeper than 1000 levels/);
      assert.equal(database.query('SELECT count(requestParams.a) FROM audit_logs').rowCount, 1);
      database.close();
    } finally {
      tree.remove();
    }
  });

  it('keeps big numbers exact: workspace ids, 64-bit and longer integers', async () => {
    const tree = writeDeliveryTree([
      {
        workspaceId: BIG_WORKSPACE,
        date: '2024-03-01',
        lines: ['{"timestamp": 1709251200123, "requestParams": {"id": 9007199254740993, "huge": 123456789012345678901234567890}}'],
      },
    ]);
    try {
      const database = await loadedDatabase(tree);
      const result = database.query('SELECT workspaceId, timestamp, requestParams.id, requestParams.huge, requestParams FROM audit_logs');
      assert.deepEqual(result.rows, [
        [BIG_WORKSPACE, 1709251200123, '9007199254740993', '123456789012345678901234567890', '{"id":9007199254740993,"huge":123456789012345678901234567890}'],
      ]);
      database.close();
    } finally {
      tree.remove();
    }
  });

  it('stops at the row budget and keeps the previous data intact', async () => {
    const small = writeDeliveryTree([{ workspaceId: '1', date: '2024-01-01', lines: [aRecord(), aRecord()] }]);
    const big = writeDeliveryTree([{ workspaceId: '2', date: '2024-01-01', lines: Array.from({ length: 30 }, () => aRecord()) }]);
    try {
      const database = await AuditDatabase.open();
      await loadIntoDatabase(database, { sources: [small.root] }, { maxRows: 10 });
      await assert.rejects(loadIntoDatabase(database, { sources: [big.root] }, { maxRows: 10 }), (error: unknown) => {
        assert.equal((error as { code?: string }).code, 'budget');
        assert.match((error as Error).message, /10 records/);
        return true;
      });
      assert.deepEqual(database.query('SELECT workspaceId, count(*) FROM audit_logs GROUP BY 1').rows, [['1', 2]]);
      assert.equal(database.query("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit_logs'").rows[0]![0], 2);
      await assert.rejects(loadIntoDatabase(database, { sources: [big.root] }, { maxRows: 100, maxBytes: 100 }), /more than the budget/);
      assert.equal(database.rowCount, 2);
      database.close();
    } finally {
      small.remove();
      big.remove();
    }
  });

  it('a cancelled load changes nothing', async () => {
    const first = writeDeliveryTree([{ workspaceId: '1', date: '2024-01-01', lines: [aRecord()] }]);
    const second = writeDeliveryTree([{ workspaceId: '2', date: '2024-01-01', lines: [aRecord(), aRecord()] }]);
    try {
      const database = await AuditDatabase.open();
      await loadIntoDatabase(database, { sources: [first.root] }, { maxRows: 10 });
      const controller = new AbortController();
      const loading = loadIntoDatabase(database, { sources: [second.root] }, { maxRows: 10 }, {
        signal: controller.signal,
        onProgress: (update) => {
          if (update.message.startsWith('Loading')) controller.abort();
        },
      });
      await assert.rejects(loading, (error: unknown) => (error as { code?: string }).code === 'cancelled');
      assert.deepEqual(database.query('SELECT workspaceId FROM audit_logs').rows, [['1']]);
      database.close();
    } finally {
      first.remove();
      second.remove();
    }
  });

  it('reads files ahead with the same result as reading them one by one', async () => {
    const tree = writeDeliveryTree(
      Array.from({ length: 7 }, (_, i) => ({ workspaceId: String(i % 2), date: `2024-01-0${i + 1}`, lines: [aRecord({ requestId: `a${i}` }), 'bad', aRecord({ requestId: `b${i}` })] })),
    );
    try {
      const contents = async (concurrency: number): Promise<unknown[][]> => {
        const database = await AuditDatabase.open();
        const summary = await loadIntoDatabase(database, { sources: [tree.root], concurrency }, { maxRows: 100 });
        assert.equal(summary.linesRejected, 7);
        const rows = database.query('SELECT requestId, _file, _line, _offset FROM audit_logs ORDER BY rowid').rows;
        database.close();
        return rows;
      };
      const sequential = await contents(1);
      assert.equal(sequential.length, 14);
      assert.deepEqual(await contents(3), sequential);
    } finally {
      tree.remove();
    }
  });

  it('only loads the partitions a filter selects', async () => {
    const tree = writeDeliveryTree([
      { workspaceId: '1', date: '2024-01-01', lines: [aRecord()] },
      { workspaceId: '1', date: '2024-01-02', lines: [aRecord()] },
      { workspaceId: '2', date: '2024-01-02', lines: [aRecord()] },
    ]);
    try {
      const database = await AuditDatabase.open();
      const summary = await loadIntoDatabase(database, { sources: [tree.root], filter: { from: '2024-01-02', workspaces: ['1'] } }, { maxRows: 10 });
      assert.equal(summary.files, 1);
      assert.deepEqual(database.query('SELECT workspaceId, date FROM audit_logs').rows, [['1', '2024-01-02']]);
      database.close();
    } finally {
      tree.remove();
    }
  });
});

describe('queries', () => {
  let tree: DeliveryTree;
  let database: AuditDatabase;
  before(async () => {
    tree = writeDeliveryTree([
      {
        workspaceId: '7',
        date: '2024-05-01',
        lines: [
          aRecord({ serviceName: 'clusters', actionName: 'Create', requestParams: { new_cluster: '{"num_workers":2}' }, response: { statusCode: 200, errorMessage: null, result: '{"cluster_id":"c1"}' } }),
          aRecord({ serviceName: 'clusters', actionName: 'create', timestamp: Date.UTC(2024, 4, 1, 12, 30, 15, 250) }),
          { ...aRecord({ serviceName: 'jobs', actionName: 'runNow' }), requestParams: { nested: { deep: { deeper: { x: 'found' } } } } } as unknown as AuditRecord,
        ],
      },
    ]);
    database = await loadedDatabase(tree);
  });
  after(() => {
    database.close();
    tree.remove();
  });

  it('LIKE is case-sensitive, as in Spark', () => {
    assert.deepEqual(database.query("SELECT actionName FROM audit_logs WHERE actionName LIKE 'create'").rows, [['create']]);
    assert.deepEqual(database.query("SELECT actionName FROM audit_logs WHERE actionName LIKE 'C%'").rows, [['Create']]);
  });

  it('reaches any depth; JSON held in a string is not parsed, as in Spark', () => {
    assert.deepEqual(database.query('SELECT requestParams.nested.deep.deeper.x FROM audit_logs WHERE serviceName = "jobs"').rows, [['found']]);
    const inString = database.query('SELECT requestParams.new_cluster.num_workers, requestParams.new_cluster, response.result FROM audit_logs WHERE actionName = "Create"');
    assert.deepEqual(inString.rows, [[null, '{"num_workers":2}', '{"cluster_id":"c1"}']]);
    assert.deepEqual(inString.columnKinds, ['value', 'value', 'value']);
  });

  it('marks a nested path that returns an object as a JSON column', () => {
    const result = database.query('SELECT requestParams.nested.deep, requestParams.nested.deep.deeper.x FROM audit_logs WHERE serviceName = "jobs"');
    assert.deepEqual(result.columns, ['deep', 'x']);
    assert.deepEqual(result.columnKinds, ['json', 'value']);
    assert.deepEqual(JSON.parse(result.rows[0]![0] as string), { deeper: { x: 'found' } });
  });

  it('has the Spark functions audit queries use, also after a snapshot reopens the database', () => {
    const sql = `SELECT actionName RLIKE '^[Cc]reate$', from_unixtime(timestamp / 1000), to_date(from_unixtime(timestamp / 1000)),
      get_json_object(response, '$.statusCode'), actionName LIKE 'c%' FROM audit_logs WHERE timestamp = ${Date.UTC(2024, 4, 1, 12, 30, 15, 250)}`;
    const expected = [[1, '2024-05-01 12:30:15', '2024-05-01', 200, 1]];
    assert.deepEqual(database.query(sql).rows, expected);
    database.snapshot();
    assert.deepEqual(database.query(sql).rows, expected);
    assert.deepEqual(database.query("SELECT 'ABC' LIKE 'a%'").rows, [[0]]);
  });

  it('stores nested objects unmarked when a statement keeps what it selects', () => {
    database.query('CREATE TABLE kept AS SELECT requestParams.nested.deep AS d FROM audit_logs WHERE serviceName = "jobs"');
    database.query('INSERT INTO kept SELECT requestParams.nested FROM audit_logs WHERE serviceName = "jobs"');
    assert.deepEqual(database.query("SELECT d -> '$.deeper.x', json_valid(d) FROM kept").rows, [
      ['"found"', 1],
      [null, 1],
    ]);
    database.query('DROP TABLE kept');
  });

  it('caps rows but counts them all', () => {
    const result: QueryResult = database.query('WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 250) SELECT n FROM r', 100);
    assert.equal(result.rows.length, 100);
    assert.equal(result.rowCount, 250);
    assert.equal(result.truncated, true);
  });

  it('ports system-table queries through system_access_audit', () => {
    const result = database.query(
      "SELECT event_time, event_date, workspace_id, response.status_code, request_params.new_cluster FROM system_access_audit WHERE service_name = 'clusters' ORDER BY event_time DESC LIMIT 1",
    );
    assert.deepEqual(result.columns, ['event_time', 'event_date', 'workspace_id', 'status_code', 'new_cluster']);
    assert.deepEqual(result.rows, [['2024-05-01 12:30:15.25', '2024-05-01', '7', 200, null]]);
  });

  it('points SQLite errors at the user\'s SQL', () => {
    const cases: [string, string, number, number][] = [
      ['SELECT nosuch FROM audit_logs', 'no such column: nosuch', 1, 8],
      ['SELECT requestParams.x,\n  bogus.col\nFROM audit_logs', 'no such column: bogus.col', 2, 3],
      ['SELECT 1 FROM nowhere', 'no such table: nowhere', 1, 15],
      ['SELECT "where", x FROM audit_logs WHERE WHERE', 'near "WHERE": syntax error', 1, 41],
      ['SELECT count(*)\nFROM audit_logs\nWHERE', 'incomplete input', 3, 6],
      ['SELECT 1; SELECT nope()', 'no such function: nope', 1, 18],
    ];
    for (const [sql, message, line, column] of cases) {
      try {
        database.query(sql);
        assert.fail(`expected an error for ${sql}`);
      } catch (error) {
        assert.ok(error instanceof SqlError, String(error));
        assert.equal(error.code, 'sql');
        assert.ok(error.userMessage.includes(message), `${error.userMessage} should mention ${message}`);
        assert.deepEqual([error.position?.line, error.position?.column], [line, column], `${sql}: ${error.userMessage}`);
      }
    }
  });

  it('exports CSV and JSON with JSON columns as values', async () => {
    let csv = '';
    let json = '';
    const sql = 'SELECT requestId, requestParams, requestParams.nested.deep FROM audit_logs ORDER BY _line';
    assert.deepEqual(await exportQuery(database, sql, 'csv', async (chunk) => void (csv += chunk), { chunkRows: 1 }), { rowCount: 3 });
    await exportQuery(database, sql, 'json', async (chunk) => void (json += chunk), { chunkRows: 2 });
    assert.equal(csv.split('\n')[0], 'requestId,requestParams,deep');
    assert.equal(csv.trimEnd().split('\n').length, 4);
    const parsed = JSON.parse(json) as Record<string, unknown>[];
    assert.equal(parsed.length, 3);
    assert.deepEqual(parsed[2]!.deep, { deeper: { x: 'found' } });
    assert.deepEqual(parsed[0]!.requestParams, { new_cluster: '{"num_workers":2}' });
  });
});
