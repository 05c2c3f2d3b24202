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
  otherNamesOf,
  paramsOf,
} from '../../../src/core/catalog';
import { SEED_SOURCE } from '../../../src/core/catalog/data';
import { CURRENT_SERVICES } from '../../../src/core/catalog/current';

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
    const original = s.actions.filter((a) => a.source === SEED_SOURCE);
    if (s.source !== SEED_SOURCE) continue;
    actual[`${s.level} ${s.name}`] = [original.length, original.reduce((n, a) => n + a.params.length, 0)];
  }
  assert.deepEqual(actual, EXPECTED);
  const actions = catalogServices().reduce((n, s) => n + s.actions.filter((a) => a.source === SEED_SOURCE).length, 0);
  assert.equal(actions, 194);
});

// The current reference's additions: [actions, documented keys summed over actions].
const CURRENT: Record<string, [number, number]> = {
  'WORKSPACE_LEVEL databrickssql': [2, 5],
  'WORKSPACE_LEVEL notebook': [1, 5],
  'WORKSPACE_LEVEL jobs': [1, 7],
  'ACCOUNT_LEVEL unityCatalog': [3, 9],
  'WORKSPACE_LEVEL aibiGenie': [0, 0],
  'WORKSPACE_LEVEL clusterPolicies': [0, 0],
  'WORKSPACE_LEVEL dashboards': [2, 2],
  'WORKSPACE_LEVEL deltaPipelines': [0, 0],
  'WORKSPACE_LEVEL featureStore': [0, 0],
  'WORKSPACE_LEVEL filesystem': [0, 0],
  'WORKSPACE_LEVEL gitCredentials': [0, 0],
  'WORKSPACE_LEVEL ingestion': [0, 0],
  'WORKSPACE_LEVEL lineageTracking': [0, 0],
  'WORKSPACE_LEVEL marketplaceConsumer': [0, 0],
  'WORKSPACE_LEVEL marketplaceProvider': [0, 0],
  'WORKSPACE_LEVEL mlflowAcledArtifact': [0, 0],
  'WORKSPACE_LEVEL modelRegistry': [0, 0],
  'WORKSPACE_LEVEL partnerConnect': [0, 0],
  'WORKSPACE_LEVEL remoteHistoryService': [0, 0],
  'WORKSPACE_LEVEL webTerminal': [0, 0],
};

test('the current reference adds its services and the verbose audit-log actions', () => {
  const actual: Record<string, [number, number]> = {};
  for (const s of catalogServices()) {
    const added = s.actions.filter((a) => a.source !== SEED_SOURCE);
    if (s.source === SEED_SOURCE && added.length === 0) continue;
    actual[`${s.level} ${s.name}`] = [added.length, added.reduce((n, a) => n + a.params.length, 0)];
  }
  assert.deepEqual(actual, CURRENT);
  assert.equal(catalogServices().length, 23 + 18);
});

test('each new service and action names its source: a documentation URL and a section', () => {
  const entries = catalogServices().flatMap((s) => [
    ...(s.source === SEED_SOURCE ? [] : [{ name: s.name, source: s.source }]),
    ...s.actions.filter((a) => a.source !== SEED_SOURCE).map((a) => ({ name: `${s.name}.${a.name}`, source: a.source })),
  ]);
  assert.equal(entries.length, 18 + 9);
  for (const { name, source } of entries) {
    assert.match(source, /^https:\/\/docs\.(gcp\.)?databricks\.com\/\S+ — .+, ".+"$/, name);
    assert.doesNotMatch(source, /docs\.databricks\.com\/(aws|azure)\//, `${name}: the GCP edition`);
  }
  for (const data of CURRENT_SERVICES) {
    assert.ok(data.source, data.name);
    for (const a of data.actions) assert.ok(a.source, `${data.name}.${a.name}`);
  }
});

test('new services resolve with docs in hover, diagnostics and completion lookups', () => {
  for (const name of ['unityCatalog', 'databrickssql', 'modelRegistry', 'filesystem', 'dashboards', 'aibiGenie', 'lineageTracking', 'marketplaceConsumer', 'marketplaceProvider']) {
    const doc = describeService(name);
    assert.equal(doc.documented, true, name);
    assert.equal(doc.title, name);
    assert.ok(doc.description.length > 10, name);
    assert.match(doc.source ?? '', /^https:\/\//, name);
  }
  assert.equal(findService('RemoteHistoryService')?.name, 'remoteHistoryService');
  assert.match(describeService('aibiGenie').description, /not the support access/);
  assert.equal(findService('genie')?.name, 'genie');
  assert.deepEqual(otherNamesOf('genie'), []);
  assert.match(describeService('filesystem').description, /only some of its actions/);
});

test('the verbose audit-log actions carry their documented fields', () => {
  assert.deepEqual(paramsOf('notebook', 'runCommand'), ['notebookId', 'executionTime', 'status', 'commandId', 'commandText']);
  assert.deepEqual(paramsOf('jobs', 'runCommand'), ['jobId', 'runId', 'notebookId', 'executionTime', 'status', 'commandId', 'commandText']);
  assert.deepEqual(paramsOf('databrickssql', 'commandSubmit'), ['commandText', 'warehouseId', 'commandId']);
  assert.deepEqual(paramsOf('databrickssql', 'commandFinish'), ['warehouseId', 'commandId']);
  assert.deepEqual(describeParam('notebook', 'runCommand', 'status').documentedKeys, ['finished', 'skipped', 'cancelled', 'failed']);
  assert.match(describeParam('notebook', 'runCommand', 'executionTime').description, /seconds/);
  assert.match(describeParam('databrickssql', 'commandSubmit', 'commandText').description, /SQL statement/);
  // The original page's notebook and jobs actions are still there beside the new ones.
  assert.ok(findAction('notebook', 'attachNotebook'));
  assert.equal(findAction('jobs', 'runCommand')?.source.includes('verbose-logs'), true);
  assert.deepEqual(describeParam('workspace', 'workspaceConfEdit', 'workspaceConfKeys').documentedKeys.at(-1), 'enableVerboseAuditLogs');
});

test('older and newer names find each other both ways and say the other name', () => {
  assert.equal(findAction('databrickssql', 'createQuery')?.service, 'sqlanalytics');
  assert.equal(findAction('sqlanalytics', 'commandSubmit')?.service, 'databrickssql');
  assert.equal(findAction('sqlAnalytics', 'commandFinish')?.service, 'databrickssql');
  assert.equal(findAction('modelRegistry', 'createRegisteredModel')?.service, 'mlflowModelRegistry');
  assert.deepEqual(otherNamesOf('modelRegistry'), ['mlflowModelRegistry']);
  assert.deepEqual(otherNamesOf('MLFLOWMODELREGISTRY'), ['modelRegistry']);
  assert.deepEqual(otherNamesOf('sqlAnalytics'), ['databrickssql']);
  assert.match(describeService('databrickssql').description, /Also named sqlanalytics/);
  assert.match(describeService('sqlanalytics').description, /Also named databrickssql/);
  assert.match(describeService('mlflowModelRegistry').description, /Also named modelRegistry/);
  assert.ok(describeService('databrickssql').documentedKeys.includes('createQuery'));
  assert.ok(describeService('sqlanalytics').documentedKeys.includes('commandSubmit'));
  assert.ok(describeService('modelRegistry').documentedKeys.includes('createRegisteredModel'));
  const action = describeAction('modelRegistry', 'createRegisteredModel');
  assert.equal(action.title, 'mlflowModelRegistry.createRegisteredModel');
  assert.match(action.description, /under mlflowModelRegistry, another name of modelRegistry/);
  assert.equal(describeParam('databrickssql', 'updateDashboard', 'dashboardId').documented, true);
  assert.ok(isDocumentedParam('modelRegistry', 'createModelVersion', 'run_id'));
  // accounts keeps one name: its two levels are not other names of each other.
  assert.deepEqual(describeService('accounts', 'ACCOUNT_LEVEL').documentedKeys, ['login', 'gcpWorkspaceBrowserLogin', 'logout']);
});

test('an action a partly catalogued service lacks is reported as not catalogued', () => {
  const doc = describeAction('unityCatalog', 'createCatalog');
  assert.equal(doc.documented, false);
  assert.match(doc.description, /only some/);
  assert.match(describeAction('clusters', 'fly').description, /not a documented action of clusters/);
  assert.deepEqual(paramsOf('unityCatalog', 'createMetastoreAssignment'), ['workspace_id', 'metastore_id', 'default_catalog_name']);
  assert.equal(findAction('unityCatalog', 'createMetastoreAssignment')?.level, 'ACCOUNT_LEVEL');
  assert.deepEqual(paramsOf('unityCatalog', 'getTable'), ['full_name_arg', 'workspace_id', 'metastore_id']);
  assert.ok(isDocumentedParam('unityCatalog', 'updateMetastore', 'delta_sharing_scope'));
  assert.deepEqual(paramsOf('dashboards', 'getPublishedDashboard'), ['dashboard_id']);
  assert.match(describeService('unityCatalog').description, /deltaSharing/);
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
  assert.equal(findService('databrickssql')?.name, 'databrickssql');
  assert.equal(findService('noSuchService'), undefined);
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
  assert.deepEqual(doc.documentedKeys, ['enableResultsDownloading', 'enableExportNotebook', 'enableVerboseAuditLogs']);
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
  assert.equal(describeService('noSuchService').documented, false);
  assert.equal(describeAction('clusters', 'fly').documented, false);
  const variant = describeParam('sqlanalytics', 'updateDashboard', 'DashboardId');
  assert.equal(variant.documented, false);
  assert.match(variant.description, /dashboardId/);
  // descriptions are plain text, not markdown
  for (const doc of [service, action, param, variant]) assert.doesNotMatch(doc.description, /[`*#]/);
});

test('catalogJson has the shape the CLI prints', () => {
  const json = catalogJson();
  assert.equal(json.services.length, catalogServices().length);
  const clusters = json.services.find((s) => s.name === 'clusters');
  assert.equal(clusters?.level, 'WORKSPACE_LEVEL');
  assert.deepEqual(clusters?.actions.find((a) => a.name === 'delete')?.params, ['cluster_id']);
  assert.deepEqual(JSON.parse(JSON.stringify(json)), json);
});
