/**
 * `audit-lens detect --export databricks-alerts --out DIR`: a query and an alert file per
 * detection, valid against the documented request schemas, an index.json listing them, and a
 * deploy.sh that creates each query and then its alert with the query's id; usage errors (exit 2)
 * for a file as --out, options that read logs now, local sources and no place to read audit_logs.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { detections } from '../../src/core/analyses';
import { assertBuilt, ROOT, runCli, STACK_FRAME } from '../support/cli';

interface Index {
  detections: { id: string; severity: string; pack: string; query: string; alert: string; condition: string }[];
  warehouseId: string | null;
  auditLogs: unknown;
  queryIdPlaceholder: string;
  deploy: { script: string; note: string[] };
}

const ajv = new Ajv2020({ allErrors: true, strict: true });
const validQuery = ajv.compile(JSON.parse(readFileSync(path.join(ROOT, 'schema/databricks-query-create.schema.json'), 'utf8')) as object);
const validAlert = ajv.compile(JSON.parse(readFileSync(path.join(ROOT, 'schema/databricks-alert-create.schema.json'), 'utf8')) as object);
const PUBLISHED = path.join(ROOT, 'test/core/analyses/fixtures/queries_and_alerts.json');
const SOURCE = 'gs://audit-delivery/logs';

let root: string;

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

function hasTool(name: string): boolean {
  return spawnSync(name, ['--version'], { stdio: 'ignore' }).status === 0;
}

before(() => {
  assertBuilt();
  root = mkdtempSync(path.join(tmpdir(), 'audit-lens-export-alerts-'));
});

after(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('detect --export databricks-alerts', () => {
  it('writes a valid query and alert for every detection, built-ins and a published pack, and an index of them', async () => {
    const out = path.join(root, 'all');
    const run = await runCli(['detect', '--export', 'databricks-alerts', '--out', out, '--source', SOURCE, '--pack', PUBLISHED, '--warehouse', 'a7066a8ef796be84']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '', 'with --warehouse, no warning');
    const total = detections.length + 3;
    assert.ok(run.stdout.includes(`Wrote ${total} queries and their alerts to ${out}`), run.stdout);
    const index = readJson<Index>(path.join(out, 'index.json'));
    assert.deepEqual(index.detections.map((d) => d.id), [...detections.map((d) => d.id), 'changes_to_workspace_configuration', 'ip_access_list_failures_last_90_days', 'ip_access_list_changes']);
    assert.equal(index.warehouseId, 'a7066a8ef796be84');
    assert.deepEqual(index.auditLogs, { readFiles: [SOURCE] });
    assert.deepEqual(readdirSync(path.join(out, 'queries')).sort(), index.detections.map((d) => path.basename(d.query)).sort());
    assert.deepEqual(readdirSync(path.join(out, 'alerts')).sort(), index.detections.map((d) => path.basename(d.alert)).sort());
    for (const entry of index.detections) {
      const query = readJson<{ query: { query_text: string; warehouse_id?: string } }>(path.join(out, entry.query));
      const alert = readJson<{ alert: { query_id: string; condition: { op: string; operand: { column: { name: string } }; threshold: { value: unknown } } } }>(path.join(out, entry.alert));
      assert.ok(validQuery(query), `${entry.query}: ${ajv.errorsText(validQuery.errors)}`);
      assert.ok(validAlert(alert), `${entry.alert}: ${ajv.errorsText(validAlert.errors)}`);
      assert.equal(query.query.warehouse_id, 'a7066a8ef796be84');
      assert.equal(alert.alert.query_id, index.queryIdPlaceholder);
      assert.doesNotMatch(query.query.query_text, /\bsystem_access_audit\b/, 'the system table under its own name');
    }
    const conf = index.detections.find((d) => d.id === 'changes_to_workspace_configuration')!;
    assert.equal(conf.pack, PUBLISHED);
    const confAlert = readJson<{ alert: { condition: { op: string; operand: { column: { name: string } }; threshold: { value: unknown } } } }>(path.join(out, conf.alert));
    assert.deepEqual([confAlert.alert.condition.op, confAlert.alert.condition.operand.column.name, confAlert.alert.condition.threshold.value], ['GREATER_THAN', 'total', { double_value: 0 }]);
    const mounts = index.detections.find((d) => d.id === 'mounts')!;
    assert.equal(mounts.condition, 'audit_lens_findings > 0');
    assert.match(readJson<{ query: { query_text: string } }>(path.join(out, mounts.query)).query.query_text, /FROM read_files\('gs:\/\/audit-delivery\/logs\/', format => 'json'\)/);
  });

  it('reads a table for audit_logs with --audit-table; --only narrows; without --warehouse it warns and the index says so', async () => {
    const out = path.join(root, 'table');
    const run = await runCli(['detect', '--export', 'databricks-alerts', '--out', out, '--audit-table', 'main.security.audit_logs', '--only', 'mounts']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /^warning: no --warehouse/m);
    const index = readJson<Index>(path.join(out, 'index.json'));
    assert.deepEqual(index.detections.map((d) => d.id), ['mounts']);
    assert.equal(index.warehouseId, null);
    assert.deepEqual(index.auditLogs, { table: 'main.security.audit_logs' });
    const query = readJson<{ query: { query_text: string; warehouse_id?: string } }>(path.join(out, 'queries/mounts.json'));
    assert.match(query.query.query_text, /^WITH audit_logs AS \(\nSELECT \* FROM main\.security\.audit_logs\n\)/);
    assert.equal(query.query.warehouse_id, undefined);
  });

  it('needs no source when every detection reads the system table', async () => {
    const out = path.join(root, 'system');
    const run = await runCli(['detect', '--export', 'databricks-alerts', '--out', out, '--no-builtin', '--pack', PUBLISHED, '--warehouse', 'w1']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(readJson<Index>(path.join(out, 'index.json')).detections.length, 3);
  });

  it('deploy.sh creates each query, then its alert with the id the Queries API answered', { skip: !hasTool('curl') || !hasTool('jq') ? 'needs curl and jq' : false }, async () => {
    const out = path.join(root, 'deploy');
    const run = await runCli(['detect', '--export', 'databricks-alerts', '--out', out, '--no-builtin', '--pack', PUBLISHED]);
    assert.equal(run.code, 0, run.stderr);
    const received: { path: string; auth: string; body: Record<string, Record<string, unknown>> }[] = [];
    const body = (req: IncomingMessage) => new Promise<string>((resolve) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
    const server: Server = createServer((req, res) => {
      void body(req).then((text) => {
        received.push({ path: req.url ?? '', auth: req.headers.authorization ?? '', body: JSON.parse(text) as Record<string, Record<string, unknown>> });
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ id: `id-${received.length}` }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const script = path.join(out, 'deploy.sh');
      const result = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
        const child = spawn(script, [], { env: { ...process.env, DATABRICKS_HOST: `http://127.0.0.1:${port}`, DATABRICKS_TOKEN: 'dapi-test', DATABRICKS_WAREHOUSE_ID: 'wh-9' }, stdio: ['ignore', 'ignore', 'pipe'] });
        const err: Buffer[] = [];
        child.stderr.on('data', (c: Buffer) => err.push(c));
        child.on('close', (status) => resolve({ status, stderr: Buffer.concat(err).toString('utf8') }));
      });
      assert.equal(result.status, 0, result.stderr);
      assert.equal(received.length, 6);
      for (let i = 0; i < received.length; i += 2) {
        const [query, alert] = [received[i]!, received[i + 1]!];
        assert.equal(query.path, '/api/2.0/sql/queries');
        assert.equal(query.body.query!.warehouse_id, 'wh-9');
        assert.ok(validQuery(query.body), ajv.errorsText(validQuery.errors));
        assert.equal(alert.path, '/api/2.0/sql/alerts');
        assert.equal(alert.body.alert!.query_id, `id-${i + 1}`, 'the id the query was created with');
        assert.ok(validAlert(alert.body), ajv.errorsText(validAlert.errors));
        assert.equal(query.auth, 'Bearer dapi-test');
      }
    } finally {
      server.close();
    }
  });

  it('replaces its own files in an existing folder', async () => {
    const out = path.join(root, 'again');
    mkdirSync(out);
    writeFileSync(path.join(out, 'notes.txt'), 'kept');
    for (let i = 0; i < 2; i++) {
      const run = await runCli(['detect', '--export', 'databricks-alerts', '--out', out, '--source', SOURCE, '--only', 'mounts', '--warehouse', 'w']);
      assert.equal(run.code, 0, run.stderr);
    }
    assert.equal(readFileSync(path.join(out, 'notes.txt'), 'utf8'), 'kept');
    assert.deepEqual(readdirSync(path.join(out, 'queries')), ['mounts.json']);
  });
});

describe('detect --export usage errors', () => {
  const usage = async (args: string[], message: RegExp) => {
    const run = await runCli(['detect', ...args]);
    assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
    assert.match(run.stderr, message);
    assert.doesNotMatch(run.stderr, STACK_FRAME);
    assert.equal(run.stdout, '');
  };

  it('refuses a file as --out, and no --out', async () => {
    const file = path.join(root, 'a-file.json');
    writeFileSync(file, '{}');
    await usage(['--export', 'databricks-alerts', '--out', file, '--source', SOURCE], /is a file: the export writes a folder/);
    await usage(['--export', 'databricks-alerts', '--out', path.join(file, 'below'), '--source', SOURCE], /Cannot write .*below.*: a file stands where a folder should be/);
    await usage(['--export', 'databricks-alerts', '--source', SOURCE], /--export needs --out DIR/);
    assert.equal(readFileSync(file, 'utf8'), '{}');
  });

  it('refuses another format, export options without --export, and options that read logs now', async () => {
    const out = path.join(root, 'never');
    await usage(['--export', 'terraform', '--out', out, '--source', SOURCE], /--export 'terraform' is not one of databricks-alerts/);
    await usage(['--out', out, '--source', SOURCE], /--out is an option of --export databricks-alerts/);
    await usage(['--source', SOURCE, '--audit-table', 'a.b.c'], /--audit-table is an option of --export/);
    for (const extra of [['--from', '2024-01-01'], ['--workspace', '7'], ['--format', 'json'], ['--as-of', 'scope-end'], ['--test'], ['--dedupe']]) {
      await usage(['--export', 'databricks-alerts', '--out', out, '--source', SOURCE, ...extra], new RegExp(`it takes no ${extra[0]}\\.`));
    }
    assert.equal(existsSync(out), false, 'nothing written');
  });

  it('refuses a local source, both --source and --audit-table, a bad table name, and nowhere to read audit_logs from', async () => {
    const out = path.join(root, 'never');
    await usage(['--export', 'databricks-alerts', '--out', out, '--source', 'samples/bucket'], /--source 'samples\/bucket' is not a gs:\/\/ URI/);
    await usage(['--export', 'databricks-alerts', '--out', out, '--source', SOURCE, '--audit-table', 'a.b.c'], /not both/);
    await usage(['--export', 'databricks-alerts', '--out', out, '--audit-table', 'a b'], /--audit-table 'a b' is not a table name/);
    await usage(['--export', 'databricks-alerts', '--out', out, '--only', 'mounts'], /Detection 'mounts' reads audit_logs[^\n]*\nAdd --source gs:\/\/bucket\/prefix or --audit-table/);
    assert.equal(existsSync(out), false, 'nothing written');
  });

  it('a folder it may not write in fails with exit 1, naming the file', { skip: process.platform === 'win32' }, async () => {
    const locked = path.join(root, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o555);
    chmodSync(root, 0o755);
    // root writes anywhere: run the CLI as an unprivileged user then.
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const run = await runCli(['detect', '--export', 'databricks-alerts', '--out', path.join(locked, 'out'), '--source', SOURCE, '--only', 'mounts'], { ...asUser, cwd: tmpdir() });
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /Permission denied writing .*locked\/out\/queries/);
    assert.doesNotMatch(run.stderr, STACK_FRAME);
  });
});
