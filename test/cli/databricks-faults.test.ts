import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startWarehouse, WAREHOUSE_BUCKET, WAREHOUSE_ID, WAREHOUSE_TOKEN, type WarehouseFixture } from '../databricks-server';
import { assertBuilt, runCli, STACK_FRAME, type CliRun, type CliRunOptions } from '../support/cli';

const MiB = 1024 * 1024;

describe('audit-lens query --engine databricks against a misbehaving warehouse', () => {
  let fixture: WarehouseFixture;
  let home: string;
  let config: string;
  /** No Databricks variables from the machine running the tests. */
  const clean = { DATABRICKS_HOST: undefined, DATABRICKS_TOKEN: undefined, DATABRICKS_CONFIG_PROFILE: undefined };
  before(async () => {
    assertBuilt();
    fixture = await startWarehouse();
    home = mkdtempSync(path.join(tmpdir(), 'audit-lens-home-'));
    config = path.join(home, 'databrickscfg');
    writeFileSync(config, `[DEFAULT]\nhost = ${fixture.server.endpoint}\ntoken = ${WAREHOUSE_TOKEN}\n\n[work]\nhost = ${fixture.server.endpoint}/\ntoken = ${WAREHOUSE_TOKEN}\n`);
  });
  after(async () => {
    await fixture.server.stop();
    rmSync(fixture.folder, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  });

  const query = (sql: string, extra: string[] = [], env: Record<string, string | undefined> = {}, onSpawn?: CliRunOptions['onSpawn']): Promise<CliRun> =>
    runCli(['query', sql, '--engine', 'databricks', '--source', WAREHOUSE_BUCKET, '--warehouse', WAREHOUSE_ID, ...extra], { env: { ...clean, DATABRICKS_CONFIG_FILE: config, ...env }, onSpawn });

  const assertFailure = (run: CliRun, message: RegExp): void => {
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, message);
    assert.doesNotMatch(run.stderr, STACK_FRAME);
    assert.equal(run.stdout, '');
  };

  it('refuses plain http:// to another machine unless --allow-insecure-http, whose help says what it risks', async () => {
    const port = new URL(fixture.server.endpoint).port;
    const before = fixture.server.requests.length;
    const refused = await query('SELECT COUNT(*) AS n FROM audit_logs', ['--host', `http://0.0.0.0:${port}`], { DATABRICKS_TOKEN: WAREHOUSE_TOKEN });
    assert.equal(refused.code, 2, refused.stderr);
    assert.equal(refused.stderr, `audit-lens: Refusing to send the Databricks token in clear to http://0.0.0.0:${port}: use https://0.0.0.0:${port}, or, only on a network you trust, pass --allow-insecure-http.\n`);
    assert.equal(fixture.server.requests.length, before, 'nothing was sent');
    // 0.0.0.0 reaches this machine's server while counting as another host: the flag lets it through.
    const allowed = await query('SELECT COUNT(*) AS n FROM audit_logs', ['--host', `http://0.0.0.0:${port}`, '--allow-insecure-http', '--format', 'csv'], { DATABRICKS_TOKEN: WAREHOUSE_TOKEN });
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.equal(allowed.stdout, 'n\n30\n');
    const help = await runCli(['query', '--help']);
    assert.match(help.stdout, /--allow-insecure-http +accept a plain http:\/\/ --host other than this machine: the token is\n +then sent in clear/);
    const stray = await runCli(['query', 'SELECT 1', '--source', fixture.folder, '--allow-insecure-http']);
    assert.equal(stray.code, 2);
    assert.match(stray.stderr, /--allow-insecure-http needs --engine databricks/);
  });

  it("never sends a profile's token to another --host, and says how to get that host's own", async () => {
    const other = await startWarehouse();
    try {
      for (const profile of [[], ['--profile', 'work']]) {
        const run = await query('SELECT COUNT(*) AS n FROM audit_logs', ['--host', other.server.endpoint, ...profile]);
        const label = profile.length ? 'work' : 'DEFAULT';
        assertFailure(run, new RegExp(`^audit-lens: No token for ${other.server.endpoint}: profile \\[${label}\\] belongs to ${fixture.server.endpoint}, so it is not sent to ${other.server.endpoint}\\. To query ${other.server.endpoint}, set DATABRICKS_HOST=${other.server.endpoint} with that workspace's DATABRICKS_TOKEN, or use --profile NAME with a profile of .* whose host is ${other.server.endpoint}\\.\\n$`));
        assert.doesNotMatch(run.stderr, new RegExp(WAREHOUSE_TOKEN));
      }
      assert.equal(other.server.requests.length, 0, 'the other host heard nothing');
      const own = await query('SELECT COUNT(*) AS n FROM audit_logs', ['--host', other.server.endpoint, '--format', 'csv'], { DATABRICKS_TOKEN: WAREHOUSE_TOKEN });
      assert.equal(own.code, 0, own.stderr);
      assert.equal(other.server.count((r) => r.method === 'POST'), 1);
      const sameHost = await query('SELECT COUNT(*) AS n FROM audit_logs', ['--host', `${fixture.server.endpoint}/`, '--profile', 'work', '--format', 'csv']);
      assert.equal(sameHost.code, 0, sameHost.stderr);
    } finally {
      await other.server.stop();
      rmSync(other.folder, { recursive: true, force: true });
    }
  });

  it('cancels at the first Ctrl+C while the POST hangs, exit 130', async () => {
    fixture.server.hangNext();
    let signalled = 0;
    const posts = fixture.server.count((r) => r.method === 'POST');
    const run = await query('SELECT * FROM audit_logs', [], {}, (child) => {
      const poll = setInterval(() => {
        if (fixture.server.count((r) => r.method === 'POST') > posts) {
          clearInterval(poll);
          signalled = Date.now();
          child.kill('SIGINT');
        }
      }, 20);
    });
    assert.equal(run.code, 130, run.stderr);
    assert.equal(run.stderr.trim(), 'audit-lens: cancelled');
    assert.ok(Date.now() - signalled < 3000, `ended ${Date.now() - signalled} ms after one Ctrl+C`);
  });

  it('ends a self-linking result with a message naming the statement, without warnings', async () => {
    const looping = await startWarehouse({ rowsPerChunk: 2, selfLinkedChunk: 1 });
    try {
      const run = await query('SELECT * FROM audit_logs', ['--host', looping.server.endpoint], { DATABRICKS_TOKEN: WAREHOUSE_TOKEN });
      const [id] = looping.server.statementIds;
      assertFailure(run, new RegExp(`^audit-lens: The warehouse's result of statement ${id} links back to a chunk already read`));
      assert.doesNotMatch(run.stderr, /MaxListenersExceededWarning|Warning/);
      assert.equal(looping.server.count((r) => r.path.includes('/result/chunks/')), 1);
    } finally {
      await looping.server.stop();
      rmSync(looping.folder, { recursive: true, force: true });
    }
  });

  it('fails naming a state it does not know, and tells a warehouse-side cancel from Ctrl+C', async () => {
    const weird = await startWarehouse({ executor: () => ({ state: 'WEIRD' }) });
    const stopped = await startWarehouse({ executor: () => ({ canceled: { message: 'Query was cancelled by an administrator.' } }) });
    try {
      const run = await query('SELECT 1', ['--host', weird.server.endpoint], { DATABRICKS_TOKEN: WAREHOUSE_TOKEN });
      assertFailure(run, /^audit-lens: The warehouse reported statement \S+ in the state "WEIRD", which this client does not know, so it stopped waiting/);
      const cancelled = await query('SELECT 1', ['--host', stopped.server.endpoint], { DATABRICKS_TOKEN: WAREHOUSE_TOKEN });
      assertFailure(cancelled, /^audit-lens: The statement was cancelled on the warehouse: Query was cancelled by an administrator\.\nstatement 01ef-\S+, CANCELLED\n$/);
    } finally {
      for (const f of [weird, stopped]) {
        await f.server.stop();
        rmSync(f.folder, { recursive: true, force: true });
      }
    }
  });

  it('names what the warehouse sent for an answer that is not a statement', async () => {
    const cases: [{ contentType: string; body: string }, RegExp][] = [
      [{ contentType: 'application/json', body: '{"statement_id": "01ef' }, /^audit-lens: The Databricks workspace at \S+ answered POST \/api\/2\.0\/sql\/statements with something that is not JSON \(HTTP 200, application\/json, 22 B, starting "\{\\"statement_id\\": \\"01ef"\): check that --host is the workspace URL\.\n$/],
      [{ contentType: 'text/html', body: '<html><body>\u001b[31mLog in</body></html>' }, /not JSON \(HTTP 200, text\/html, 37 B, starting "<html><body>\\u001b\[31mLog in<\/body><\/html>"\)/],
      [{ contentType: 'application/json', body: '{}' }, /with no statement_id, not a statement \(HTTP 200, application\/json, 2 B, starting "\{\}"\)\.\n$/],
    ];
    for (const [answer, message] of cases) {
      fixture.server.answerNext({ status: 200, ...answer });
      assertFailure(await query('SELECT 1'), message);
    }
  });

  it('refuses a huge inline result by its size, and names bad rows behind an external link', async () => {
    fixture.server.endlessBytesSent = 0;
    fixture.server.endlessNext({ bytes: 700 * MiB, declareLength: false });
    assertFailure(await query('SELECT 1'), /^audit-lens: The Databricks workspace at \S+ sent more than 64.0 MiB for POST \/api\/2\.0\/sql\/statements; this client reads at most 64.0 MiB at once: narrow the query or add a LIMIT/);
    assert.ok(fixture.server.endlessBytesSent < 200 * MiB, `${fixture.server.endlessBytesSent} bytes sent`);
    const bad = await startWarehouse({ externalBody: { contentType: 'application/json', body: '[["a"], ["b"' } });
    try {
      const run = await query('SELECT requestId FROM audit_logs', ['--host', bad.server.endpoint, '--format', 'csv'], { DATABRICKS_TOKEN: WAREHOUSE_TOKEN });
      assert.equal(run.code, 1, run.stderr);
      assert.match(run.stderr, /^audit-lens: Cloud storage sent chunk 0 of the result of statement \S+ as something that is not JSON \(HTTP 200, application\/json, 12 B, starting "\[\[\\"a\\"\], \[\\"b\\""\)\.\n$/);
      assert.doesNotMatch(run.stderr, STACK_FRAME);
    } finally {
      await bad.server.stop();
      rmSync(bad.folder, { recursive: true, force: true });
    }
  });
});
