/**
 * Planted cases: records that make one security detection fire, or its benign near miss (the
 * same service, one step short of the finding). A planted actor is named after the detection, so
 * a test can tell the planted rows from the background. The catalog of cases is keyed by
 * detection id; a test keeps it covering every detection.
 */
import type { Actor, EventContext } from './context';

export interface PlantedCase {
  /** The detection's id, e.g. `failed-logins`. */
  detection: string;
  /** True: records it must find. False: a near miss it must not find. */
  fires: boolean;
}

type Plant = (ctx: EventContext, actor: Actor) => void;

interface CasePair {
  /** Account-level events go to the `workspaceId=0` partition. */
  accountLevel?: boolean;
  fires: Plant;
  quiet: Plant;
}

/** The email a planted case's actor has: a test finds it in the detection's rows. */
export function plantedActor(detection: string, fires: boolean): string {
  return `planted-${fires ? 'fires' : 'quiet'}-${detection}@example.com`;
}

const FAILED = { statusCode: 401, errorMessage: 'Invalid credentials' } as const;
const MINUTE = 60_000;

function emit(ctx: EventContext, actor: Actor, service: string, action: string, params: Record<string, string> = {}, extra: { statusCode?: number; errorMessage?: string; delayMs?: number } = {}): void {
  ctx.emit({ service, action, params, actor, ...extra });
}

function times(n: number, each: (i: number) => void): void {
  for (let i = 0; i < n; i++) each(i);
}

const anonymous = (actor: Actor, ip: string): Actor => ({ ...actor, email: null, ip });

export const PLANTED_CASES: Readonly<Record<string, CasePair>> = {
  'failed-logins': {
    fires: (ctx, a) => times(5, (i) => emit(ctx, anonymous(a, '203.0.113.9'), 'accounts', 'login', { user: a.email! }, { ...FAILED, delayMs: i * MINUTE })),
    quiet: (ctx, a) => {
      times(4, (i) => emit(ctx, anonymous(a, '203.0.113.10'), 'accounts', 'login', { user: a.email! }, { ...FAILED, delayMs: i * MINUTE }));
      times(6, (i) => emit(ctx, { ...a, ip: '203.0.113.10' }, 'accounts', 'login', { user: a.email! }, { delayMs: i * MINUTE }));
    },
  },
  'many-source-ips': {
    fires: (ctx, a) => times(3, (i) => emit(ctx, { ...a, ip: `198.51.100.${i + 1}` }, 'accounts', 'login', { user: a.email! }, { delayMs: i * MINUTE })),
    quiet: (ctx, a) => times(3, (i) => emit(ctx, { ...a, ip: '198.51.100.77' }, 'accounts', 'login', { user: a.email! }, { delayMs: i * MINUTE })),
  },
  'admin-grants': {
    fires: (ctx, a) => {
      emit(ctx, a, 'accounts', 'setAdmin', { targetUserName: 'x@example.com' });
      emit(ctx, a, 'groups', 'addPrincipalToGroup', { user_name: 'y@example.com', parent_name: 'admins' });
    },
    quiet: (ctx, a) => {
      emit(ctx, a, 'groups', 'addPrincipalToGroup', { user_name: 'y@example.com', parent_name: 'analysts' });
      emit(ctx, a, 'accounts', 'addPrincipalToGroup', { targetGroupName: 'analysts' });
    },
  },
  'admin-removals': {
    fires: (ctx, a) => emit(ctx, a, 'accounts', 'removeAdmin', { targetUserName: 'x@example.com' }),
    quiet: (ctx, a) => emit(ctx, a, 'accounts', 'removeGroup', { targetGroupName: 'old' }),
  },
  'token-created': {
    fires: (ctx, a) => emit(ctx, a, 'accounts', 'generateDbToken', { userId: '1', tokenExpirationTime: '1735689600000' }),
    quiet: (ctx, a) => emit(ctx, a, 'accounts', 'revokeDbToken', { userId: '1' }),
  },
  'token-no-expiry': {
    fires: (ctx, a) => emit(ctx, a, 'accounts', 'generateDbToken', { userId: '1' }),
    quiet: (ctx, a) => emit(ctx, a, 'accounts', 'generateDbToken', { userId: '1', tokenExpirationTime: '1735689600000' }),
  },
  'acl-changes': {
    fires: (ctx, a) => emit(ctx, a, 'clusters', 'changeClusterAcl', { resourceId: 'c-1', aclPermissionSet: '[{"user":"z","permission":"CAN_MANAGE"}]' }),
    quiet: (ctx, a) => emit(ctx, a, 'clusters', 'edit', { cluster_id: 'c-1' }),
  },
  'table-grants': {
    fires: (ctx, a) => emit(ctx, a, 'sqlPermissions', 'grantPermission', { permission: '{"principal":"z","action":"SELECT"}' }),
    quiet: (ctx, a) => emit(ctx, a, 'sqlPermissions', 'requestPermissions', { requests: '[]' }),
  },
  'ip-access-denied': {
    fires: (ctx, a) => emit(ctx, a, 'accounts', 'IpAccessDenied', { user: a.email! }, { statusCode: 403, errorMessage: 'IP not allowed' }),
    quiet: (ctx, a) => emit(ctx, a, 'accounts', 'login', { user: a.email! }),
  },
  'genie-access': {
    fires: (ctx, a) => emit(ctx, a, 'genie', 'databricksAccess', { user: 'staff@databricks.com', approver: 'me', reason: 'ticket 1', duration: '1', authType: 'oauth' }),
    quiet: (ctx, a) => emit(ctx, a, 'notebook', 'attachNotebook', { path: '/x' }),
  },
  'result-downloads': {
    fires: (ctx, a) => {
      emit(ctx, a, 'notebook', 'downloadLargeResults', { notebookFullPath: '/Users/a/n' });
      emit(ctx, a, 'databrickssql', 'downloadQueryResult', { queryId: 'q', fileType: 'csv' });
    },
    quiet: (ctx, a) => emit(ctx, a, 'notebook', 'createNotebook', { path: '/Users/a/n' }),
  },
  'notebook-exports': {
    fires: (ctx, a) => emit(ctx, a, 'workspace', 'workspaceExport', { workspaceExportFormat: 'HTML', notebookFullPath: '/n' }),
    quiet: (ctx, a) => emit(ctx, a, 'workspace', 'workspaceExport', { workspaceExportFormat: 'SOURCE', notebookFullPath: '/n' }),
  },
  'secret-reads': {
    fires: (ctx, a) => emit(ctx, a, 'secrets', 'getSecret', { scope: 'prod', key: 'db-password' }),
    quiet: (ctx, a) => emit(ctx, a, 'secrets', 'listSecrets', { scope: 'prod' }),
  },
  'secret-changes': {
    fires: (ctx, a) => emit(ctx, a, 'secrets', 'putSecret', { scope: 'prod', key: 'k', string_value: '***' }),
    quiet: (ctx, a) => emit(ctx, a, 'secrets', 'listScopes'),
  },
  'global-init-scripts': {
    fires: (ctx, a) => emit(ctx, a, 'globalInitScripts', 'create', { name: 'x', position: '0', 'script-SHA256': 'abc', enabled: 'true' }),
    quiet: (ctx, a) => emit(ctx, a, 'clusters', 'create', { cluster_name: 'c' }),
  },
  mounts: {
    fires: (ctx, a) => emit(ctx, a, 'dbfs', 'mount', { mountPoint: '/mnt/x', owner: a.email! }),
    quiet: (ctx, a) => emit(ctx, a, 'dbfs', 'unmount', { mountPoint: '/mnt/x' }),
  },
  'workspace-conf-edits': {
    fires: (ctx, a) => emit(ctx, a, 'workspace', 'workspaceConfEdit', { workspaceConfKeys: 'enableResultsDownloading', workspaceConfValues: 'true' }),
    quiet: (ctx, a) => emit(ctx, a, 'workspace', 'fileCreate', { path: '/x' }),
  },
  'cluster-init-scripts-docker': {
    fires: (ctx, a) => {
      emit(ctx, a, 'clusters', 'create', { cluster_name: 'c', init_scripts: '[{"dbfs":{"destination":"dbfs:/x.sh"}}]' });
      emit(ctx, a, 'clusters', 'edit', { cluster_id: 'c', docker_image: '{"url":"evil/image"}' });
    },
    quiet: (ctx, a) => {
      emit(ctx, a, 'clusters', 'create', { cluster_name: 'c', init_scripts: '[]' });
      emit(ctx, a, 'clusters', 'create', { cluster_name: 'd' });
    },
  },
  'job-owner-changes': {
    fires: (ctx, a) => emit(ctx, a, 'jobs', 'changeJobAcl', { resourceId: 'j', aclPermissionSet: '[{"user":"z","permission":"IS_OWNER"}]' }),
    quiet: (ctx, a) => emit(ctx, a, 'jobs', 'changeJobAcl', { resourceId: 'j', aclPermissionSet: '[{"user":"z","permission":"CAN_VIEW"}]' }),
  },
  'repos-unknown-git': {
    fires: (ctx, a) => emit(ctx, a, 'repos', 'createRepo', { url: 'https://git.evil.example/x.git', provider: 'gitHub', path: '/Repos/a/x' }),
    quiet: (ctx, a) => emit(ctx, a, 'repos', 'createRepo', { url: 'https://github.com/your-org/x.git', provider: 'gitHub', path: '/Repos/a/x' }),
  },
  'account-owner-change': {
    accountLevel: true,
    fires: (ctx, a) => emit(ctx, a, 'accountsManager', 'changeAccountOwner', { account_id: 'acc', email: 'new@example.com' }),
    quiet: (ctx, a) => emit(ctx, a, 'accountsManager', 'listSubscriptions', { account_id: 'acc' }),
  },
  'log-delivery-changes': {
    accountLevel: true,
    fires: (ctx, a) => emit(ctx, a, 'logDelivery', 'updateLogDeliveryConfiguration', { config_id: 'c', account_id: 'acc', status: 'DISABLED' }),
    quiet: (ctx, a) => emit(ctx, a, 'logDelivery', 'listLogDeliveryConfigurations', { account_id: 'acc' }),
  },
  'sso-config-changes': {
    accountLevel: true,
    fires: (ctx, a) => emit(ctx, a, 'ssoConfigBackend', 'update', { account_id: 'acc', sso_type: 'saml', config: '{}' }),
    quiet: (ctx, a) => emit(ctx, a, 'ssoConfigBackend', 'get', { account_id: 'acc', sso_type: 'saml' }),
  },
  'workspace-config-changes': {
    accountLevel: true,
    fires: (ctx, a) => emit(ctx, a, 'accountsManager', 'deleteWorkspaceConfiguration', { account_id: 'acc', workspace_id: '42' }),
    quiet: (ctx, a) => emit(ctx, a, 'accountsManager', 'getWorkspaceConfiguration', { account_id: 'acc', workspace_id: '42' }),
  },
  'password-changes': {
    fires: (ctx, a) => emit(ctx, a, 'accounts', 'resetPassword', { targetUserName: 'v@example.com', wasPasswordChanged: 'true' }),
    quiet: (ctx, a) => emit(ctx, a, 'accounts', 'validateEmail', { targetUserName: 'v@example.com' }),
  },
  'ssh-logins': {
    fires: (ctx, a) => emit(ctx, a, 'ssh', 'login', { userName: 'ubuntu', instanceId: 'i-1', port: '22' }),
    quiet: (ctx, a) => emit(ctx, a, 'ssh', 'logout', { userName: 'ubuntu', instanceId: 'i-1' }),
  },
  'model-downloads': {
    fires: (ctx, a) => emit(ctx, a, 'mlflowModelRegistry', 'getModelVersionSignedDownloadUri', { name: 'm', version: '1', path: 'p' }),
    quiet: (ctx, a) => emit(ctx, a, 'mlflowModelRegistry', 'createRegisteredModel', { name: 'm' }),
  },
  'permanent-deletes': {
    fires: (ctx, a) => {
      emit(ctx, a, 'clusters', 'permanentDelete', { cluster_id: 'c' });
      emit(ctx, a, 'workspace', 'purgeWorkspaceNodes', { treestoreId: 't' });
    },
    quiet: (ctx, a) => emit(ctx, a, 'clusters', 'delete', { cluster_id: 'c' }),
  },
  'verbose-audit-logs-disabled': {
    fires: (ctx, a) => emit(ctx, a, 'workspace', 'workspaceConfEdit', { workspaceConfKeys: 'enableVerboseAuditLogs', workspaceConfValues: 'false' }),
    quiet: (ctx, a) => emit(ctx, a, 'workspace', 'workspaceConfEdit', { workspaceConfKeys: 'enableVerboseAuditLogs', workspaceConfValues: 'true' }),
  },
  'uc-privilege-grants': {
    accountLevel: true,
    fires: (ctx, a) => emit(ctx, a, 'unityCatalog', 'updatePermissions', { securable_type: 'catalog', securable_full_name: 'main', changes: '[{"principal":"contractors","add":["ALL_PRIVILEGES"]}]' }),
    quiet: (ctx, a) => emit(ctx, a, 'unityCatalog', 'updatePermissions', { securable_type: 'catalog', securable_full_name: 'main', changes: '[{"principal":"contractors","remove":["ALL_PRIVILEGES"]}]' }),
  },
  'uc-ownership-changes': {
    accountLevel: true,
    fires: (ctx, a) => emit(ctx, a, 'unityCatalog', 'updateMetastore', { metastore_id: 'm-1', owner: 'new-metastore-admins' }),
    quiet: (ctx, a) => emit(ctx, a, 'unityCatalog', 'updateMetastore', { metastore_id: 'm-1', delta_sharing_recipient_token_lifetime_in_seconds: '86400' }),
  },
  'delta-sharing-no-ip-list': {
    accountLevel: true,
    fires: (ctx, a) => emit(ctx, a, 'unityCatalog', 'createRecipient', { name: 'partner-open', authentication_type: 'TOKEN' }),
    quiet: (ctx, a) => emit(ctx, a, 'unityCatalog', 'createRecipient', { name: 'partner-listed', authentication_type: 'TOKEN', ip_access_list: '{"allowed_ip_addresses":["203.0.113.0/24"]}' }),
  },
  'secret-scanner-agents': {
    fires: (ctx, a) => emit(ctx, { ...a, userAgent: 'TruffleHog' }, 'secrets', 'listScopes'),
    quiet: (ctx, a) => emit(ctx, a, 'secrets', 'getSecret', { scope: 'prod', key: 'warehouse-password' }),
  },
};

/** Whether a planted case goes to the account partition (`0`) or to a workspace's. */
export function plantsAtAccountLevel(detection: string): boolean {
  return caseFor(detection).accountLevel === true;
}

function caseFor(detection: string): CasePair {
  const pair = PLANTED_CASES[detection];
  if (!pair) throw new Error(`no planted case for detection '${detection}'`);
  return pair;
}

/** Emits a planted case's records through the context, as its named actor. */
export function plant(ctx: EventContext, planted: PlantedCase): void {
  const email = plantedActor(planted.detection, planted.fires);
  const actor: Actor = { email, ip: '192.0.2.15', userAgent: 'planted-case/1.0', sessionId: null };
  (planted.fires ? caseFor(planted.detection).fires : caseFor(planted.detection).quiet)(ctx, actor);
}
