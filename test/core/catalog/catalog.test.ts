import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  catalogJson,
  catalogServices,
  describeAction,
  describeParam,
  describeService,
  documentedSpellingOf,
  findAction,
  findService,
  findServices,
  isDocumentedParam,
  paramsOf,
} from '../../../src/core/catalog';

// Counted from the source page's two tables: [actions, documented keys summed over actions].
const EXPECTED: Record<string, [number, number]> = {
  'WORKSPACE_LEVEL accounts': [18, 49],
  'WORKSPACE_LEVEL clusters': [13, 84],
  'WORKSPACE_LEVEL dbfs': [9, 18],
  'WORKSPACE_LEVEL genie': [1, 5],
  'WORKSPACE_LEVEL globalInitScripts': [3, 10],
  'WORKSPACE_LEVEL groups': [4, 5],
  'WORKSPACE_LEVEL iamRole': [1, 4],
  'WORKSPACE_LEVEL instancePools': [4, 23],
  'WORKSPACE_LEVEL jobs': [13, 57],
  'WORKSPACE_LEVEL mlflowExperiment': [3, 9],
  'WORKSPACE_LEVEL mlflowModelRegistry': [21, 59],
  'WORKSPACE_LEVEL notebook': [13, 29],
  'WORKSPACE_LEVEL repos': [9, 21],
  'WORKSPACE_LEVEL secrets': [7, 11],
  'WORKSPACE_LEVEL sqlanalytics': [29, 38],
  'WORKSPACE_LEVEL sqlPermissions': [6, 7],
  'WORKSPACE_LEVEL ssh': [2, 8],
  'WORKSPACE_LEVEL workspace': [7, 13],
  'ACCOUNT_LEVEL accountBillableUsage': [2, 10],
  'ACCOUNT_LEVEL accounts': [3, 3],
  'ACCOUNT_LEVEL accountsManager': [19, 33],
  'ACCOUNT_LEVEL logDelivery': [4, 10],
  'ACCOUNT_LEVEL ssoConfigBackend': [3, 8],
};

test('the catalog holds every service of both tables with its action and key counts', () => {
  const actual: Record<string, [number, number]> = {};
  for (const s of catalogServices()) {
    actual[`${s.level} ${s.name}`] = [s.actions.length, s.actions.reduce((n, a) => n + a.params.length, 0)];
  }
  assert.deepEqual(actual, EXPECTED);
  const actions = catalogServices().reduce((n, s) => n + s.actions.length, 0);
  assert.equal(actions, 194);
});

test('every service, action and key has a description', () => {
  for (const s of catalogServices()) {
    assert.ok(s.description.length > 10, s.name);
    for (const a of s.actions) {
      assert.ok(a.description.length > 10, `${s.name}.${a.name}`);
      for (const p of a.params) assert.ok(p.description.length > 5, `${s.name}.${a.name}.${p.name}`);
      assert.equal(new Set(a.params.map((p) => p.name)).size, a.params.length, `duplicate key in ${s.name}.${a.name}`);
    }
  }
});

test('service lookup is case-insensitive and knows the page spells sqlanalytics two ways', () => {
  assert.equal(findService('sqlAnalytics')?.name, 'sqlanalytics');
  assert.equal(findService('SQLANALYTICS')?.name, 'sqlanalytics');
  assert.equal(findService('Clusters')?.name, 'clusters');
  assert.equal(findService('databrickssql'), undefined);
});

test('services that appear only in the tables are present', () => {
  assert.equal(findService('mlflowModelRegistry')?.level, 'WORKSPACE_LEVEL');
  assert.equal(findService('ssoConfigBackend')?.level, 'ACCOUNT_LEVEL');
});

test('accounts exists at both levels with different actions', () => {
  assert.deepEqual(findServices('accounts').map((s) => s.level), ['WORKSPACE_LEVEL', 'ACCOUNT_LEVEL']);
  assert.equal(findAction('accounts', 'gcpWorkspaceBrowserLogin')?.level, 'ACCOUNT_LEVEL');
  assert.equal(findAction('accounts', 'setAdmin', 'ACCOUNT_LEVEL')?.level, 'WORKSPACE_LEVEL');
  assert.equal(findAction('accounts', 'login', 'ACCOUNT_LEVEL')?.level, 'ACCOUNT_LEVEL');
  assert.equal(findAction('accounts', 'login')?.level, 'WORKSPACE_LEVEL');
});

test('actions and keys match exactly; an action with no parameters has none', () => {
  assert.deepEqual(paramsOf('sqlanalytics', 'createEndpoint'), []);
  assert.ok(findAction('sqlAnalytics', 'createEndpoint'));
  assert.equal(findAction('clusters', 'Create'), undefined);
  assert.ok(paramsOf('clusters', 'create').includes('spark_version'));
  assert.ok(isDocumentedParam('sqlanalytics', 'updateDashboard', 'dashboardId'));
  assert.ok(!isDocumentedParam('sqlanalytics', 'updateDashboard', 'DashboardId'));
  assert.equal(documentedSpellingOf('sqlanalytics', 'updateDashboard', 'DashboardId'), 'dashboardId');
  assert.ok(isDocumentedParam('globalInitScripts', 'create', 'script-SHA256'));
});

test('workspaceConfEdit documents workspaceConfKeys with its listed values', () => {
  assert.deepEqual(paramsOf('workspace', 'workspaceConfEdit'), ['workspaceConfKeys', 'workspaceConfValues']);
  const doc = describeParam('workspace', 'workspaceConfEdit', 'workspaceConfKeys');
  assert.deepEqual(doc.documentedKeys, ['enableResultsDownloading', 'enableExportNotebook']);
  assert.match(doc.description, /enableExportNotebook/);
});

test('describe functions return plain documented and undocumented entries', () => {
  const service = describeService('JOBS');
  assert.equal(service.title, 'jobs');
  assert.equal(service.documented, true);
  assert.equal(service.level, 'WORKSPACE_LEVEL');
  assert.ok(service.documentedKeys.includes('runNow'));
  const action = describeAction('clusters', 'resize');
  assert.deepEqual(action.documentedKeys, ['cluster_id', 'num_workers', 'autoscale']);
  assert.equal(action.title, 'clusters.resize');
  const param = describeParam('clusters', 'create', 'spark_version');
  assert.equal(param.documented, true);
  assert.match(param.description, /Spark/);
  assert.equal(describeService('unityCatalog').documented, false);
  assert.equal(describeAction('clusters', 'fly').documented, false);
  const variant = describeParam('sqlanalytics', 'updateDashboard', 'DashboardId');
  assert.equal(variant.documented, false);
  assert.match(variant.description, /dashboardId/);
  // descriptions are plain text, not markdown
  for (const doc of [service, action, param, variant]) assert.doesNotMatch(doc.description, /[`*#]/);
});

test('catalogJson has the shape the CLI prints', () => {
  const json = catalogJson();
  assert.equal(json.services.length, Object.keys(EXPECTED).length);
  const clusters = json.services.find((s) => s.name === 'clusters');
  assert.equal(clusters?.level, 'WORKSPACE_LEVEL');
  assert.deepEqual(clusters?.actions.find((a) => a.name === 'delete')?.params, ['cluster_id']);
  assert.deepEqual(JSON.parse(JSON.stringify(json)), json);
});
