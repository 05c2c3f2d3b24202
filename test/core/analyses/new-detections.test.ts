/**
 * The detections for what the original page did not cover (verbose audit logs turned off, Unity
 * Catalog grants and ownership changes, Delta Sharing recipients without an IP access list, secret
 * scanners), source addresses logged with a port, and services read under their old and new names.
 * Each case loads its records as a run does (the detection's own services and columns) and runs the
 * built-in's SQL through a real query session.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { detections, type Detection } from '../../../src/core/analyses';
import { detectionPushdown } from '../../../src/core/analyses/run';
import { otherNamesOf } from '../../../src/core/catalog';
import { expandParameters } from '../../../src/core/detections';
import type { QueryResult } from '../../../src/core/sql/database';
import { useDetectionTestEngine } from '../../support/detectionEngine';

const T0 = Date.UTC(2024, 0, 15, 10);
const MINUTE = 60_000;
const WORKSPACE = '9999557333217122';

/** The regular expression that drops the port of a source address. */
const DROP_PORT = "regexp_replace(sourceIPAddress, '^(?:\\\\[([^\\\\]]+)\\\\]|([^:]+))(?::[0-9]+)?$', '$1$2')";
/** The one expression the built-ins compare and group source addresses by: the address without a port (the expression skipped where there can be none). */
const ADDRESS_WITHOUT_PORT = `CASE WHEN instr(sourceIPAddress, ':') = 0 AND instr(sourceIPAddress, '[') = 0 THEN sourceIPAddress ELSE ${DROP_PORT} END`;
const oneSpaced = (sql: string): string => sql.replace(/\s+/g, ' ');

type Fields = Record<string, unknown>;

function line(fields: Fields): string {
  return JSON.stringify({
    version: '2.0',
    auditLevel: 'WORKSPACE_LEVEL',
    timestamp: T0,
    accountId: 'a4737b10-70e8-46d1-b58c-5fbf4e2bfd83',
    workspaceId: WORKSPACE,
    sourceIPAddress: '192.0.2.15',
    userAgent: 'test-agent/1.0',
    sessionId: null,
    userIdentity: { email: 'alice@example.com' },
    requestId: 'r',
    requestParams: {},
    response: { statusCode: 200, errorMessage: null, result: null },
    ...fields,
  });
}

/** A Unity Catalog line as the account delivers it. */
function ucLine(actionName: string, requestParams: Fields, extra: Fields = {}): string {
  return line({ auditLevel: 'ACCOUNT_LEVEL', workspaceId: '0', serviceName: 'unityCatalog', actionName, userAgent: 'curl/7.64.1', userIdentity: { email: 'alice@example.com', subjectName: null }, requestParams, ...extra });
}

function builtin(id: string): Detection {
  const found = detections.find((d) => d.id === id);
  assert.ok(found, `no built-in detection '${id}'`);
  return found;
}

const engine = useDetectionTestEngine();
let root: string;

before(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'new-detections-'));
});

after(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

let cases = 0;

/** Loads the lines as a run of this detection alone loads them, then runs its SQL. */
async function run(detection: Detection, lines: readonly string[]): Promise<Omit<QueryResult, 'durationMs'>> {
  const folder = path.join(root, `case-${++cases}`);
  for (const [i, text] of lines.entries()) {
    const record = JSON.parse(text) as { workspaceId: string; timestamp: number };
    const dir = path.join(folder, `workspaceId=${record.workspaceId}`, `date=${new Date(record.timestamp).toISOString().slice(0, 10)}`);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, `auditlogs_${i}.json`), text + '\n');
  }
  const loaded = await engine.load(folder, detectionPushdown([detection]));
  assert.equal(loaded.linesRejected, 0, JSON.stringify(loaded.problems));
  const latest = Math.max(...lines.map((text) => (JSON.parse(text) as { timestamp: number }).timestamp));
  return engine.query(detection.sql, { asOf: latest });
}

function column(result: Omit<QueryResult, 'durationMs'>, name: string): unknown[] {
  const at = result.columns.indexOf(name);
  assert.ok(at >= 0, `no column ${name} in ${result.columns.join(', ')}`);
  return result.rows.map((row) => row[at]);
}

describe('source addresses with a port', () => {
  it('the expression keeps the address alone: IPv4 and bracketed IPv6 lose their port, bare IPv6 and null stay', async () => {
    const forms: Array<[string | null, string | null]> = [
      ['1.2.3.4', '1.2.3.4'],
      ['1.2.3.4:5678', '1.2.3.4'],
      ['[::1]:443', '::1'],
      ['[2001:db8::1]:51234', '2001:db8::1'],
      ['[2001:db8::1]', '2001:db8::1'],
      ['2001:db8::1234', '2001:db8::1234'],
      ['fe80::1', 'fe80::1'],
      ['[192.0.2.1]', '192.0.2.1'],
      ['', ''],
      [null, null],
    ];
    const lines = forms.map(([address], i) => line({ serviceName: 'accounts', actionName: 'login', sourceIPAddress: address, requestId: `r${i}` }));
    const probe: Detection = { ...builtin('many-source-ips'), sql: `SELECT requestId, ${ADDRESS_WITHOUT_PORT} AS address FROM audit_logs ORDER BY requestId` };
    const result = await run(probe, lines);
    assert.deepEqual(column(result, 'address'), forms.map(([, expected]) => expected));
  });

  it('is the one expression the built-ins that compare or group addresses use', () => {
    for (const id of ['failed-logins', 'many-source-ips']) {
      assert.ok(oneSpaced(builtin(id).sql).includes(ADDRESS_WITHOUT_PORT), id);
    }
    const grouping = detections.filter((d) => /(GROUP BY|DISTINCT)[^;]*sourceIPAddress|sourceIPAddress[^,]*,[^;]*GROUP BY/s.test(d.sql));
    assert.ok(['failed-logins', 'many-source-ips'].every((id) => grouping.some((d) => d.id === id)), 'the check finds the detections that group addresses');
    for (const d of grouping) assert.ok(oneSpaced(d.sql).includes(ADDRESS_WITHOUT_PORT), `${d.id} groups or counts addresses without dropping the port`);
  });

  it('skips the regular expression only where it would give the address back unchanged', async () => {
    const addresses = ['1.2.3.4', '1.2.3.4\n', '1.2.3.4\r\n', 'host', ' 1.2.3.4 ', '[', ']', '[]', '[x', 'x]', '[a]b', '[a]', ':', '1:2', 'a:80', ':80', '[::1]:', '\u00e9.example', ''];
    const lines = addresses.map((address, i) => line({ serviceName: 'accounts', actionName: 'login', sourceIPAddress: address, requestId: `r${String(i).padStart(2, '0')}` }));
    const probe: Detection = { ...builtin('many-source-ips'), sql: `SELECT requestId, ${ADDRESS_WITHOUT_PORT} AS guarded, ${DROP_PORT} AS plain FROM audit_logs ORDER BY requestId` };
    const result = await run(probe, lines);
    assert.equal(result.rows.length, addresses.length);
    assert.deepEqual(column(result, 'guarded'), column(result, 'plain'));
  });

  it('many-source-ips counts one address through several ports once, and IPv6 with and without brackets as one', async () => {
    const login = (email: string, address: string, minute: number): string =>
      line({ serviceName: 'accounts', actionName: 'login', timestamp: T0 + minute * MINUTE, userIdentity: { email }, requestParams: { user: email }, sourceIPAddress: address });
    const lines = [
      login('ports@example.com', '198.51.100.7:50001', 0),
      login('ports@example.com', '198.51.100.7:50002', 1),
      login('ports@example.com', '198.51.100.7', 2),
      login('ports@example.com', '[2001:db8::7]:443', 3),
      login('ports@example.com', '2001:db8::7', 4),
      login('three@example.com', '198.51.100.1:443', 0),
      login('three@example.com', '[2001:db8::2]:443', 1),
      login('three@example.com', '203.0.113.3', 2),
    ];
    const result = await run(builtin('many-source-ips'), lines);
    assert.deepEqual(column(result, 'user'), ['three@example.com']);
    assert.deepEqual(column(result, 'source_ips'), [3]);
  });

  it('failed-logins groups the failures of one address whatever their ports, and reports the address', async () => {
    const failure = (address: string, minute: number): string =>
      line({ serviceName: 'accounts', actionName: 'login', timestamp: T0 + minute * MINUTE, userIdentity: { email: null }, requestParams: { user: 'target@example.com' }, sourceIPAddress: address, response: { statusCode: 401, errorMessage: 'Invalid credentials', result: null } });
    const fires = await run(builtin('failed-logins'), [0, 1, 2, 3, 4].map((m) => failure(`203.0.113.9:${40001 + m}`, m)));
    assert.deepEqual(column(fires, 'sourceIPAddress'), ['203.0.113.9']);
    assert.deepEqual(column(fires, 'failures'), [5]);
    const spread = await run(builtin('failed-logins'), [...[0, 1, 2, 3].map((m) => failure(`203.0.113.9:${40001 + m}`, m)), failure('203.0.113.10:40005', 4)]);
    assert.equal(spread.rowCount, 0, 'four failures from one address and one from another are not five');
  });
});

describe('services under their old and new names', () => {
  it('a built-in that reads a service reads it under every other name the catalog knows', () => {
    for (const d of detections) {
      for (const service of d.services) {
        for (const other of otherNamesOf(service)) {
          assert.ok(d.services.includes(other), `${d.id} reads ${service} but not ${other}`);
          assert.ok(d.sql.includes(`'${other}'`), `${d.id}'s SQL does not name ${other}`);
        }
      }
    }
  });

  it('model-downloads fires on the model registry under either name', async () => {
    for (const serviceName of ['mlflowModelRegistry', 'modelRegistry']) {
      const result = await run(builtin('model-downloads'), [line({ serviceName, actionName: 'getModelVersionSignedDownloadUri', requestParams: { name: 'm', version: '1' } })]);
      assert.equal(result.rowCount, 1, serviceName);
    }
  });

  it('result-downloads fires on Databricks SQL under sqlanalytics and databrickssql', async () => {
    for (const serviceName of ['sqlanalytics', 'databrickssql']) {
      const result = await run(builtin('result-downloads'), [line({ serviceName, actionName: 'downloadQueryResult', requestParams: { queryId: 'q', fileType: 'csv' } })]);
      assert.equal(result.rowCount, 1, serviceName);
    }
  });
});

describe('verbose-audit-logs-disabled', () => {
  const edit = (key: string, value: string, actionName = 'workspaceConfEdit'): string =>
    line({ serviceName: 'workspace', actionName, requestParams: { workspaceConfKeys: key, workspaceConfValues: value } });

  it('fires when enableVerboseAuditLogs is set to false, in any case, under either action name', async () => {
    const result = await run(builtin('verbose-audit-logs-disabled'), [edit('enableVerboseAuditLogs', 'false'), edit('enableVerboseAuditLogs', 'FALSE', 'workspaceConfKeys')]);
    assert.equal(result.rowCount, 2);
    assert.deepEqual(column(result, 'setting'), ['enableVerboseAuditLogs', 'enableVerboseAuditLogs']);
  });

  it('stays quiet when they are turned on or another setting is turned off', async () => {
    const result = await run(builtin('verbose-audit-logs-disabled'), [edit('enableVerboseAuditLogs', 'true'), edit('enableResultsDownloading', 'false')]);
    assert.equal(result.rowCount, 0);
  });
});

describe('uc-privilege-grants', () => {
  const grant = (changes: unknown, asText = true): string =>
    ucLine('updatePermissions', { securable_type: 'catalog', securable_full_name: 'main', changes: asText ? JSON.stringify(changes) : changes });

  it('fires on ALL_PRIVILEGES, ALL PRIVILEGES or MANAGE in an add list, as JSON text or as an array, with spaces or without', async () => {
    const lines = [
      grant([{ principal: 'a', add: ['ALL_PRIVILEGES'] }]),
      grant([{ principal: 'b', add: ['ALL PRIVILEGES'] }]),
      grant([{ principal: 'c', add: ['SELECT', 'MANAGE'] }], false),
      ucLine('updatePermissions', { securable_type: 'schema', securable_full_name: 'main.s', changes: '[{"principal": "d", "add": [ "MANAGE" ]}]' }),
    ];
    const result = await run(builtin('uc-privilege-grants'), lines);
    assert.equal(result.rowCount, 4);
  });

  it('stays quiet on narrow grants, on removals, and on privileges that only start with MANAGE', async () => {
    const lines = [
      grant([{ principal: 'a', add: ['SELECT', 'USE_CATALOG'] }]),
      grant([{ principal: 'b', remove: ['ALL_PRIVILEGES', 'MANAGE'] }]),
      grant([{ principal: 'c', add: ['USE_CATALOG'], remove: ['MANAGE'] }]),
      grant([{ principal: 'd', add: ['MANAGE_ALLOWLIST'] }]),
    ];
    assert.equal((await run(builtin('uc-privilege-grants'), lines)).rowCount, 0);
  });
});

describe('uc-ownership-changes', () => {
  it('fires on an update that sets an owner, and names the securable and the new owner', async () => {
    const result = await run(builtin('uc-ownership-changes'), [ucLine('updateMetastore', { metastore_id: 'm-1', owner: 'new-admins' })]);
    assert.deepEqual(column(result, 'new_owner'), ['new-admins']);
    assert.deepEqual(column(result, 'securable'), ['m-1']);
  });

  it('stays quiet on updates without an owner, an empty owner, and an owner seen on a read', async () => {
    const lines = [ucLine('updateMetastore', { metastore_id: 'm-1', delta_sharing_scope: 'INTERNAL' }), ucLine('updateMetastore', { metastore_id: 'm-1', owner: '' }), ucLine('getMetastore', { metastore_id: 'm-1', owner: 'x' })];
    assert.equal((await run(builtin('uc-ownership-changes'), lines)).rowCount, 0);
  });
});

describe('delta-sharing-no-ip-list', () => {
  const recipient = (params: Fields): string => ucLine('createRecipient', { name: 'partner', ...params });

  it('fires on token recipients with no list or an empty one, and on those that do not say their type', async () => {
    const lines = [recipient({ authentication_type: 'TOKEN' }), recipient({ authentication_type: 'TOKEN', ip_access_list: JSON.stringify({ allowed_ip_addresses: [] }) }), recipient({})];
    assert.equal((await run(builtin('delta-sharing-no-ip-list'), lines)).rowCount, 3);
  });

  it('stays quiet on a token recipient with addresses and on a Databricks-to-Databricks recipient', async () => {
    const lines = [recipient({ authentication_type: 'TOKEN', ip_access_list: JSON.stringify({ allowed_ip_addresses: ['8.8.8.8', '8.8.8.4/10'] }) }), recipient({ authentication_type: 'DATABRICKS' }), ucLine('updateRecipient', { name_arg: 'partner' })];
    assert.equal((await run(builtin('delta-sharing-no-ip-list'), lines)).rowCount, 0);
  });
});

describe('secret-scanner-agents', () => {
  const secrets = (userAgent: string, actionName = 'getSecret', email = 'alice@example.com'): string =>
    line({ serviceName: 'secrets', actionName, userAgent, userIdentity: { email }, requestParams: { scope: 's', key: 'k' } });

  it('fires on scanner user agents reading or listing secrets, whatever their case', async () => {
    const lines = [secrets('TruffleHog'), secrets('gitleaks/8.18', 'listSecrets'), secrets('detect-secrets 1.4', 'listScopes'), secrets('acme-secret-scanner/2', 'listAcls')];
    const result = await run(builtin('secret-scanner-agents'), lines);
    assert.equal(result.rowCount, 4);
  });

  it('stays quiet on other agents and on writes', async () => {
    const lines = [secrets('Apache-HttpClient/4.5.13 (Java/1.8.0_345)'), secrets('TruffleHog', 'putSecret')];
    assert.equal((await run(builtin('secret-scanner-agents'), lines)).rowCount, 0);
  });

  it('takes its scanners and the accounts of sanctioned scans as parameters', async () => {
    const d = builtin('secret-scanner-agents');
    const tuned: Detection = { ...d, sql: expandParameters(d.sqlTemplate, d.parameters, { scannerAgents: 'in-house-vault-audit', ignoreActors: ['appsec-bot@example.com'] }) };
    const lines = [secrets('In-House-Vault-Audit/3'), secrets('In-House-Vault-Audit/3', 'getSecret', 'appsec-bot@example.com'), secrets('TruffleHog')];
    assert.deepEqual(column(await run(tuned, lines), 'userAgent'), ['In-House-Vault-Audit/3']);
  });
});
