/**
 * Security detections over the delivered audit-log schema (`audit_logs`). The questions follow
 * the ones Databricks' security staff publish for system tables and for delivered logs; the SQL
 * is our own, written for the delivered column names and the seed's services, actions and
 * requestParams keys. Every query is portable: it runs on Audit Lens' Spark-style dialect and on
 * Databricks as written. Row-level detections end with `_file, _line` so a hit opens its raw line.
 * Every query filters on serviceName, in each branch of an OR, and names exactly the services it
 * declares, so a run of any set of detections loads only those services' lines.
 */
import type { Detection, Severity } from './types';

/** Columns shared by row-level detections: when, where, who, what. */
const WHO = `timestamp, date, workspaceId, userIdentity.email AS email, sourceIPAddress, serviceName, actionName`;
const RAW = `_file, _line`;

function detection(id: string, severity: Severity, services: readonly string[], title: string, question: string, rationale: string, sql: string): Detection {
  return { id, category: 'detection', severity, services, title, question, rationale, sql };
}

export const detections: readonly Detection[] = [
  detection(
    'failed-logins',
    'high',
    ['accounts'],
    'Repeated failed logins',
    'Which users failed to log in five or more times within one hour?',
    'Bursts of failed logins for one user point at password guessing or a leaked token being tried. Databricks recommends SSO with local passwords disabled; this finds brute force against whatever remains.',
    `SELECT COALESCE(requestParams.user, userIdentity.email) AS user,
  sourceIPAddress,
  CAST(timestamp / 3600000 AS BIGINT) AS hour_bucket,
  MIN(timestamp) AS first_attempt,
  MAX(timestamp) AS last_attempt,
  COUNT(*) AS failures
FROM audit_logs
WHERE serviceName = 'accounts'
  AND actionName IN ('login', 'tokenLogin', 'samlLogin', 'jwtLogin', 'gcpWorkspaceBrowserLogin')
  AND response.statusCode IS NOT NULL
  AND response.statusCode <> 200
GROUP BY 1, 2, 3
HAVING COUNT(*) >= 5
ORDER BY failures DESC`,
  ),
  detection(
    'many-source-ips',
    'medium',
    ['accounts'],
    'Logins from many IP addresses in a day',
    'Which users logged in successfully from three or more IP addresses on the same day?',
    'One person rarely works from many networks in a day; a shared or stolen credential often does.',
    `SELECT date, COALESCE(userIdentity.email, requestParams.user) AS user,
  COUNT(DISTINCT sourceIPAddress) AS source_ips,
  COUNT(*) AS logins
FROM audit_logs
WHERE serviceName = 'accounts'
  AND actionName IN ('login', 'tokenLogin', 'samlLogin', 'jwtLogin', 'gcpWorkspaceBrowserLogin')
  AND response.statusCode = 200
GROUP BY 1, 2
HAVING COUNT(DISTINCT sourceIPAddress) >= 3
ORDER BY source_ips DESC`,
  ),
  detection(
    'admin-grants',
    'high',
    ['accounts', 'groups'],
    'Admin rights granted',
    'Who was made a workspace admin, directly or by joining the admins group?',
    'Admins can change every setting, read every notebook and grant themselves anything else. New admins should be few, expected and reviewed.',
    `SELECT ${WHO},
  COALESCE(requestParams.targetUserName, requestParams.user_name, requestParams.targetUserId) AS granted_to,
  COALESCE(requestParams.targetGroupName, requestParams.parent_name) AS via_group,
  ${RAW}
FROM audit_logs
WHERE (serviceName = 'accounts' AND actionName = 'setAdmin')
   OR (serviceName = 'accounts' AND actionName = 'addPrincipalToGroup' AND requestParams.targetGroupName = 'admins')
   OR (serviceName = 'groups' AND actionName = 'addPrincipalToGroup' AND requestParams.parent_name = 'admins')
ORDER BY timestamp DESC`,
  ),
  detection(
    'admin-removals',
    'high',
    ['accounts'],
    'Admin rights removed',
    'Whose admin rights were taken away, and by whom?',
    'Removing the other admins is how an intruder locks the owners out; unexpected removals deserve a look.',
    `SELECT ${WHO}, requestParams.targetUserName AS removed_user, ${RAW}
FROM audit_logs
WHERE serviceName = 'accounts' AND actionName = 'removeAdmin'
ORDER BY timestamp DESC`,
  ),
  detection(
    'token-created',
    'info',
    ['accounts'],
    'Personal access tokens created',
    'Who generated personal access tokens, and from where?',
    'Tokens give API access without SSO or MFA and outlive the session that made them; each new one widens the attack surface.',
    `SELECT ${WHO}, requestParams.tokenExpirationTime AS expires, ${RAW}
FROM audit_logs
WHERE serviceName = 'accounts' AND actionName = 'generateDbToken'
ORDER BY timestamp DESC`,
  ),
  detection(
    'token-no-expiry',
    'medium',
    ['accounts'],
    'Tokens created without an expiry',
    'Which personal access tokens were generated with no expiration time?',
    'A token that never expires stays valid long after its owner stops needing it, or leaves; set a maximum lifetime.',
    `SELECT ${WHO}, requestParams.tokenExpirationTime AS expires, ${RAW}
FROM audit_logs
WHERE serviceName = 'accounts' AND actionName = 'generateDbToken'
  AND (requestParams.tokenExpirationTime IS NULL
    OR requestParams.tokenExpirationTime IN ('', '0', '-1', 'null'))
ORDER BY timestamp DESC`,
  ),
  detection(
    'acl-changes',
    'low',
    ['clusters', 'clusterPolicies', 'instancePools', 'iamRole', 'jobs', 'workspace', 'secrets', 'sqlanalytics', 'sqlAnalytics', 'databrickssql'],
    'Permission (ACL) changes',
    'Who changed permissions on clusters, pools, jobs, workspace objects, IAM roles, secrets or SQL objects?',
    'Where access is separated by permissions (cluster isolation, job ownership), a change to an ACL is a change to who can reach the data.',
    `SELECT ${WHO},
  COALESCE(requestParams.resourceId, requestParams.objectId, requestParams.job_id, requestParams.scope) AS resource,
  COALESCE(requestParams.aclPermissionSet, requestParams.granteeAndPermission, requestParams.grants, requestParams.permission) AS change,
  requestParams.targetUserId AS target_user,
  ${RAW}
FROM audit_logs
WHERE serviceName IN ('clusters', 'clusterPolicies', 'instancePools', 'iamRole', 'jobs', 'workspace', 'secrets',
    'sqlanalytics', 'sqlAnalytics', 'databrickssql')
  AND actionName IN ('changeClusterAcl', 'changeClusterPolicyAcl', 'changeInstancePoolAcl', 'changeIamRoleAcl',
  'changeJobAcl', 'resetJobAcl', 'changeWorkspaceAcl', 'changePermissions', 'changeEndpointAcls', 'putAcl', 'deleteAcl')
ORDER BY timestamp DESC`,
  ),
  detection(
    'table-grants',
    'low',
    ['sqlPermissions'],
    'Table access grants and revocations',
    'Who granted, revoked or removed table permissions (table access control)?',
    'Grants on securables decide who reads which table; a grant outside the change process can quietly open data.',
    `SELECT ${WHO}, requestParams.permission AS permission, requestParams.securable AS securable, ${RAW}
FROM audit_logs
WHERE serviceName = 'sqlPermissions'
  AND actionName IN ('grantPermission', 'revokePermission', 'removeAllPermissions')
ORDER BY timestamp DESC`,
  ),
  detection(
    'ip-access-denied',
    'medium',
    ['accounts'],
    'IP access list denials',
    'Which requests were refused because they came from outside the IP access list?',
    'Attempts from untrusted networks show someone holding a credential where it should not be used.',
    `SELECT ${WHO}, requestParams.user AS user, response.errorMessage AS error, ${RAW}
FROM audit_logs
WHERE serviceName = 'accounts' AND actionName IN ('IpAccessDenied', 'ipAccessDenied', 'accountIpAclsValidationFailed')
ORDER BY timestamp DESC`,
  ),
  detection(
    'genie-access',
    'medium',
    ['genie'],
    'Databricks support access (genie)',
    'When did Databricks staff access the workspace through the support process, who approved it, and why?',
    'Support access is tied to a ticket and may be disabled by workspace settings; every session should match a request you made.',
    `SELECT ${WHO}, requestParams.user AS staff_user, requestParams.approver AS approver,
  requestParams.reason AS reason, requestParams.duration AS duration, requestParams.authType AS auth_type, ${RAW}
FROM audit_logs
WHERE serviceName = 'genie' AND actionName = 'databricksAccess'
ORDER BY timestamp DESC`,
  ),
  detection(
    'result-downloads',
    'low',
    ['notebook', 'sqlanalytics', 'sqlAnalytics', 'databrickssql'],
    'Query and notebook result downloads',
    'Who downloaded results from notebooks or Databricks SQL?',
    'Downloads move data out of the platform where no permission follows it; some teams monitor instead of disabling them.',
    `SELECT ${WHO},
  COALESCE(requestParams.notebookFullPath, requestParams.queryId) AS source,
  requestParams.fileType AS file_type,
  ${RAW}
FROM audit_logs
WHERE (serviceName = 'notebook' AND actionName IN ('downloadPreviewResults', 'downloadLargeResults'))
   OR (serviceName IN ('sqlanalytics', 'sqlAnalytics', 'databrickssql') AND actionName = 'downloadQueryResult')
ORDER BY timestamp DESC`,
  ),
  detection(
    'notebook-exports',
    'low',
    ['workspace'],
    'Notebook exports that can carry results',
    'Who exported notebooks in a format other than plain source (HTML, DBC, Jupyter keep outputs)?',
    'Exports with outputs take query results along; source-only exports do not.',
    `SELECT ${WHO}, requestParams.notebookFullPath AS notebook, requestParams.workspaceExportFormat AS format, ${RAW}
FROM audit_logs
WHERE serviceName = 'workspace' AND actionName = 'workspaceExport'
  AND (requestParams.workspaceExportFormat IS NULL OR requestParams.workspaceExportFormat <> 'SOURCE')
ORDER BY timestamp DESC`,
  ),
  detection(
    'secret-reads',
    'info',
    ['secrets'],
    'Secret reads',
    'Who read which secret, how often?',
    'Secrets are read by jobs all the time; a person reading one directly, or a new reader, may be harvesting credentials.',
    `SELECT COALESCE(userIdentity.email, 'unknown') AS email, requestParams.scope AS scope, requestParams.key AS key,
  COUNT(*) AS reads, MIN(timestamp) AS first_read, MAX(timestamp) AS last_read
FROM audit_logs
WHERE serviceName = 'secrets' AND actionName = 'getSecret'
GROUP BY 1, 2, 3
ORDER BY reads DESC`,
  ),
  detection(
    'secret-changes',
    'low',
    ['secrets'],
    'Secret scopes and secrets changed',
    'Who created or deleted secret scopes, or wrote or deleted secrets?',
    'Replacing a secret can redirect a pipeline to an attacker-controlled system; deleting one breaks it.',
    `SELECT ${WHO}, requestParams.scope AS scope, requestParams.key AS key, ${RAW}
FROM audit_logs
WHERE serviceName = 'secrets' AND actionName IN ('createScope', 'deleteScope', 'putSecret', 'deleteSecret')
ORDER BY timestamp DESC`,
  ),
  detection(
    'global-init-scripts',
    'high',
    ['globalInitScripts'],
    'Global init script changes',
    'Who created, changed or deleted a global init script?',
    'A global init script runs on every cluster start with root rights: a change there is code on every machine.',
    `SELECT ${WHO}, requestParams.name AS script_name, requestParams.script_id AS script_id,
  requestParams.enabled AS enabled, requestParams.\`script-SHA256\` AS sha256, ${RAW}
FROM audit_logs
WHERE serviceName = 'globalInitScripts' AND actionName IN ('create', 'update', 'delete')
ORDER BY timestamp DESC`,
  ),
  detection(
    'mounts',
    'medium',
    ['dbfs'],
    'DBFS mount points created',
    'Who mounted external storage into DBFS?',
    'A mount caches credentials and is readable by every user of the workspace, bypassing per-user access control.',
    `SELECT ${WHO}, requestParams.mountPoint AS mount_point, requestParams.owner AS owner, ${RAW}
FROM audit_logs
WHERE serviceName = 'dbfs' AND actionName = 'mount'
ORDER BY timestamp DESC`,
  ),
  detection(
    'workspace-conf-edits',
    'medium',
    ['workspace'],
    'Workspace settings changed',
    'Who changed workspace settings such as result downloading or notebook export?',
    'Settings like enableResultsDownloading and enableExportNotebook are data-loss controls; turning one on should be deliberate.',
    `SELECT ${WHO}, requestParams.workspaceConfKeys AS setting, requestParams.workspaceConfValues AS value, ${RAW}
FROM audit_logs
WHERE serviceName = 'workspace' AND actionName = 'workspaceConfEdit'
ORDER BY timestamp DESC`,
  ),
  detection(
    'cluster-init-scripts-docker',
    'low',
    ['clusters'],
    'Clusters with init scripts or custom images',
    'Which clusters were created or edited with init scripts or a Docker image?',
    'Init scripts and custom containers run arbitrary code on the cluster; unknown ones can persist access or leak data.',
    `SELECT ${WHO}, COALESCE(requestParams.cluster_name, requestParams.cluster_id) AS cluster,
  requestParams.init_scripts AS init_scripts, requestParams.docker_image AS docker_image, ${RAW}
FROM audit_logs
WHERE serviceName = 'clusters' AND actionName IN ('create', 'edit')
  AND ((requestParams.init_scripts IS NOT NULL AND requestParams.init_scripts NOT IN ('', '[]'))
    OR (requestParams.docker_image IS NOT NULL AND requestParams.docker_image NOT IN ('', '{}')))
ORDER BY timestamp DESC`,
  ),
  detection(
    'job-owner-changes',
    'medium',
    ['jobs'],
    'Job ownership changed',
    'Whose jobs changed owner?',
    'A job runs as its owner: taking ownership of a job is a way to run code with someone else\u2019s rights.',
    `SELECT ${WHO}, COALESCE(requestParams.resourceId, requestParams.job_id) AS job,
  COALESCE(requestParams.aclPermissionSet, requestParams.grants) AS change, ${RAW}
FROM audit_logs
WHERE serviceName = 'jobs' AND actionName IN ('changeJobAcl', 'resetJobAcl')
  AND (requestParams.aclPermissionSet LIKE '%IS_OWNER%' OR requestParams.grants LIKE '%IS_OWNER%')
ORDER BY timestamp DESC`,
  ),
  detection(
    'repos-unknown-git',
    'medium',
    ['repos'],
    'Repos pointing at unexpected Git remotes',
    'Which repos were created or changed to a Git URL outside the allowed hosts? (The allow list is in the SQL: edit it for your hosts.)',
    'Code can leave through a commit and push to a repository you do not control; keep repos on your organization\u2019s Git hosts.',
    `SELECT ${WHO}, COALESCE(requestParams.url, requestParams.git_url) AS git_url, requestParams.path AS path, ${RAW}
FROM audit_logs
WHERE serviceName = 'repos' AND actionName IN ('createRepo', 'updateRepo')
  AND COALESCE(requestParams.url, requestParams.git_url) IS NOT NULL
  AND NOT (COALESCE(requestParams.url, requestParams.git_url) LIKE 'https://github.com/your-org/%'
        OR COALESCE(requestParams.url, requestParams.git_url) LIKE 'https://gitlab.your-company.example/%')
ORDER BY timestamp DESC`,
  ),
  detection(
    'account-owner-change',
    'high',
    ['accountsManager'],
    'Account owner changed',
    'When did the account owner change, and to whom?',
    'The account owner holds the keys to every workspace, billing and log delivery; this should almost never happen.',
    `SELECT ${WHO}, requestParams.email AS new_owner, requestParams.account_id AS account, ${RAW}
FROM audit_logs
WHERE serviceName = 'accountsManager' AND actionName = 'changeAccountOwner'
ORDER BY timestamp DESC`,
  ),
  detection(
    'log-delivery-changes',
    'high',
    ['logDelivery'],
    'Audit log delivery changed',
    'Who created, changed or disabled a log delivery configuration?',
    'Disabling audit log delivery is how to act unseen; any change to delivery deserves an explanation.',
    `SELECT ${WHO}, requestParams.config_id AS config_id, requestParams.status AS status, ${RAW}
FROM audit_logs
WHERE serviceName = 'logDelivery' AND actionName IN ('createLogDeliveryConfiguration', 'updateLogDeliveryConfiguration')
ORDER BY timestamp DESC`,
  ),
  detection(
    'sso-config-changes',
    'high',
    ['ssoConfigBackend'],
    'Single sign-on configuration changed',
    'Who created or changed the account\u2019s SSO configuration?',
    'Whoever controls SSO controls who can log in as anyone.',
    `SELECT ${WHO}, requestParams.sso_type AS sso_type, ${RAW}
FROM audit_logs
WHERE serviceName = 'ssoConfigBackend' AND actionName IN ('create', 'update')
ORDER BY timestamp DESC`,
  ),
  detection(
    'workspace-config-changes',
    'medium',
    ['accountsManager'],
    'Workspaces changed or deleted',
    'Who updated or deleted a workspace, or its network access settings, from the account console?',
    'Changes to production workspaces and their private access settings should follow change control.',
    `SELECT ${WHO}, requestParams.workspace_id AS target_workspace, ${RAW}
FROM audit_logs
WHERE serviceName = 'accountsManager'
  AND actionName IN ('updateWorkspaceConfiguration', 'deleteWorkspaceConfiguration', 'deletePrivateAccessSettings', 'deleteVpcEndpoint')
ORDER BY timestamp DESC`,
  ),
  detection(
    'password-changes',
    'medium',
    ['accounts'],
    'Local passwords changed or reset',
    'Whose local password was changed or reset, and by whom?',
    'With SSO in place, local passwords should not be in use; a reset by someone else can be an account takeover.',
    `SELECT ${WHO}, COALESCE(requestParams.targetUserName, requestParams.targetUserId, requestParams.userId) AS target_user,
  requestParams.wasPasswordChanged AS changed, ${RAW}
FROM audit_logs
WHERE serviceName = 'accounts' AND actionName IN ('changePassword', 'resetPassword')
ORDER BY timestamp DESC`,
  ),
  detection(
    'ssh-logins',
    'medium',
    ['ssh'],
    'SSH logins to cluster nodes',
    'Who opened SSH sessions on cluster machines?',
    'SSH gives a shell on the driver, outside notebook auditing; it is rarely needed.',
    `SELECT ${WHO}, requestParams.userName AS ssh_user, requestParams.instanceId AS instance, ${RAW}
FROM audit_logs
WHERE serviceName = 'ssh' AND actionName = 'login'
ORDER BY timestamp DESC`,
  ),
  detection(
    'model-downloads',
    'low',
    ['mlflowModelRegistry'],
    'Model artifacts downloaded',
    'Who fetched download links for registered model versions?',
    'Trained models can encode the data they were trained on; downloads take them off the platform.',
    `SELECT ${WHO}, requestParams.name AS model, requestParams.version AS version, ${RAW}
FROM audit_logs
WHERE serviceName = 'mlflowModelRegistry'
  AND actionName IN ('getModelVersionSignedDownloadUri', 'getModelVersionDownloadUri')
ORDER BY timestamp DESC`,
  ),
  detection(
    'permanent-deletes',
    'medium',
    ['clusters', 'workspace', 'jobs'],
    'Permanent deletions',
    'Who permanently deleted clusters, purged workspace objects or deleted jobs?',
    'Destruction without a trash bin is how evidence or production work disappears for good.',
    `SELECT ${WHO}, COALESCE(requestParams.cluster_id, requestParams.treestoreId, requestParams.job_id) AS object, ${RAW}
FROM audit_logs
WHERE (serviceName = 'clusters' AND actionName = 'permanentDelete')
   OR (serviceName = 'workspace' AND actionName = 'purgeWorkspaceNodes')
   OR (serviceName = 'jobs' AND actionName = 'delete')
ORDER BY timestamp DESC`,
  ),
];
