/** `audit-lens index`: builds and refreshes the shared scan cache, and query reads by it. */
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SCAN_CACHE_ENV } from '../../src/core/scan/cache-location';
import { startGcsServer, type GcsTestServer } from '../gcs-server';
import { assertBuilt, runCli } from '../support/cli';
import { putDeliveryTree, writeDeliveryTree, type DeliveryTree } from '../support/deliveryTree';
import { aLine } from '../support/records';

function lines(workspace: number, emails: string[]): string[] {
  return emails.map((email, i) => aLine({ userIdentity: { email }, sessionId: `s-${email}`, sourceIPAddress: `10.0.${workspace}.${i}`, requestId: `w${workspace}-r${i}` }));
}

describe('audit-lens index', () => {
  let tree: DeliveryTree;
  let server: GcsTestServer;
  const folders: string[] = [];
  const cacheFolder = (): string => {
    const folder = mkdtempSync(path.join(tmpdir(), 'audit-lens-cli-index-'));
    folders.push(folder);
    return folder;
  };

  before(async () => {
    assertBuilt();
    tree = writeDeliveryTree([
      { workspaceId: '1', date: '2024-03-05', lines: lines(1, ['ana@example.com', 'bo@example.com', 'bo@example.com']) },
      { workspaceId: '2', date: '2024-03-05', lines: lines(2, ['bo@example.com', 'carl@example.com', 'carl@example.com']) },
      { workspaceId: '2', date: '2024-03-06', lines: lines(3, ['carl@example.com', 'dee@example.com', 'ana@example.com']) },
    ]);
    server = await startGcsServer();
    putDeliveryTree(server, 'logs', '', tree);
  });
  after(async () => {
    await server.stop();
    tree.remove();
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  async function index(cache: string, ...args: string[]): Promise<Record<string, unknown>> {
    const run = await runCli(['index', '--json', ...args], { env: { [SCAN_CACHE_ENV]: cache } });
    assert.equal(run.code, 0, run.stderr);
    return JSON.parse(run.stdout) as Record<string, unknown>;
  }

  it('scans each file once, counts its identities and sizes, and scans a rewritten file again', async () => {
    const cache = cacheFolder();
    const first = await index(cache, '--source', tree.root);
    assert.deepEqual(
      { files: first.files, scanned: first.scanned, upToDate: first.upToDate, skipped: first.skipped, cache: first.cacheDirectory },
      { files: 3, scanned: 3, upToDate: 0, skipped: 0, cache: path.resolve(cache) },
    );
    assert.deepEqual(first.identities, { 'userIdentity.email': 4, 'requestParams.user': 0, sourceIPAddress: 9, sessionId: 4 });
    assert.ok(Number(first.indexBytes) > 0 && Number(first.dataBytes) > 0);
    const again = await index(cache, '--source', tree.root);
    assert.deepEqual([again.scanned, again.upToDate], [0, 3]);
    const copy = writeDeliveryTree([{ workspaceId: '1', date: '2024-03-05', lines: lines(1, ['ana@example.com']) }, { workspaceId: '1', date: '2024-03-06', lines: lines(1, ['bo@example.com']) }]);
    try {
      await index(cache, '--source', copy.root);
      appendFileSync(copy.files[1]!, aLine({ userIdentity: { email: 'eve@example.com' } }) + '\n');
      utimesSync(copy.files[1]!, new Date(), new Date(Date.now() + 5000));
      const refreshed = await index(cache, '--source', copy.root, '--from', '2024-03-06');
      assert.deepEqual([refreshed.files, refreshed.scanned, refreshed.upToDate], [1, 1, 0]);
      assert.equal((refreshed.identities as Record<string, number>)['userIdentity.email'], 2);
    } finally {
      copy.remove();
    }
  });

  it('prints a summary for people', async () => {
    const run = await runCli(['index', '--source', tree.root, '--workspace', '1'], { env: { [SCAN_CACHE_ENV]: cacheFolder() } });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^1 file: 1 scanned, 0 up to date\nidentities: 2 emails, 0 attempted users, 3 IP addresses, 2 sessions\nindex: .+ for .+ of logs \(.+% of the data\)\ncache: .+\ntook \d+\.\d s\n$/);
  });

  it('stops on Ctrl+C with exit 130, keeping the files scanned so far', async () => {
    const cache = cacheFolder();
    const many = writeDeliveryTree(Array.from({ length: 60 }, (_, i) => ({ workspaceId: String(1 + (i % 3)), date: `2024-04-${String(1 + Math.floor(i / 3)).padStart(2, '0')}`, lines: lines(i, Array.from({ length: 3000 }, (_, j) => `user${j % 50}@example.com`)) })));
    try {
      const run = await runCli(['index', '--source', many.root, '--concurrency', '1'], {
        env: { [SCAN_CACHE_ENV]: cache },
        // Interrupted once the first entry is written: the scan is under way.
        onSpawn: (child) => {
          const poll = setInterval(() => {
            if (entriesIn(cache) === 0) return;
            clearInterval(poll);
            child.kill('SIGINT');
          }, 10);
          child.on('exit', () => clearInterval(poll));
        },
      });
      assert.equal(run.code, 130, run.stderr);
      const kept = entriesIn(cache);
      assert.ok(kept >= 1 && kept < 60, `${kept} entries`);
      const resumed = await index(cache, '--source', many.root);
      assert.deepEqual([resumed.scanned, resumed.upToDate], [60 - kept, kept]);
    } finally {
      many.remove();
    }
  });

  it('exits 2 on usage errors', async () => {
    for (const args of [[], ['--source', tree.root, 'extra'], ['--source', tree.root, '--concurrency', '0'], ['--source', tree.root, '--from', '2024-13-01']]) {
      const run = await runCli(['index', ...args], { env: { [SCAN_CACHE_ENV]: cacheFolder() } });
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
    }
  });

  it('lets query fetch from GCS only the files that hold the identity, with the answer of a read without the index', async () => {
    const sql = `SELECT workspaceId, requestId FROM audit_logs WHERE userIdentity.email = 'ana@example.com' ORDER BY requestId`;
    const common = ['--source', 'gs://logs', '--gcs-endpoint', server.endpoint, '--format', 'csv'];
    const media = () => new Set(server.requests.filter((r) => r.kind === 'media').map((r) => r.object));

    server.resetLog();
    const without = await runCli(['query', sql, ...common], { env: { [SCAN_CACHE_ENV]: cacheFolder() } });
    assert.equal(without.code, 0, without.stderr);
    assert.equal(media().size, 3);

    const cache = cacheFolder();
    await index(cache, '--source', 'gs://logs', '--gcs-endpoint', server.endpoint);
    server.resetLog();
    const withIndex = await runCli(['query', sql, ...common, '--row-budget', '2'], { env: { [SCAN_CACHE_ENV]: cache } });
    assert.equal(withIndex.code, 0, withIndex.stderr);
    assert.equal(withIndex.stdout, without.stdout);
    assert.equal(withIndex.stdout, 'workspaceId,requestId\n1,w1-r0\n2,w3-r2\n');
    assert.deepEqual([...media()].sort(), ['workspaceId=1/date=2024-03-05/auditlogs_0000.json', 'workspaceId=2/date=2024-03-06/auditlogs_0002.json']);
  });
});

function entriesIn(cache: string): number {
  if (!existsSync(cache)) return 0;
  return readdirSync(cache).reduce((sum, folder) => sum + readdirSync(path.join(cache, folder)).filter((name) => name.endsWith('.json')).length, 0);
}
