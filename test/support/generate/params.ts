/** Realistic values for documented requestParams keys, by key name; every value is a string. */
import type { EventContext } from './context';
import { encode } from './context';
import { NODE_TYPES, SPARK_VERSIONS } from './world';

const STAGES = ['Staging', 'Production', 'Archived', 'None'];

function epochDaysAhead(ctx: EventContext, days: number): string {
  return String(ctx.time + days * 86_400_000);
}

/** A value for `key`; unknown keys get an opaque token, as real logs often do. */
export function paramValue(key: string, ctx: EventContext): string {
  const { rng } = ctx;
  const ws = ctx.workspace;
  switch (key) {
    case 'user':
    case 'targetUserName':
    case 'userName':
    case 'user_name':
    case 'approver':
    case 'owner':
    case 'creator':
    case 'email':
      return ctx.person().email;
    case 'userId':
    case 'targetUserId':
    case 'user_id':
      return ctx.person().userId;
    case 'endpoint':
      return rng.pick(['adminConsole', 'scim', 'scimV2']);
    case 'targetGroupId':
      return ws ? rng.pick(ws.groups).id : rng.digits(15);
    case 'targetGroupName':
    case 'group_name':
    case 'parent_name':
      return ws ? rng.pick(ws.groups).name : 'admins';
    case 'tokenExpirationTime':
      return epochDaysAhead(ctx, rng.pick([1, 30, 90]));
    case 'tokenId':
      return rng.hex(64);
    case 'newPasswordSource':
    case 'serviceSource':
      return rng.pick(['user', 'admin']);
    case 'wasPasswordChanged':
    case 'overwrite':
    case 'recursive':
    case 'enabled':
    case 'enable_elastic_disk':
    case 'checkSensitiveToken':
    case 'archive_existing_versions':
    case 'with_pii':
    case 'init_scripts_safe_mode':
      return String(rng.chance(0.5));
    case 'shardName':
      return ws?.shardName ?? 'accounts';
    case 'aclPermissionSet':
      return rng.pick(['CAN_MANAGE', 'CAN_RESTART', 'CAN_ATTACH_TO', 'CAN_VIEW', 'CAN_RUN', 'IS_OWNER']);
    case 'resourceId':
      return `/${rng.pick(['clusters', 'jobs', 'instance-pools', 'directories', 'notebooks'])}/${ws ? rng.pick(ws.clusters).id : rng.digits(12)}`;
    case 'cluster_id':
    case 'clusterId':
    case 'existing_cluster_id':
      return ws ? rng.pick(ws.clusters).id : rng.alnum(12);
    case 'num_workers':
      return String(rng.int(1, 12));
    case 'autoscale':
      return encode({ min_workers: rng.int(1, 2), max_workers: rng.int(3, 16) });
    case 'spark_version':
      return rng.weighted(SPARK_VERSIONS);
    case 'node_type_id':
    case 'driver_node_type_id':
      return rng.pick(NODE_TYPES);
    case 'handle':
      return String(rng.int(1_000_000, 9_999_999));
    case 'data_length':
    case 'bufferSize':
      return String(rng.pick([1048576, 524288, 65536, 4096]));
    case 'path':
    case 'notebookFullPath':
    case 'oldPath':
    case 'newPath':
    case 'destinationPath':
    case 'src':
    case 'dst':
    case 'source_path':
    case 'destination_path':
    case 'parentPath':
    case 'path_prefix':
      return ws ? rng.pick(ws.notebooks).path : '/';
    case 'notebookId':
      return ws ? rng.pick(ws.notebooks).id : rng.digits(16);
    case 'notebookName':
    case 'newName':
    case 'oldName':
      return ws ? rng.pick(ws.notebooks).path.split('/').pop()! : 'notebook';
    case 'mountPoint':
      return ws ? rng.pick(ws.mounts) : '/mnt/data';
    case 'duration':
      return String(rng.pick([60, 120, 240]));
    case 'reason':
      return rng.pick(['Support case investigation', 'Debugging cluster startup failure', 'Customer-approved troubleshooting']);
    case 'authType':
      return rng.pick(['WORKSPACE_ACCESS', 'GENIE_ACCESS']);
    case 'name':
    case 'new_name':
      return ws ? rng.pick(ws.models) : 'model';
    case 'script_id':
      return rng.hex(16).toUpperCase();
    case 'position':
      return String(rng.int(0, 3));
    case 'script-SHA256':
      return rng.hex(64);
    case 'instance_pool_id':
      return ws ? rng.pick(ws.instancePools).id : rng.alnum(12);
    case 'instance_pool_name':
      return ws ? rng.pick(ws.instancePools).name : 'pool';
    case 'preloaded_spark_versions':
      return encode([rng.weighted(SPARK_VERSIONS)]);
    case 'idle_instance_autotermination_minutes':
    case 'autotermination_minutes':
      return String(rng.pick([10, 30, 60, 120]));
    case 'max_capacity':
      return String(rng.pick([10, 20, 50]));
    case 'min_idle_instances':
      return String(rng.int(0, 2));
    case 'custom_tags':
      return encode({ team: rng.pick(['data-eng', 'analytics', 'ml']), cost_center: rng.digits(4) });
    case 'aws_attributes':
      return encode({});
    case 'run_id':
    case 'runId':
      return rng.digits(rng.int(9, 12));
    case 'job_id':
    case 'jobId':
      return ws ? rng.pick(ws.jobs).id : rng.digits(12);
    case 'grants':
      return encode([{ user_name: ctx.person().email, permission_level: rng.pick(['CAN_VIEW', 'CAN_MANAGE_RUN']) }]);
    case 'new_settings':
      return encode({ name: ws ? rng.pick(ws.jobs).name : 'job', max_concurrent_runs: 1, timeout_seconds: 0 });
    case 'fields_to_remove':
      return encode(['libraries']);
    case 'notebook_params':
      return encode({ run_date: new Date(ctx.time).toISOString().slice(0, 10) });
    case 'jar_params':
      return encode([]);
    case 'workflow_context':
      return encode({ root_run_id: rng.digits(10) });
    case 'experimentId':
      return ws ? rng.pick(ws.experiments).id : rng.digits(16);
    case 'experimentName':
      return ws ? rng.pick(ws.experiments).path : 'experiment';
    case 'version':
      return String(rng.int(1, 12));
    case 'page_token':
    case 'next_page_token':
      return '';
    case 'key':
      return rng.pick(['owner', 'stage', 'jdbc-password', 'service-account-json', 'api-key']);
    case 'value':
      return rng.pick(['ml-team', 'candidate', 'approved']);
    case 'stage':
      return rng.pick(STAGES);
    case 'source':
      return `dbfs:/databricks/mlflow-tracking/${rng.digits(16)}/${rng.hex(32)}/artifacts/model`;
    case 'tags':
      return encode([]);
    case 'run_link':
      return '';
    case 'id':
      return ws ? rng.pick(ws.repos).id : rng.digits(15);
    case 'url':
    case 'git_url':
      return ws ? rng.pick(ws.repos).url : 'https://github.com/example-org/repo.git';
    case 'provider':
    case 'git_provider':
      return 'gitHub';
    case 'branch':
      return rng.pick(['main', 'develop', `feature/${rng.alnum(6)}`]);
    case 'tag':
      return '';
    case 'message':
      return rng.pick(['Fix join keys', 'Add daily aggregation', 'Update dependencies', 'Refactor feature pipeline']);
    case 'files':
    case 'file_paths':
      return encode([`src/${rng.alnum(6)}.py`]);
    case 'scope':
      return ws ? rng.pick(ws.secretScopes) : 'scope';
    case 'string_value':
      return '[REDACTED]';
    case 'queryId':
    case 'originalQueryId':
    case 'objectId':
      return ws ? rng.pick(ws.sqlQueries) : rng.uuid();
    case 'dashboardId':
      return ws ? rng.pick(ws.dashboards) : rng.uuid();
    case 'alertId':
    case 'visualizationId':
    case 'dataSourceId':
    case 'alertDestinationId':
    case 'querySnippetId':
    case 'queryResultId':
    case 'treestoreId':
      return rng.uuid();
    case 'objectType':
      return rng.pick(['queries', 'dashboards', 'alerts']);
    case 'granteeAndPermission':
      return encode([{ group_name: 'users', permission_level: 'CAN_RUN' }]);
    case 'dataSourceType':
      return rng.pick(['databricks_internal', 'pg']);
    case 'alertDestinationType':
      return rng.pick(['email', 'slack']);
    case 'fileType':
      return rng.pick(['csv', 'tsv', 'xlsx']);
    case 'securable':
      return encode({ type: 'TABLE', name: ws ? rng.pick(ws.tables) : 'default.t' });
    case 'principal':
      return ctx.person().email;
    case 'permission':
      return encode({ action: rng.pick(['SELECT', 'MODIFY', 'READ_METADATA', 'USAGE']), principal: ctx.person().email });
    case 'containerId':
    case 'instanceId':
      return rng.hex(24);
    case 'port':
      return '2200';
    case 'publicKey':
      return `ssh-rsa AAAAB3NzaC1yc2E${rng.alnum(40)}`;
    case 'workspaceExportFormat':
      return rng.pick(['SOURCE', 'DBC', 'HTML', 'JUPYTER']);
    case 'account_id':
      return ctx.world.accountId;
    case 'workspace_id':
      return rng.pick(ctx.world.workspaces).id;
    case 'window_size':
      return rng.pick(['DAY', 'MONTH']);
    case 'start_time':
    case 'end_time':
      return new Date(ctx.time).toISOString().slice(0, 10);
    case 'start_month':
    case 'end_month':
      return new Date(ctx.time).toISOString().slice(0, 7);
    case 'meter_name':
      return rng.pick(['DBU', 'GCE_VM']);
    case 'workspace_ids_filter':
      return encode(ctx.world.workspaces.map((w) => w.id));
    case 'config_id':
      return rng.pick(ctx.world.logDeliveryConfigIds);
    case 'status':
      return rng.pick(['ENABLED', 'DISABLED']);
    case 'storage_configuration_id':
    case 'credentials_id':
    case 'vpc_endpoint_id':
    case 'private_access_settings_id':
    case 'subscription_id':
      return rng.uuid();
    case 'sso_type':
      return rng.pick(['SAML', 'OIDC']);
    case 'full_name_arg':
      return ws ? rng.pick(ws.tables) : 'main.default.t';
    case 'metastore_id':
    case 'table_id':
      return rng.uuid();
    case 'operation':
      return rng.pick(['READ', 'READ_WRITE']);
    case 'warehouseId':
      return ws ? rng.pick(ws.warehouses) : rng.hex(16);
    case 'commandId':
      return rng.uuid();
    case 'commandText':
      return `SELECT * FROM ${ws ? rng.pick(ws.tables) : 't'} LIMIT 1000`;
    default:
      return rng.alnum(12);
  }
}

/** requestParams for the documented keys; long key lists keep a realistic subset. */
export function paramsFor(keys: readonly string[], ctx: EventContext): Record<string, string> {
  const params: Record<string, string> = {};
  for (const key of keys) {
    if (keys.length > 6 && !ctx.rng.chance(0.5)) continue;
    params[key] = paramValue(key, ctx);
  }
  return params;
}
