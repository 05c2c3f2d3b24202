import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { startGcsServer, type GcsTestServer } from '../../gcs-server';

const run = promisify(execFile);
const CLI = path.resolve('dist/cli.js');
const SAMPLES = path.resolve('samples/bucket');

async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(folder, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
}

function maskFileCells(table: string, sourceUri: string): string {
  const start = sourceUri.slice(0, 10);
  return table
    .split('\n')
    .map((line) => line.split(/\s+/).map((cell) => (cell.startsWith(start) ? '<file>' : cell)).join(' '))
    .join('\n');
}

async function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const { stdout } = await run(process.execPath, [CLI, ...args], {
    env: { ...process.env, STORAGE_EMULATOR_HOST: '', ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

describe('the CLI over gs:// gives the answers it gives over the same files in a folder', () => {
  let server: GcsTestServer;
  const gcs = 'gs://cli-bucket/delivery/audit-logs';

  before(async () => {
    assert.ok(existsSync(CLI), 'dist/cli.js is missing: run `npm run build` first');
    server = await startGcsServer({ maxPageSize: 5 });
    server.createBucket('cli-bucket');
    for (const name of await filesUnder(SAMPLES)) {
      server.put('cli-bucket', `delivery/audit-logs/${name}`, await readFile(path.join(SAMPLES, name)));
    }
  });
  after(() => server.stop());

  const queries = [
    'SELECT DISTINCT userIdentity.email, sourceIPAddress FROM audit_logs WHERE serviceName = "accounts" AND actionName LIKE "%login%" ORDER BY 1, 2',
    'SELECT requestParams.spark_version, COUNT(*) AS n FROM audit_logs WHERE serviceName = "clusters" AND actionName = "create" GROUP BY 1 ORDER BY 1',
    'SELECT workspaceId, date, serviceName, actionName, COUNT(*) AS n FROM audit_logs GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4',
  ];

  for (const sql of queries) {
    it(`query: ${sql.slice(0, 60)}…`, async () => {
      const fromFolder = await cli(['query', sql, '--source', SAMPLES, '--format', 'json']);
      const fromGcs = await cli(['query', sql, '--source', gcs, '--gcs-endpoint', server.endpoint, '--format', 'json']);
      assert.ok(fromFolder.trim().length > 2, 'the folder query returned nothing to compare');
      assert.equal(fromGcs, fromFolder);
    });
  }

  it('query with a date range and workspace reads only the partitions selected', async () => {
    const sql = 'SELECT date, COUNT(*) AS n FROM audit_logs GROUP BY 1 ORDER BY 1';
    const all = await filesUnder(SAMPLES);
    const [workspace, date] = /workspaceId=(\d+)\/date=([\d-]+)\//.exec(all[0]!)!.slice(1) as [string, string];
    const filter = ['--from', date, '--to', date, '--workspace', workspace];
    const fromFolder = await cli(['query', sql, '--source', SAMPLES, '--format', 'json', ...filter]);
    server.resetLog();
    const fromGcs = await cli(['query', sql, '--source', gcs, '--gcs-endpoint', server.endpoint, '--format', 'json', ...filter]);
    assert.equal(fromGcs, fromFolder);
    const expectedFiles = all.filter((f) => f.startsWith(`workspaceId=${workspace}/date=${date}/`)).length;
    assert.equal(server.count({ kind: 'media' }), expectedFiles);
    for (const request of server.requests) {
      assert.match(request.query.get('prefix') ?? request.object ?? '', new RegExp(`^delivery/audit-logs/workspaceId=${workspace}/`));
    }
  });

  it('analyze', async () => {
    const fromFolder = await cli(['analyze', '--source', SAMPLES]);
    const fromGcs = await cli(['analyze', '--source', gcs, '--gcs-endpoint', server.endpoint]);
    assert.ok(fromFolder.length > 100);
    // The provenance column (_file) names the source, cut to the column width: mask it.
    assert.equal(maskFileCells(fromGcs, gcs), maskFileCells(fromFolder, SAMPLES));
  });

  it('takes the endpoint from STORAGE_EMULATOR_HOST too', async () => {
    const sql = queries[2]!;
    const fromFolder = await cli(['query', sql, '--source', SAMPLES, '--format', 'json']);
    assert.equal(await cli(['query', sql, '--source', gcs, '--format', 'json'], { STORAGE_EMULATOR_HOST: server.endpoint }), fromFolder);
  });

  it('exits 1 with a readable message when the bucket does not exist', async () => {
    await assert.rejects(
      cli(['query', 'SELECT 1', '--source', 'gs://no-such-bucket', '--gcs-endpoint', server.endpoint]),
      (e: { code?: number; stderr?: string }) => {
        assert.equal(e.code, 1);
        assert.match(e.stderr ?? '', /Bucket not found: gs:\/\/no-such-bucket/);
        return true;
      },
    );
  });
});
