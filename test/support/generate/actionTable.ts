/**
 * Every service and action of Databricks' GCP audit-log tables with their documented
 * requestParams keys, and how often each occurs relative to the others. Actions with a dedicated
 * builder (see events/) still appear here so the weights live in one place.
 */

export type Level = 'workspace' | 'account';

export interface ActionRow {
  service: string;
  action: string;
  keys: readonly string[];
  weight: number;
  level: Level;
}

type Table = Record<string, Record<string, readonly [keys: string, weight: number]>>;

const WORKSPACE: Table = {
  accounts: {
    add: ['targetUserName endpoint targetUserId', 1],
    addPrincipalToGroup: ['targetGroupId endpoint targetUserId targetGroupName targetUserName', 1],
    changePassword: ['newPasswordSource targetUserId serviceSource wasPasswordChanged userId', 0.3],
    createGroup: ['endpoint targetGroupId targetGroupName', 0.3],
    delete: ['targetUserId targetUserName endpoint', 0.3],
    garbageCollectDbToken: ['tokenExpirationTime userId', 1.5],
    generateDbToken: ['userId tokenExpirationTime', 3],
    jwtLogin: ['user', 4],
    login: ['user', 30],
    logout: ['user', 8],
    removeAdmin: ['targetUserName endpoint targetUserId', 0.3],
    removeGroup: ['targetGroupId targetGroupName endpoint', 0.2],
    resetPassword: ['serviceSource userId endpoint targetUserId targetUserName wasPasswordChanged newPasswordSource', 0.2],
    revokeDbToken: ['userId', 0.8],
    samlLogin: ['user', 6],
    setAdmin: ['endpoint targetUserName targetUserId', 0.5],
    tokenLogin: ['tokenId user', 60],
    validateEmail: ['endpoint targetUserName targetUserId', 0.3],
  },
  clusters: {
    changeClusterAcl: ['shardName aclPermissionSet targetUserId resourceId', 1],
    create: ['cluster_log_conf num_workers enable_elastic_disk driver_node_type_id start_cluster docker_image ssh_public_keys aws_attributes acl_path_prefix node_type_id instance_pool_id spark_env_vars init_scripts spark_version cluster_source autotermination_minutes cluster_name autoscale custom_tags cluster_creator enable_local_disk_encryption idempotency_token spark_conf organization_id no_driver_daemon user_id', 8],
    delete: ['cluster_id', 3],
    edit: ['spark_env_vars no_driver_daemon enable_elastic_disk aws_attributes driver_node_type_id custom_tags cluster_name spark_conf ssh_public_keys autotermination_minutes cluster_source docker_image enable_local_disk_encryption cluster_id spark_version autoscale cluster_log_conf instance_pool_id num_workers init_scripts node_type_id', 2],
    permanentDelete: ['cluster_id', 0.5],
    resize: ['cluster_id num_workers autoscale', 8],
    restart: ['cluster_id', 2],
    start: ['init_scripts_safe_mode cluster_id', 8],
  },
  dbfs: {
    addBlock: ['handle data_length', 1],
    create: ['path bufferSize overwrite', 1],
    delete: ['recursive path', 0.5],
    getSessionCredentials: ['mountPoint', 3],
    mkdirs: ['path', 0.5],
    mount: ['mountPoint owner', 0.4],
    move: ['dst source_path src destination_path', 0.3],
    put: ['path overwrite', 0.8],
    unmount: ['mountPoint', 0.2],
  },
  genie: { databricksAccess: ['duration approver reason authType user', 0.4] },
  globalInitScripts: {
    create: ['name position script-SHA256 enabled', 0.2],
    update: ['script_id name position script-SHA256 enabled', 0.2],
    delete: ['script_id', 0.1],
  },
  groups: {
    addPrincipalToGroup: ['user_name parent_name', 1],
    createGroup: ['group_name', 0.3],
    getGroupMembers: ['group_name', 2],
    removeGroup: ['group_name', 0.2],
  },
  iamRole: { changeIamRoleAcl: ['targetUserId shardName resourceId aclPermissionSet', 0.3] },
  instancePools: {
    changeInstancePoolAcl: ['shardName resourceId targetUserId aclPermissionSet', 0.3],
    create: ['enable_elastic_disk preloaded_spark_versions idle_instance_autotermination_minutes instance_pool_name node_type_id custom_tags max_capacity min_idle_instances aws_attributes', 0.4],
    delete: ['instance_pool_id', 0.2],
    edit: ['instance_pool_name idle_instance_autotermination_minutes min_idle_instances preloaded_spark_versions max_capacity enable_elastic_disk node_type_id instance_pool_id aws_attributes', 0.4],
  },
  jobs: {
    cancel: ['run_id', 1],
    cancelAllRuns: ['job_id', 0.3],
    changeJobAcl: ['shardName aclPermissionSet resourceId targetUserId', 0.5],
    create: ['spark_jar_task email_notifications notebook_task spark_submit_task timeout_seconds libraries name spark_python_task job_type new_cluster existing_cluster_id max_retries schedule', 2],
    delete: ['job_id', 0.5],
    deleteRun: ['run_id', 0.5],
    reset: ['job_id new_settings', 1],
    resetJobAcl: ['grants job_id', 0.5],
    runFailed: ['jobClusterType jobTriggerType jobId jobTaskType runId jobTerminalState idInJob orgId', 4],
    runNow: ['notebook_params job_id jar_params workflow_context', 6],
    runSucceeded: ['idInJob jobId jobTriggerType orgId runId jobClusterType jobTaskType jobTerminalState', 20],
    submitRun: ['shell_command_task run_name spark_python_task existing_cluster_id notebook_task timeout_seconds libraries new_cluster spark_jar_task', 5],
    update: ['fields_to_remove job_id new_settings', 1],
  },
  mlflowExperiment: {
    deleteMlflowExperiment: ['experimentId path experimentName', 0.3],
    moveMlflowExperiment: ['newPath experimentId oldPath', 0.3],
    restoreMlflowExperiment: ['experimentId path experimentName', 0.2],
  },
  mlflowModelRegistry: {
    listModelArtifacts: ['name version path page_token', 1],
    getModelVersionSignedDownloadUri: ['name version path', 1],
    createRegisteredModel: ['name tags', 0.3],
    deleteRegisteredModel: ['name', 0.1],
    renameRegisteredModel: ['name new_name', 0.1],
    setRegisteredModelTag: ['name key value', 0.3],
    deleteRegisteredModelTag: ['name key', 0.1],
    createModelVersion: ['name source run_id tags run_link', 1],
    deleteModelVersion: ['name version', 0.2],
    getModelVersionDownloadUri: ['name version', 1],
    setModelVersionTag: ['name version key value', 0.3],
    deleteModelVersionTag: ['name version key', 0.1],
    createTransitionRequest: ['name version stage', 0.3],
    deleteTransitionRequest: ['name version stage creator', 0.1],
    approveTransitionRequest: ['name version stage archive_existing_versions', 0.2],
    rejectTransitionRequest: ['name version stage', 0.1],
    transitionModelVersionStage: ['name version stage archive_existing_versions', 0.3],
    transitionModelVersionStageDatabricks: ['name version stage archive_existing_versions', 0.3],
    createComment: ['name version', 0.2],
    updateComment: ['id', 0.1],
    deleteComment: ['id', 0.1],
  },
  notebook: {
    attachNotebook: ['path clusterId notebookId', 20],
    createNotebook: ['notebookId path', 3],
    deleteFolder: ['path', 0.3],
    deleteNotebook: ['notebookId notebookName path', 1],
    detachNotebook: ['notebookId clusterId path', 10],
    downloadLargeResults: ['notebookId notebookFullPath', 0.5],
    downloadPreviewResults: ['notebookId notebookFullPath', 1.5],
    importNotebook: ['path', 1],
    moveNotebook: ['newPath oldPath notebookId', 0.5],
    renameNotebook: ['newName oldName parentPath notebookId', 0.8],
    restoreFolder: ['path', 0.1],
    restoreNotebook: ['path notebookId notebookName', 0.2],
    takeNotebookSnapshot: ['path', 6],
  },
  repos: {
    createRepo: ['url provider path', 0.4],
    updateRepo: ['id branch tag git_url git_provider', 1],
    getRepo: ['id', 3],
    listRepos: ['path_prefix next_page_token', 2],
    deleteRepo: ['id', 0.1],
    pull: ['id', 2],
    commitAndPush: ['id message files checkSensitiveToken', 1.5],
    checkoutBranch: ['id branch', 1],
    discard: ['id file_paths', 0.3],
  },
  secrets: {
    createScope: ['scope', 0.2],
    deleteScope: ['scope', 0.1],
    deleteSecret: ['key scope', 0.3],
    getSecret: ['scope key', 6],
    listAcls: ['scope', 0.5],
    listSecrets: ['scope', 1.5],
    putSecret: ['string_value scope key', 0.5],
  },
  sqlanalytics: {
    createEndpoint: ['', 0.1],
    createQuery: ['queryId', 1],
    updateQuery: ['queryId', 2],
    forkQuery: ['queryId originalQueryId', 0.3],
    moveQueryToTrash: ['queryId', 0.2],
    deleteQuery: ['queryId', 0.1],
    restoreQuery: ['queryId', 0.1],
    createDashboard: ['dashboardId', 0.3],
    updateDashboard: ['dashboardId', 1],
    moveDashboardToTrash: ['dashboardId', 0.1],
    deleteDashboard: ['dashboardId', 0.1],
    restoreDashboard: ['dashboardId', 0.1],
    createAlert: ['alertId queryId', 0.2],
    updateAlert: ['alertId queryId', 0.2],
    deleteAlert: ['alertId', 0.1],
    createVisualization: ['visualizationId queryId', 0.5],
    updateVisualization: ['visualizationId', 0.5],
    deleteVisualization: ['visualizationId', 0.1],
    changePermissions: ['objectType objectId granteeAndPermission', 0.5],
    createExternalDatasource: ['dataSourceId dataSourceType', 0.1],
    updateExternalDatasource: ['dataSourceId', 0.1],
    deleteExternalDatasource: ['dataSourceId', 0.05],
    createAlertDestination: ['alertDestinationId alertDestinationType', 0.1],
    updateAlertDestination: ['alertDestinationId', 0.05],
    deleteAlertDestination: ['alertDestinationId', 0.05],
    createQuerySnippet: ['querySnippetId', 0.1],
    updateQuerySnippet: ['querySnippetId', 0.1],
    deleteQuerySnippet: ['querySnippetId', 0.05],
    downloadQueryResult: ['queryId queryResultId fileType', 1],
  },
  sqlPermissions: {
    createSecurable: ['securable', 1],
    grantPermission: ['permission', 1.5],
    removeAllPermissions: ['securable', 0.2],
    requestPermissions: ['requests', 12],
    revokePermission: ['permission', 0.5],
    showPermissions: ['securable principal', 1],
  },
  ssh: {
    login: ['containerId userName port publicKey instanceId', 0.4],
    logout: ['userName containerId instanceId', 0.3],
  },
  workspace: {
    changeWorkspaceAcl: ['shardName targetUserId aclPermissionSet resourceId', 0.5],
    fileCreate: ['path', 2],
    fileDelete: ['path', 0.5],
    moveWorkspaceNode: ['destinationPath path', 0.5],
    purgeWorkspaceNodes: ['treestoreId', 0.1],
    workspaceConfEdit: ['workspaceConfKeys workspaceConfValues', 0.3],
    workspaceExport: ['workspaceExportFormat notebookFullPath', 1],
  },
  // Services the tables do not list but real deliveries carry: unknown is normal.
  unityCatalog: {
    getTable: ['full_name_arg workspace_id metastore_id', 3],
    generateTemporaryTableCredential: ['table_id operation', 1],
  },
  databrickssql: {
    commandSubmit: ['commandText warehouseId commandId', 2],
    commandFinish: ['warehouseId commandId', 2],
  },
};

const ACCOUNT: Table = {
  accountBillableUsage: {
    getAggregatedUsage: ['account_id window_size start_time end_time meter_name workspace_ids_filter', 1],
    getDetailedUsage: ['account_id start_month end_month with_pii', 0.5],
  },
  accounts: {
    login: ['user', 6],
    gcpWorkspaceBrowserLogin: ['user', 8],
    logout: ['user', 2],
  },
  accountsManager: {
    updateAccount: ['account_id account', 0.1],
    changeAccountOwner: ['account_id first_name last_name email', 0.05],
    updateSubscription: ['account_id subscription_id subscription', 0.05],
    listSubscriptions: ['account_id', 0.3],
    createWorkspaceConfiguration: ['workspace', 0.1],
    getWorkspaceConfiguration: ['account_id workspace_id', 1],
    listWorkspaceConfigurations: ['account_id', 1.5],
    updateWorkspaceConfiguration: ['account_id workspace_id', 0.2],
    deleteWorkspaceConfiguration: ['account_id workspace_id', 0.05],
    listWorkspaceEncryptionKeyRecords: ['account_id workspace_id', 0.2],
    listWorkspaceEncryptionKeyRecordsForAccount: ['account_id', 0.2],
    createVpcEndpoint: ['vpc_endpoint', 0.05],
    getVpcEndpoint: ['account_id vpc_endpoint_id', 0.2],
    listVpcEndpoints: ['account_id', 0.3],
    deleteVpcEndpoint: ['account_id vpc_endpoint_id', 0.05],
    createPrivateAccessSettings: ['private_access_settings', 0.05],
    getPrivateAccessSettings: ['account_id private_access_settings_id', 0.2],
    listPrivateAccessSettingss: ['account_id', 0.2],
    deletePrivateAccessSettings: ['account_id private_access_settings_id', 0.05],
  },
  logDelivery: {
    createLogDeliveryConfiguration: ['account_id config_id', 0.1],
    updateLogDeliveryConfiguration: ['config_id account_id status', 0.1],
    getLogDeliveryConfiguration: ['log_delivery_configuration', 0.5],
    listLogDeliveryConfigurations: ['account_id storage_configuration_id credentials_id status', 0.5],
  },
  ssoConfigBackend: {
    create: ['account_id sso_type config', 0.05],
    update: ['account_id sso_type config', 0.1],
    get: ['account_id sso_type', 0.5],
  },
};

function rows(table: Table, level: Level): ActionRow[] {
  return Object.entries(table).flatMap(([service, actions]) =>
    Object.entries(actions).map(([action, [keys, weight]]) => ({
      service,
      action,
      keys: keys.split(' ').filter(Boolean),
      weight,
      level,
    })),
  );
}

export const WORKSPACE_ACTIONS: readonly ActionRow[] = rows(WORKSPACE, 'workspace');
export const ACCOUNT_ACTIONS: readonly ActionRow[] = rows(ACCOUNT, 'account');
