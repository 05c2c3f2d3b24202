/** The CLI's pushdown: `query` and `analyze` print the same with and without `--no-pushdown`. */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { pushdownFor } from '../../src/cli/pushdown';
import type { CliArgs } from '../../src/cli/command';
import { assertBuilt, runCli, type CliRun } from '../support/cli';

const SAMPLES = 'samples/bucket';

function run(args: string[]): Promise<CliRun> {
  return runCli(args);
}

async function samePrinted(args: string[]): Promise<string> {
  const [pushed, plain] = await Promise.all([run(args), run([...args, '--no-pushdown'])]);
  assert.equal(pushed.code, 0, pushed.stderr);
  assert.deepEqual(pushed, plain, args.join(' '));
  return pushed.stdout;
}

before(() => assertBuilt());

test('analyze prints the same with and without --no-pushdown', async () => {
  const printed = await samePrinted(['analyze', '--source', SAMPLES]);
  assert.match(printed, /== Apache Spark versions in use ==/);
});

const QUERIES = [
  `SELECT requestParams.spark_version, COUNT(*) FROM audit_logs WHERE serviceName = "clusters" AND actionName = "create" GROUP BY requestParams.spark_version ORDER BY 1`,
  `SELECT a.actionName, count(*) AS n FROM audit_logs AS a WHERE a.serviceName IN ('accounts', "jobs") GROUP BY 1 ORDER BY 1`,
  `SELECT * FROM audit_logs WHERE serviceName = 'sqlPermissions' AND actionName = 'requestPermissions' ORDER BY timestamp, _line`,
  `SELECT workspaceId, date, count(*) FROM audit_logs WHERE serviceName = 'nosuch' GROUP BY 1, 2`,
];

for (const [i, sql] of QUERIES.entries()) {
  test(`query ${i + 1} prints the same json and csv with and without --no-pushdown`, async () => {
    const json = JSON.parse(await samePrinted(['query', sql, '--source', SAMPLES, '--format', 'json'])) as { rowCount: number };
    if (i < 3) assert.ok(json.rowCount > 0, 'the sample bucket answers it');
    await samePrinted(['query', sql, '--source', SAMPLES, '--format', 'csv', '--from', '2024-05-07']);
  });
}

test('both commands document --no-pushdown', async () => {
  for (const command of ['query', 'analyze']) assert.match((await run([command, '--help'])).stdout, /--no-pushdown/);
});

test('pushdownFor derives the prefilter and the fields read unless --no-pushdown is given', () => {
  const args = (...flags: string[]): CliArgs => ({ positionals: [], options: new Map(), flags: new Set(flags) });
  const sql = `SELECT * FROM audit_logs WHERE serviceName = "clusters"`;
  // No query here reads a hot column (see hot-columns.ts): the load fills none.
  assert.deepEqual(pushdownFor(args(), [sql]), { prefilter: { serviceNames: ['clusters'] }, hotColumns: [] });
  assert.deepEqual(pushdownFor(args('no-pushdown'), [sql]), {});
  assert.deepEqual(pushdownFor(args(), [sql, 'SELECT count(*) FROM audit_logs']), { hotColumns: [] });
  assert.deepEqual(pushdownFor(args(), ['SELECT count(*) FROM audit_logs']), { columns: [], hotColumns: [] });
  assert.deepEqual(pushdownFor(args(), ['SELECT actionName FROM audit_logs WHERE serviceName = "jobs"']), { prefilter: { serviceNames: ['jobs'] }, columns: ['serviceName', 'actionName'], hotColumns: [] });
  assert.deepEqual(pushdownFor(args(), ['SELECT userIdentity.email FROM audit_logs WHERE response.statusCode = 403']).hotColumns, ['_hot_user_email', '_hot_status_code']);
});
