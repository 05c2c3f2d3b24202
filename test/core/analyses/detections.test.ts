/**
 * Every library entry runs through a real QuerySession; each detection fires on records crafted
 * to trigger it and stays quiet on a benign neighbour. Records carry their detection's id in the
 * actor's name, so one load serves all cases: a detection must return its own trigger actor and
 * never its own benign actor.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { analyses, detections } from '../../../src/core/analyses';
import { QuerySession } from '../../../src/worker/query/client';
import { aRecord, writeDeliveryTree, type AuditRecord, type DeliveryTree } from '../../support/deliveryTree';
import { QUERY_WORKER_BUNDLE } from '../../support/workers';

const workerPath = QUERY_WORKER_BUNDLE;
const HOUR = Date.UTC(2024, 0, 15, 10, 0, 0);

type Actor = string;
interface Case {
  trigger: (actor: Actor) => AuditRecord[];
  benign: (actor: Actor) => AuditRecord[];
}

function by(actor: Actor, serviceName: string, actionName: string, requestParams: Record<string, string> = {}, extra: AuditRecord = {}): AuditRecord {
  return aRecord({ userIdentity: { email: actor }, serviceName, actionName, requestParams, ...extra });
}

function times<T>(n: number, make: (i: number) => T): T[] {
  return Array.from({ length: n }, (_, i) => make(i));
}

const failed = { statusCode: 401, errorMessage: 'Invalid credentials', result: null };

const cases: Record<string, Case> = {
  'detection.failed-logins': {
    trigger: (a) => times(5, (i) => by('', 'accounts', 'login', { user: a }, { userIdentity: { email: null }, timestamp: HOUR + i * 60_000, sourceIPAddress: '203.0.113.9', response: failed })),
    benign: (a) => [
      ...times(4, (i) => by('', 'accounts', 'login', { user: a }, { userIdentity: { email: null }, timestamp: HOUR + i * 60_000, sourceIPAddress: '203.0.113.10', response: failed })),
      ...times(6, (i) => by(a, 'accounts', 'login', { user: a }, { timestamp: HOUR + i * 60_000, sourceIPAddress: '203.0.113.10' })),
    ],
  },
  'detection.many-source-ips': {
    trigger: (a) => times(3, (i) => by(a, 'accounts', 'login', { user: a }, { sourceIPAddress: `198.51.100.${i + 1}` })),
    benign: (a) => times(3, () => by(a, 'accounts', 'login', { user: a }, { sourceIPAddress: '198.51.100.77' })),
  },
  'detection.admin-grants': {
    trigger: (a) => [by(a, 'accounts', 'setAdmin', { targetUserName: 'x@example.com' }), by(a, 'groups', 'addPrincipalToGroup', { user_name: 'y@example.com', parent_name: 'admins' })],
    benign: (a) => [by(a, 'groups', 'addPrincipalToGroup', { user_name: 'y@example.com', parent_name: 'analysts' }), by(a, 'accounts', 'addPrincipalToGroup', { targetGroupName: 'analysts' })],
  },
  'detection.admin-removals': {
    trigger: (a) => [by(a, 'accounts', 'removeAdmin', { targetUserName: 'x@example.com' })],
    benign: (a) => [by(a, 'accounts', 'removeGroup', { targetGroupName: 'old' })],
  },
  'detection.token-created': {
    trigger: (a) => [by(a, 'accounts', 'generateDbToken', { userId: '1', tokenExpirationTime: '1735689600000' })],
    benign: (a) => [by(a, 'accounts', 'revokeDbToken', { userId: '1' })],
  },
  'detection.token-no-expiry': {
    trigger: (a) => [by(a, 'accounts', 'generateDbToken', { userId: '1' })],
    benign: (a) => [by(a, 'accounts', 'generateDbToken', { userId: '1', tokenExpirationTime: '1735689600000' })],
  },
  'detection.acl-changes': {
    trigger: (a) => [by(a, 'clusters', 'changeClusterAcl', { resourceId: 'c-1', aclPermissionSet: '[{"user":"z","permission":"CAN_MANAGE"}]' })],
    benign: (a) => [by(a, 'clusters', 'edit', { cluster_id: 'c-1' })],
  },
  'detection.table-grants': {
    trigger: (a) => [by(a, 'sqlPermissions', 'grantPermission', { permission: '{"principal":"z","action":"SELECT"}' })],
    benign: (a) => [by(a, 'sqlPermissions', 'requestPermissions', { requests: '[]' })],
  },
  'detection.ip-access-denied': {
    trigger: (a) => [by(a, 'accounts', 'IpAccessDenied', { user: a }, { response: { statusCode: 403, errorMessage: 'IP not allowed', result: null } })],
    benign: (a) => [by(a, 'accounts', 'login', { user: a })],
  },
  'detection.genie-access': {
    trigger: (a) => [by(a, 'genie', 'databricksAccess', { user: 'staff@databricks.com', approver: 'me', reason: 'ticket 1', duration: '1', authType: 'oauth' })],
    benign: (a) => [by(a, 'notebook', 'attachNotebook', { path: '/x' })],
  },
  'detection.result-downloads': {
    trigger: (a) => [by(a, 'notebook', 'downloadLargeResults', { notebookFullPath: '/Users/a/n' }), by(a, 'databrickssql', 'downloadQueryResult', { queryId: 'q', fileType: 'csv' })],
    benign: (a) => [by(a, 'notebook', 'createNotebook', { path: '/Users/a/n' })],
  },
  'detection.notebook-exports': {
    trigger: (a) => [by(a, 'workspace', 'workspaceExport', { workspaceExportFormat: 'HTML', notebookFullPath: '/n' })],
    benign: (a) => [by(a, 'workspace', 'workspaceExport', { workspaceExportFormat: 'SOURCE', notebookFullPath: '/n' })],
  },
  'detection.secret-reads': {
    trigger: (a) => [by(a, 'secrets', 'getSecret', { scope: 'prod', key: 'db-password' })],
    benign: (a) => [by(a, 'secrets', 'listSecrets', { scope: 'prod' })],
  },
  'detection.secret-changes': {
    trigger: (a) => [by(a, 'secrets', 'putSecret', { scope: 'prod', key: 'k', string_value: '***' })],
    benign: (a) => [by(a, 'secrets', 'listScopes')],
  },
  'detection.global-init-scripts': {
    trigger: (a) => [by(a, 'globalInitScripts', 'create', { name: 'x', position: '0', 'script-SHA256': 'abc', enabled: 'true' })],
    benign: (a) => [by(a, 'clusters', 'create', { cluster_name: 'c' })],
  },
  'detection.mounts': {
    trigger: (a) => [by(a, 'dbfs', 'mount', { mountPoint: '/mnt/x', owner: a })],
    benign: (a) => [by(a, 'dbfs', 'unmount', { mountPoint: '/mnt/x' })],
  },
  'detection.workspace-conf-edits': {
    trigger: (a) => [by(a, 'workspace', 'workspaceConfEdit', { workspaceConfKeys: 'enableResultsDownloading', workspaceConfValues: 'true' })],
    benign: (a) => [by(a, 'workspace', 'fileCreate', { path: '/x' })],
  },
  'detection.cluster-init-scripts-docker': {
    trigger: (a) => [
      by(a, 'clusters', 'create', { cluster_name: 'c', init_scripts: '[{"dbfs":{"destination":"dbfs:/x.sh"}}]' }),
      by(a, 'clusters', 'edit', { cluster_id: 'c', docker_image: '{"url":"evil/image"}' }),
    ],
    benign: (a) => [by(a, 'clusters', 'create', { cluster_name: 'c', init_scripts: '[]' }), by(a, 'clusters', 'create', { cluster_name: 'd' })],
  },
  'detection.job-owner-changes': {
    trigger: (a) => [by(a, 'jobs', 'changeJobAcl', { resourceId: 'j', aclPermissionSet: '[{"user":"z","permission":"IS_OWNER"}]' })],
    benign: (a) => [by(a, 'jobs', 'changeJobAcl', { resourceId: 'j', aclPermissionSet: '[{"user":"z","permission":"CAN_VIEW"}]' })],
  },
  'detection.repos-unknown-git': {
    trigger: (a) => [by(a, 'repos', 'createRepo', { url: 'https://git.evil.example/x.git', provider: 'gitHub', path: '/Repos/a/x' })],
    benign: (a) => [by(a, 'repos', 'createRepo', { url: 'https://github.com/your-org/x.git', provider: 'gitHub', path: '/Repos/a/x' })],
  },
  'detection.account-owner-change': {
    trigger: (a) => [by(a, 'accountsManager', 'changeAccountOwner', { account_id: 'acc', email: 'new@example.com' }, { auditLevel: 'ACCOUNT_LEVEL' })],
    benign: (a) => [by(a, 'accountsManager', 'listSubscriptions', { account_id: 'acc' }, { auditLevel: 'ACCOUNT_LEVEL' })],
  },
  'detection.log-delivery-changes': {
    trigger: (a) => [by(a, 'logDelivery', 'updateLogDeliveryConfiguration', { config_id: 'c', account_id: 'acc', status: 'DISABLED' }, { auditLevel: 'ACCOUNT_LEVEL' })],
    benign: (a) => [by(a, 'logDelivery', 'listLogDeliveryConfigurations', { account_id: 'acc' }, { auditLevel: 'ACCOUNT_LEVEL' })],
  },
  'detection.sso-config-changes': {
    trigger: (a) => [by(a, 'ssoConfigBackend', 'update', { account_id: 'acc', sso_type: 'saml', config: '{}' }, { auditLevel: 'ACCOUNT_LEVEL' })],
    benign: (a) => [by(a, 'ssoConfigBackend', 'get', { account_id: 'acc', sso_type: 'saml' }, { auditLevel: 'ACCOUNT_LEVEL' })],
  },
  'detection.workspace-config-changes': {
    trigger: (a) => [by(a, 'accountsManager', 'deleteWorkspaceConfiguration', { account_id: 'acc', workspace_id: '42' }, { auditLevel: 'ACCOUNT_LEVEL' })],
    benign: (a) => [by(a, 'accountsManager', 'getWorkspaceConfiguration', { account_id: 'acc', workspace_id: '42' }, { auditLevel: 'ACCOUNT_LEVEL' })],
  },
  'detection.password-changes': {
    trigger: (a) => [by(a, 'accounts', 'resetPassword', { targetUserName: 'v@example.com', wasPasswordChanged: 'true' })],
    benign: (a) => [by(a, 'accounts', 'validateEmail', { targetUserName: 'v@example.com' })],
  },
  'detection.ssh-logins': {
    trigger: (a) => [by(a, 'ssh', 'login', { userName: 'ubuntu', instanceId: 'i-1', port: '22' })],
    benign: (a) => [by(a, 'ssh', 'logout', { userName: 'ubuntu', instanceId: 'i-1' })],
  },
  'detection.model-downloads': {
    trigger: (a) => [by(a, 'mlflowModelRegistry', 'getModelVersionSignedDownloadUri', { name: 'm', version: '1', path: 'p' })],
    benign: (a) => [by(a, 'mlflowModelRegistry', 'createRegisteredModel', { name: 'm' })],
  },
  'detection.permanent-deletes': {
    trigger: (a) => [by(a, 'clusters', 'permanentDelete', { cluster_id: 'c' }), by(a, 'workspace', 'purgeWorkspaceNodes', { treestoreId: 't' })],
    benign: (a) => [by(a, 'clusters', 'delete', { cluster_id: 'c' })],
  },
};

function actorsOf(id: string): { trigger: string; benign: string } {
  const slug = id.replace(/^detection\./, '');
  return { trigger: `trigger-${slug}@example.com`, benign: `benign-${slug}@example.com` };
}

describe('analysis library over a real query session', () => {
  let tree: DeliveryTree;
  let session: QuerySession;

  before(async () => {
    assert.ok(existsSync(workerPath), `${workerPath} is missing: run npm run build`);
    const lines: AuditRecord[] = [];
    for (const [id, c] of Object.entries(cases)) {
      const actors = actorsOf(id);
      lines.push(...c.trigger(actors.trigger), ...c.benign(actors.benign));
    }
    tree = writeDeliveryTree([{ workspaceId: '1234567890123456', date: '2024-01-15', lines }]);
    session = await QuerySession.open({ workerPath });
    const summary = await session.load({ sources: [tree.root] });
    assert.equal(summary.recordsLoaded, lines.length);
  });

  after(async () => {
    await session?.dispose();
    tree?.remove();
  });

  it('has at least 20 detections, each with an id, title, question, rationale and SQL, and a test case', () => {
    assert.ok(detections.length >= 20, `${detections.length} detections`);
    assert.equal(new Set(analyses.map((a) => a.id)).size, analyses.length, 'ids are unique');
    for (const d of detections) {
      assert.equal(d.category, 'detection');
      assert.ok(d.title && d.question && d.rationale && d.sql, d.id);
      assert.ok(cases[d.id], `no test case for ${d.id}`);
    }
    assert.deepEqual(Object.keys(cases).sort(), detections.map((d) => d.id).sort());
  });

  it('runs every library entry without error', async () => {
    for (const entry of analyses) {
      const result = await session.query(entry.sql);
      assert.ok(result.columns.length > 0, entry.id);
    }
  });

  for (const detection of detections) {
    it(`${detection.id} fires on its trigger and not on its benign neighbour`, async () => {
      const result = await session.query(detection.sql, { maxRows: 100_000 });
      const text = JSON.stringify(result.rows);
      const actors = actorsOf(detection.id);
      assert.ok(text.includes(actors.trigger), `${detection.id} did not fire on its trigger:\n${text.slice(0, 500)}`);
      assert.ok(!text.includes(actors.benign), `${detection.id} fired on its benign record:\n${text.slice(0, 500)}`);
    });
  }

  it('row-level detections return _file and _line so a hit opens its raw line', async () => {
    const result = await session.query(detections.find((d) => d.id === 'detection.mounts')!.sql);
    const file = result.columns.indexOf('_file');
    const line = result.columns.indexOf('_line');
    assert.ok(file >= 0 && line >= 0);
    assert.equal(result.rows[0][file], tree.files[0]);
    assert.equal(typeof result.rows[0][line], 'number');
  });
});
