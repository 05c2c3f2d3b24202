import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { exampleAnalyses } from '../../../src/core/analyses';
import { WarehouseClient, WarehouseEngine, type WarehouseScope } from '../../../src/core/databricks';
import { AuditLensError } from '../../../src/core/errors';
import { AuditDatabase } from '../../../src/core/sql/database';
import { loadIntoDatabase } from '../../../src/core/sql/loader';
import { DATES, startWarehouse, WAREHOUSE_BUCKET, WAREHOUSE_ID, WAREHOUSE_TOKEN, WORKSPACES, type WarehouseFixture } from '../../databricks-server';

function engineFor(fixture: WarehouseFixture, scope: Partial<WarehouseScope> = {}, options: { token?: string; warehouseId?: string } = {}): WarehouseEngine {
  const client = new WarehouseClient({
    auth: { host: fixture.server.endpoint, token: options.token ?? WAREHOUSE_TOKEN, origin: 'test' },
    warehouseId: options.warehouseId ?? WAREHOUSE_ID,
    pollMs: 1,
    maxPollMs: 2,
  });
  return new WarehouseEngine(client, () => ({ sources: [WAREHOUSE_BUCKET], ...scope }));
}

async function localRows(folder: string, sql: string, filter = {}, asOf?: number): Promise<unknown[][]> {
  const database = await AuditDatabase.open();
  try {
    await loadIntoDatabase(database, { sources: [folder], filter }, { maxRows: 100_000 });
    return database.query(sql, undefined, { asOf }).rows;
  } finally {
    database.close();
  }
}

function sorted(rows: readonly unknown[][]): string[] {
  return rows.map((r) => JSON.stringify(r)).sort();
}

async function rejection(work: Promise<unknown>): Promise<AuditLensError> {
  try {
    await work;
  } catch (error) {
    return AuditLensError.from(error);
  }
  assert.fail('expected the work to fail');
}

describe('warehouse engine against the Statement Execution API test server', () => {
  let fixture: WarehouseFixture;
  before(async () => {
    fixture = await startWarehouse({ pendingPolls: 1, runningPolls: 2, rowsPerChunk: 1 });
  });
  after(async () => {
    await fixture.server.stop();
    rmSync(fixture.folder, { recursive: true, force: true });
  });

  for (const analysis of exampleAnalyses) {
    it(`answers "${analysis.title}" with the local engine's rows, across several chunks`, async () => {
      fixture.server.requests.length = 0;
      const result = await engineFor(fixture).query(analysis.sql);
      const expected = await localRows(fixture.folder, analysis.sql);
      assert.ok(expected.length >= 2, 'the fixture gives more than one chunk of rows');
      assert.deepEqual(sorted(result.rows), sorted(expected));
      assert.equal(result.rowCount, expected.length);
      assert.ok(fixture.server.count((r) => r.path.includes('/result/chunks/')) >= 1, 'later chunks come through next_chunk_internal_link');
      assert.ok(fixture.server.count((r) => r.method === 'GET' && /statements\/[^/]+$/.test(r.path)) >= 3, 'it polled through PENDING and RUNNING');
    });
  }

  it('narrows audit_logs to the scope with named parameters, never pasted dates', async () => {
    const sql = 'SELECT workspaceId, date, COUNT(*) AS n FROM audit_logs GROUP BY workspaceId, date';
    const scope = { from: DATES[1], to: DATES[2], workspaces: [WORKSPACES[1]] };
    const result = await engineFor(fixture, scope).query(sql);
    assert.deepEqual(sorted(result.rows), sorted(await localRows(fixture.folder, sql, scope)));
    assert.equal(result.rows.length, 2);
    const post = fixture.server.requests.filter((r) => r.method === 'POST' && r.path === '/api/2.0/sql/statements').at(-1)!;
    const body = post.body as { statement: string; parameters: unknown[]; wait_timeout: string; on_wait_timeout: string; format: string; disposition: string };
    assert.ok(!body.statement.includes(DATES[1]) && !body.statement.includes(WORKSPACES[1]), 'scope values travel as parameters');
    assert.match(body.statement, /read_files\('gs:\/\/audit-delivery\/audit-logs\/', format => 'json'\)/);
    assert.deepEqual(body.parameters, [
      { name: 'scope_from', value: DATES[1], type: 'DATE' },
      { name: 'scope_to', value: DATES[2], type: 'DATE' },
      { name: 'scope_workspace_0', value: WORKSPACES[1], type: 'STRING' },
    ]);
    assert.equal(body.on_wait_timeout, 'CONTINUE');
    assert.equal(body.format, 'JSON_ARRAY');
    assert.equal(body.disposition, 'INLINE');
  });

  it('answers at the as-of instant as the local engine does, the now calls written in as literals', async () => {
    const asOf = Date.parse(`${DATES[1]}T12:00:00Z`);
    const sql = 'SELECT requestId, current_date() AS today FROM audit_logs WHERE timestamp_millis(timestamp) >= current_timestamp() - INTERVAL 24 HOURS AND timestamp < unix_timestamp() * 1000';
    const result = await engineFor(fixture).query(sql, { asOf });
    const expected = await localRows(fixture.folder, sql, {}, asOf);
    assert.ok(expected.length > 0 && expected.length < 30, `${expected.length} rows in the window`);
    assert.deepEqual(sorted(result.rows), sorted(expected));
    const post = fixture.server.requests.filter((r) => r.method === 'POST' && r.path === '/api/2.0/sql/statements').at(-1)!;
    const { statement } = post.body as { statement: string };
    assert.match(statement, /TIMESTAMP'2024-03-02T12:00:00\.000Z' - INTERVAL 24 HOURS AND timestamp < 1709380800 \* 1000/);
    assert.doesNotMatch(statement, /current_timestamp|unix_timestamp\(\)|current_date/);
  });

  it('keeps the display cap but reports the full row count', async () => {
    const result = await engineFor(fixture).query('SELECT * FROM audit_logs', { maxRows: 3 });
    assert.equal(result.rows.length, 3);
    assert.equal(result.rowCount, 30);
    assert.equal(result.truncated, true);
  });

  it('exports every chunk through external links fetched without the Authorization header', async () => {
    fixture.server.requests.length = 0;
    const parts: string[] = [];
    const outcome = await engineFor(fixture).exportQuery('SELECT requestId, serviceName FROM audit_logs', 'csv', async (chunk) => {
      parts.push(chunk);
    });
    assert.equal(outcome.rowCount, 30);
    assert.equal(parts.join('').trim().split('\n').length, 31);
    const downloads = fixture.server.requests.filter((r) => r.path.startsWith('/external/'));
    assert.equal(downloads.length, 30);
    assert.ok(downloads.every((r) => r.authorization === undefined));
  });

  it('fetches a fresh link when one has expired', async () => {
    const expiring = await startWarehouse({ linkLifetimeMs: -1000 });
    try {
      const parts: string[] = [];
      await assert.rejects(
        engineFor(expiring).exportQuery('SELECT requestId FROM audit_logs', 'json', async (c) => {
          parts.push(c);
        }),
        (error: unknown) => /HTTP 403/.test(AuditLensError.from(error).userMessage),
      );
      assert.ok(expiring.server.count((r) => /\/result\/chunks\/0$/.test(r.path)) >= 1, 'it asked for a fresh link of chunk 0');
    } finally {
      await expiring.server.stop();
    }
  });

  it('turns a FAILED statement into a SQL error with the warehouse message', async () => {
    const error = await rejection(engineFor(fixture).query('SELECT nope( FROM audit_logs'));
    assert.equal(error.code, 'sql');
    assert.match(error.userMessage, /failed on the warehouse: \[PARSE_SYNTAX_ERROR\]/);
    assert.match(error.detail ?? '', /SQLSTATE 42601/);
  });

  it('cancels a statement that never finishes, on the warehouse', async () => {
    const never = await startWarehouse({ executor: () => ({ never: true }) });
    try {
      const controller = new AbortController();
      const work = engineFor(never).query('SELECT * FROM audit_logs', { signal: controller.signal });
      while (never.server.count((r) => r.method === 'GET') < 3) await new Promise((r) => setTimeout(r, 5));
      controller.abort();
      const error = await rejection(work);
      assert.equal(error.code, 'cancelled');
      const [id] = never.server.statementIds;
      assert.equal(never.server.count((r) => r.method === 'POST' && r.path.endsWith(`/${id}/cancel`)), 1);
      assert.equal(never.server.statement(id!)?.state, 'CANCELED');
    } finally {
      await never.server.stop();
    }
  });

  it('cancels a statement aborted right after it was submitted, before any poll', async () => {
    const never = await startWarehouse({ executor: () => ({ never: true }) });
    try {
      const controller = new AbortController();
      const client = new WarehouseClient({ auth: { host: never.server.endpoint, token: WAREHOUSE_TOKEN, origin: 'test' }, warehouseId: WAREHOUSE_ID, pollMs: 60_000 });
      // The client has the warehouse's answer (and so the statement's id) when it first says it is waiting;
      // an abort while the POST itself is under way cannot name the statement (see execute).
      let answered!: () => void;
      const submitted = new Promise<void>((resolve) => (answered = resolve));
      const work = client.execute('SELECT 1', { signal: controller.signal, onProgress: () => answered() });
      await submitted;
      controller.abort();
      assert.equal((await rejection(work)).code, 'cancelled');
      assert.equal(never.server.count((r) => r.method === 'GET'), 0);
      assert.equal(never.server.statement(never.server.statementIds[0]!)?.state, 'CANCELED');
    } finally {
      await never.server.stop();
    }
  });

  it('explains each HTTP error in words', async () => {
    const cases: [number, string, RegExp][] = [
      [400, 'sql', /rejected the request \(HTTP 400\)/],
      [404, 'not-found', /warehouse id/],
      [429, 'network', /limiting requests \(HTTP 429/],
      [500, 'network', /server error \(HTTP 500\)/],
      [503, 'network', /server error \(HTTP 503\)/],
    ];
    for (const [status, code, message] of cases) {
      // The client retries 429 and 503 three times before it gives up.
      fixture.server.failNext(status, { times: status === 429 || status === 503 ? 4 : 1, retryAfter: '0' });
      const error = await rejection(engineFor(fixture).query('SELECT 1 FROM audit_logs'));
      assert.equal(error.code, code, `HTTP ${status}`);
      assert.match(error.userMessage, message);
      assert.match(error.detail ?? '', /injected HTTP/);
    }
    const unauthorized = await rejection(engineFor(fixture, {}, { token: 'wrong' }).query('SELECT 1 FROM audit_logs'));
    assert.equal(unauthorized.code, 'no-credentials');
    assert.match(unauthorized.userMessage, /did not accept the token \(HTTP 401\)/);
    const forbidden = await startWarehouse({ forbiddenTokens: ['dapi-reader'] });
    try {
      const error = await rejection(engineFor(forbidden, {}, { token: 'dapi-reader' }).query('SELECT 1 FROM audit_logs'));
      assert.equal(error.code, 'permission-denied');
      assert.match(error.userMessage, /CAN USE on the warehouse/);
    } finally {
      await forbidden.server.stop();
    }
    const missing = await rejection(engineFor(fixture, {}, { warehouseId: 'nope' }).query('SELECT 1 FROM audit_logs'));
    assert.equal(missing.code, 'not-found');
    assert.match(missing.userMessage, /nope/);
  });

  it('retries a 429 that says when to come back, then succeeds', async () => {
    fixture.server.failNext(429, { times: 2, retryAfter: '0' });
    const result = await engineFor(fixture).query('SELECT COUNT(*) AS n FROM audit_logs');
    assert.deepEqual(result.rows, [[30]]);
  });
});
