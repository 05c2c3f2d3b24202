import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { WarehouseClient, WarehouseEngine, type WarehouseClientOptions } from '../../../src/core/databricks';
import { AuditLensError } from '../../../src/core/errors';
import { startWarehouse, WAREHOUSE_BUCKET, WAREHOUSE_ID, WAREHOUSE_TOKEN, type WarehouseFixture } from '../../databricks-server';

const MiB = 1024 * 1024;

function clientFor(fixture: WarehouseFixture, options: Partial<WarehouseClientOptions> = {}): WarehouseClient {
  return new WarehouseClient({ auth: { host: fixture.server.endpoint, token: WAREHOUSE_TOKEN, origin: 'test' }, warehouseId: WAREHOUSE_ID, pollMs: 1, maxPollMs: 2, ...options });
}

function engineFor(fixture: WarehouseFixture, options: Partial<WarehouseClientOptions> = {}): WarehouseEngine {
  return new WarehouseEngine(clientFor(fixture, options), () => ({ sources: [WAREHOUSE_BUCKET] }));
}

async function rejection(work: Promise<unknown>): Promise<AuditLensError> {
  try {
    await work;
  } catch (error) {
    assert.ok(error instanceof AuditLensError, `an AuditLensError, not ${String(error)}`);
    return error;
  }
  assert.fail('expected the work to fail');
}

async function withWarehouse(options: Parameters<typeof startWarehouse>[0], work: (fixture: WarehouseFixture) => Promise<void>): Promise<void> {
  const fixture = await startWarehouse(options);
  try {
    await work(fixture);
  } finally {
    await fixture.server.stop();
    rmSync(fixture.folder, { recursive: true, force: true });
  }
}

describe('the warehouse client against a misbehaving Statement Execution API', () => {
  let fixture: WarehouseFixture;
  before(async () => {
    fixture = await startWarehouse({ rowsPerChunk: 2 });
  });
  after(async () => {
    await fixture.server.stop();
    rmSync(fixture.folder, { recursive: true, force: true });
  });

  it('ends a POST that never gets an answer as soon as the caller aborts', async () => {
    fixture.server.hangNext();
    const controller = new AbortController();
    const work = engineFor(fixture).query('SELECT 1 FROM audit_logs', { signal: controller.signal });
    while (fixture.server.count((r) => r.method === 'POST') === 0) await new Promise((r) => setTimeout(r, 5));
    const started = Date.now();
    controller.abort();
    assert.equal((await rejection(work)).code, 'cancelled');
    assert.ok(Date.now() - started < 1000, `ended ${Date.now() - started} ms after the abort`);
  });

  it('gives up on a request that gets no answer within its time', async () => {
    fixture.server.hangNext();
    const started = Date.now();
    const error = await rejection(engineFor(fixture, { requestTimeoutMs: 300 }).query('SELECT 1 FROM audit_logs'));
    assert.equal(error.code, 'network');
    assert.match(error.userMessage, /^The Databricks workspace at http:\/\/127\.0\.0\.1:\d+ did not answer POST \/api\/2\.0\/sql\/statements within 0\.3 s: check the host and your network, then try again\.$/);
    assert.ok(Date.now() - started < 3000);
  });

  it('names what the warehouse sent when a 200 answer is not a statement', async () => {
    const cases: [{ contentType: string; body: string }, RegExp][] = [
      [{ contentType: 'application/json', body: '{"statement_id": "01ef-1", "status": {"sta' }, /answered POST \/api\/2\.0\/sql\/statements with something that is not JSON \(HTTP 200, application\/json, 42 B, starting "\{\\"statement_id\\": \\"01ef-1\\", \\"status\\": \{\\"sta"\): check that --host is the workspace URL\.$/],
      [{ contentType: 'text/html; charset=utf-8', body: '<!DOCTYPE html>\n<html><head><title>Sign in</title></head></html>' }, /not JSON \(HTTP 200, text\/html; charset=utf-8, 64 B, starting "<!DOCTYPE html>\\n<html><head><title>Sign in/],
      [{ contentType: 'application/json', body: '{}' }, /answered POST \/api\/2\.0\/sql\/statements with no statement_id, not a statement \(HTTP 200, application\/json, 2 B, starting "\{\}"\)\.$/],
      [{ contentType: 'application/json', body: '[1,2]' }, /JSON that is not an object/],
      [{ contentType: 'application/json', body: '' }, /not JSON \(HTTP 200, application\/json, 0 B, an empty body\)/],
    ];
    for (const [answer, message] of cases) {
      fixture.server.answerNext({ status: 200, ...answer });
      const error = await rejection(engineFor(fixture).query('SELECT 1 FROM audit_logs'));
      assert.equal(error.code, 'data', answer.body);
      assert.match(error.userMessage, message);
    }
  });

  it('names the body of an HTTP error that is not JSON', async () => {
    fixture.server.answerNext({ status: 502, contentType: 'text/html', body: '<html>Bad Gateway</html>' });
    const error = await rejection(engineFor(fixture).query('SELECT 1 FROM audit_logs'));
    assert.match(error.userMessage, /HTTP 502/);
    assert.match(error.detail ?? '', /HTTP 502, text\/html, 24 B, starting "<html>Bad Gateway<\/html>"/);
  });

  it('refuses an answer past its size, by Content-Length before reading, or while reading', async () => {
    fixture.server.endlessBytesSent = 0;
    fixture.server.endlessNext({ bytes: 700 * MiB, declareLength: true });
    const declared = await rejection(engineFor(fixture).query('SELECT 1 FROM audit_logs'));
    assert.equal(declared.code, 'data');
    assert.match(declared.userMessage, /sent 700\.0 MiB \(Content-Length 734003200\) for POST \/api\/2\.0\/sql\/statements; this client reads at most 64.0 MiB at once: narrow the query or add a LIMIT/);
    fixture.server.endlessBytesSent = 0;
    fixture.server.endlessNext({ bytes: 700 * MiB, declareLength: false });
    const streamed = await rejection(engineFor(fixture, { maxAnswerBytes: 4 * MiB }).query('SELECT 1 FROM audit_logs'));
    assert.match(streamed.userMessage, /sent more than 4\.0 MiB for POST/);
    await new Promise((r) => setTimeout(r, 100));
    assert.ok(fixture.server.endlessBytesSent < 64 * MiB, `the server sent ${fixture.server.endlessBytesSent} bytes before the client left`);
  });

  it('fails naming a state it does not know, instead of polling forever', async () => {
    await withWarehouse({ executor: () => ({ state: 'WEIRD' }) }, async (weird) => {
      const error = await rejection(engineFor(weird).query('SELECT 1 FROM audit_logs'));
      assert.equal(error.code, 'data');
      const [id] = weird.server.statementIds;
      assert.equal(error.userMessage, `The warehouse reported statement ${id} in the state "WEIRD", which this client does not know, so it stopped waiting: see the statement in the workspace's Query History.`);
      assert.ok(weird.server.count((r) => r.method === 'GET') <= 2);
      assert.equal(weird.server.count((r) => r.path.endsWith('/cancel')), 1, 'the statement is not left running');
    });
  });

  it("tells a statement cancelled on the warehouse from the user's own cancel", async () => {
    await withWarehouse({ executor: () => ({ canceled: { message: 'Query was cancelled by an administrator.' } }) }, async (cancelledThere) => {
      const error = await rejection(engineFor(cancelledThere).query('SELECT 1 FROM audit_logs'));
      assert.equal(error.code, 'sql');
      assert.equal(error.userMessage, 'The statement was cancelled on the warehouse: Query was cancelled by an administrator.');
      assert.match(error.detail ?? '', /statement 01ef-/);
    });
  });

  it('refuses a chunk that links to itself, after the chunks the manifest counts', async () => {
    await withWarehouse({ rowsPerChunk: 4, selfLinkedChunk: 1 }, async (looping) => {
      const error = await rejection(engineFor(looping).query('SELECT * FROM audit_logs'));
      assert.equal(error.code, 'data');
      const [id] = looping.server.statementIds;
      assert.equal(error.userMessage, `The warehouse's result of statement ${id} links back to a chunk already read (/api/2.0/sql/statements/${id}/result/chunks/1) after 2 chunks: it was not read twice. Run the query again.`);
      assert.equal(looping.server.count((r) => r.path.includes('/result/chunks/')), 1);
    });
  });

  it('reads many chunks under one signal without piling listeners on it', async () => {
    await withWarehouse({ rowsPerChunk: 1 }, async (many) => {
      const warnings: string[] = [];
      const onWarning = (w: Error): number => warnings.push(w.name);
      process.on('warning', onWarning);
      try {
        const controller = new AbortController();
        const result = await engineFor(many).query('SELECT * FROM audit_logs', { signal: controller.signal });
        assert.equal(result.rows.length, 30);
        assert.ok(many.server.count((r) => r.path.includes('/result/chunks/')) >= 29);
        await new Promise((r) => setTimeout(r, 20));
        assert.deepEqual(warnings, []);
      } finally {
        process.off('warning', onWarning);
      }
    });
  });

  it('follows no chunk past the last one the manifest counts', async () => {
    const fetchPastEnd: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (!String(input).endsWith('/result/chunks/1')) return response;
      const body = (await response.json()) as Record<string, unknown>;
      return Response.json({ ...body, next_chunk_index: 9, next_chunk_internal_link: new URL(String(input)).pathname.replace(/1$/, '9') });
    };
    const error = await rejection(engineFor(fixture, { fetch: fetchPastEnd }).query('SELECT * FROM audit_logs WHERE serviceName = "accounts" LIMIT 4'));
    assert.match(error.userMessage, /has 2 chunks by its manifest, yet links to another \(.*\/result\/chunks\/9\) after the last: it was not followed/);
  });

  it('never follows a chunk link off its own host', async () => {
    const offHost: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (init?.method !== 'POST') return response;
      const body = (await response.json()) as { statement_id: string; result?: Record<string, unknown> };
      const link = `/api/2.0/sql/statements/${body.statement_id}/result/chunks/@evil.example.com/x`;
      return Response.json({ ...body, result: { ...body.result, next_chunk_internal_link: `//evil.example.com${link}` } });
    };
    const error = await rejection(engineFor(fixture, { fetch: offHost, waitTimeout: '10s' }).query('SELECT * FROM audit_logs'));
    assert.match(error.userMessage, /linked the next result chunk of statement .* to "\/\/evil\.example\.com.*", outside the statement's result: it was not followed/);
  });

  it('names what an external link served when it is not rows', async () => {
    const cases: [{ contentType: string; body: string }, RegExp][] = [
      [{ contentType: 'application/json', body: '[["a", "b"], ["c"' }, /^Cloud storage sent chunk 0 of the result of statement \S+ as something that is not JSON \(HTTP 200, application\/json, 17 B, starting "\[\[\\"a\\", \\"b\\"\], \[\\"c\\""\)\.$/],
      [{ contentType: 'application/xml', body: '<?xml version="1.0"?><Error><Code>AccessDenied</Code></Error>' }, /not JSON \(HTTP 200, application\/xml, 61 B, starting "<\?xml/],
      [{ contentType: 'application/json', body: '{"rows": []}' }, /as JSON that is not a list of rows/],
    ];
    for (const [externalBody, message] of cases) {
      await withWarehouse({ externalBody }, async (bad) => {
        const error = await rejection(engineFor(bad).exportQuery('SELECT requestId FROM audit_logs', 'csv', async () => undefined));
        assert.equal(error.code, 'data');
        assert.match(error.userMessage, message);
      });
    }
  });

  it('refuses a plain http:// host that is not this machine, before sending anything', () => {
    assert.throws(() => new WarehouseClient({ auth: { host: 'http://192.0.2.1:8080', token: WAREHOUSE_TOKEN, origin: 'test' }, warehouseId: WAREHOUSE_ID }), /Refusing to send the Databricks token in clear to http:\/\/192\.0\.2\.1:8080/);
    assert.doesNotThrow(() => new WarehouseClient({ auth: { host: 'http://192.0.2.1:8080', token: WAREHOUSE_TOKEN, origin: 'test' }, warehouseId: WAREHOUSE_ID, allowInsecureHttp: true }));
  });
});
