import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  generateDeliveryFiles,
  generateRecords,
  generatedWorkspaceIds,
  serializeRecords,
  SYSTEM_USER,
  type AuditRecord,
  type GenerateOptions,
} from './';
import { parseObjectPath } from '../../../src/core/layout';

const small: GenerateOptions = { seed: 'shape-test', workspaces: 3, days: 3, startDate: '2024-02-28', recordsPerDay: 400 };

function records(options: GenerateOptions = small): AuditRecord[] {
  return [...generateRecords(options)].map((r) => r.record);
}

test('the same seed gives the same files, byte for byte', () => {
  const text = (o: GenerateOptions) => [...generateDeliveryFiles(o)].map((f) => `${f.relativePath}\n${serializeRecords(f.records)}`).join('');
  assert.equal(text(small), text({ ...small }));
  assert.notEqual(text(small), text({ ...small, seed: 'another' }));
});

test('a partition does not depend on how many days are generated or on whether its workspace id was given', () => {
  const firstDay = (o: GenerateOptions) => [...generateDeliveryFiles(o)].filter((f) => f.date === '2024-02-28' && f.workspaceId !== '0');
  const ids = generatedWorkspaceIds(small);
  const a = firstDay({ ...small, days: 1 }).map((f) => serializeRecords(f.records));
  const b = firstDay({ ...small, days: 3, workspaces: ids }).map((f) => serializeRecords(f.records));
  assert.deepEqual(a, b);
});

test('paths follow the delivery layout, dates come from timestamps, and account events live under 0', () => {
  const files = [...generateDeliveryFiles({ ...small, prefix: 'audit/logs' })];
  const seen = new Set<string>();
  for (const file of files) {
    const parsed = parseObjectPath(file.relativePath, 'audit/logs');
    assert.ok(parsed.ok, file.relativePath);
    assert.equal(parsed.value.workspaceId, file.workspaceId);
    assert.equal(parsed.value.date, file.date);
    seen.add(file.workspaceId);
    for (const r of file.records) {
      assert.equal(new Date(r.timestamp).toISOString().slice(0, 10), file.date);
      assert.equal(r.auditLevel, file.workspaceId === '0' ? 'ACCOUNT_LEVEL' : 'WORKSPACE_LEVEL');
    }
  }
  assert.ok(seen.has('0'));
  assert.equal(seen.size, 4);
  assert.deepEqual(new Set(files.map((f) => f.date)), new Set(['2024-02-28', '2024-02-29', '2024-03-01']));
});

test('records have the delivered shapes', () => {
  for (const r of records()) {
    assert.equal(r.version, '2.0');
    assert.ok(Number.isInteger(r.timestamp) && r.timestamp > 1.6e12);
    if (r.workspaceId !== undefined) assert.match(r.workspaceId, /^\d+$/);
    for (const value of Object.values(r.requestParams)) assert.equal(typeof value, 'string');
    assert.deepEqual(Object.keys(r.response).sort(), ['errorMessage', 'result', 'statusCode']);
    assert.ok(r.response.statusCode === null || Number.isInteger(r.response.statusCode));
    assert.ok('email' in r.userIdentity);
  }
});

test('workspace ids have 16 digits and one exceeds the safe integers', () => {
  const ids = generatedWorkspaceIds(small);
  assert.equal(ids.length, 3);
  for (const id of ids) assert.match(id, /^\d{16}$/);
  assert.ok(ids.some((id) => BigInt(id) > BigInt(Number.MAX_SAFE_INTEGER)));
});

test('every service of the documented tables appears, with documented keys', () => {
  const all = records({ ...small, days: 7, recordsPerDay: 800 });
  const services = new Set(all.map((r) => r.serviceName));
  for (const s of ['accounts', 'clusters', 'dbfs', 'genie', 'globalInitScripts', 'groups', 'iamRole', 'instancePools', 'jobs', 'mlflowExperiment', 'mlflowModelRegistry', 'notebook', 'repos', 'secrets', 'sqlanalytics', 'sqlPermissions', 'ssh', 'workspace', 'accountBillableUsage', 'logDelivery', 'accountsManager', 'ssoConfigBackend']) {
    assert.ok(services.has(s), `missing service ${s}`);
  }
  const creates = all.filter((r) => r.serviceName === 'clusters' && r.actionName === 'create');
  assert.ok(creates.some((r) => /^\d+\.\d+\.x-.*scala2\.12$/.test(r.requestParams.spark_version ?? '')));
  assert.ok(creates.some((r) => !('spark_version' in r.requestParams)), 'some creates carry no spark_version');
});

test('security-relevant events are present with their real shapes', () => {
  const all = records({ ...small, days: 7, recordsPerDay: 800 });
  const failedLogins = all.filter((r) => r.serviceName === 'accounts' && r.response.statusCode === 401);
  assert.ok(failedLogins.length > 0);
  for (const r of failedLogins) {
    assert.equal(r.userIdentity.email, null);
    assert.ok(r.requestParams.user);
  }
  const denied = all.filter((r) => r.serviceName === 'accounts' && r.response.statusCode === 403);
  assert.ok(denied.some((r) => /blocked by Databricks IP ACL/.test(r.response.errorMessage ?? '')));
  for (const action of ['setAdmin', 'generateDbToken']) assert.ok(all.some((r) => r.actionName === action), action);
  for (const [service, action] of [['secrets', 'getSecret'], ['genie', 'databricksAccess'], ['workspace', 'workspaceConfEdit'], ['notebook', 'downloadPreviewResults'], ['dbfs', 'mount'], ['globalInitScripts', 'create']]) {
    assert.ok(all.some((r) => r.serviceName === service && r.actionName === action), `${service}.${action}`);
  }
});

test('automated actions are performed by System-User and service principals appear as UUIDs', () => {
  const all = records();
  assert.ok(all.some((r) => r.userIdentity.email === SYSTEM_USER && r.actionName === 'resize'));
  assert.ok(all.some((r) => r.userIdentity.email === SYSTEM_USER && r.actionName === 'runSucceeded' && r.requestParams.jobTriggerType === 'cron'));
  assert.ok(all.some((r) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(r.userIdentity.email ?? '')));
});

test('long actions log a request and a response under one requestId', () => {
  const all = records();
  const byRequest = new Map<string, AuditRecord[]>();
  for (const r of all) byRequest.set(r.requestId, [...(byRequest.get(r.requestId) ?? []), r]);
  const createPairs = [...byRequest.values()].filter((group) => group.some((r) => r.actionName === 'create' && r.serviceName === 'clusters') && group.some((r) => r.actionName === 'createResult'));
  assert.ok(createPairs.length > 0);
  for (const [request, result] of createPairs) assert.ok(request!.timestamp <= result!.timestamp);
  const halves = [...byRequest.values()].filter((g) => g.length === 2 && g[0]!.actionName === g[1]!.actionName);
  assert.ok(halves.some((g) => g[0]!.response.statusCode === null && g[1]!.response.statusCode === 200));
});

test('extra top-level keys and omitted workspaceId both occur', () => {
  const all = records();
  assert.ok(all.some((r) => r.orgId !== undefined));
  assert.ok(all.some((r) => r.shardName !== undefined));
  assert.ok(all.some((r) => r.workspaceId === undefined));
  assert.ok(all.some((r) => r.workspaceId !== undefined));
});

test('JSON-encoded request parameters are valid JSON', () => {
  const r = records().find((x) => x.serviceName === 'jobs' && x.actionName === 'create');
  assert.ok(r);
  assert.equal(typeof JSON.parse(r.requestParams.notebook_task!), 'object');
});
