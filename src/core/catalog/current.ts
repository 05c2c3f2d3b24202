/**
 * What Databricks' current audit-log documentation for GCP adds to the original page's tables:
 * services the original page did not list, and actions of services it did (the verbose audit-log
 * actions). Each entry names the page and section it comes from. An entry whose name and level
 * match an original service adds its actions to that service; any other entry is a new service.
 *
 * Where a service's own table of actions was not available, the service is listed with its
 * description alone and marked `partial`: its actions are then reported as not catalogued rather
 * than as undocumented.
 */
import type { ServiceData } from './types';

const SERVICE_LIST =
  'https://docs.gcp.databricks.com/administration-guide/account-settings/audit-logs.html — Audit log reference, "Audit log services: Workspace-level services"';
const VERBOSE =
  'https://docs.databricks.com/gcp/en/admin/account-settings/verbose-logs — Enable verbose audit logs, "Verbose audit log events"';
const VERBOSE_NOTEBOOK =
  'https://docs.gcp.databricks.com/administration-guide/account-settings-gcp/audit-logs.html — Access audit logs, "Configure verbose audit logs: Additional notebook actions"';
const SYSTEM_TABLE =
  'https://docs.databricks.com/gcp/en/admin/system-tables/audit-logs — Audit log system table reference, "Audit log system table schema: request_params example"';
const DELTA_SHARING =
  'https://docs.gcp.databricks.com/en/data-sharing/audit-logging-provider.html — Audit and monitor data sharing using Delta Sharing (for providers), "Logged event examples"';
const DASHBOARDS =
  'https://docs.gcp.databricks.com/en/dashboards/admin/audit-logs.html — Monitor dashboard usage with audit logs, "Monitor draft and published dashboards"';
const UNITY_CATALOG =
  'https://docs.gcp.databricks.com/data-governance/unity-catalog/audit.html — Audit Unity Catalog events, "Audit log format"';

/** Service descriptions of the reference's list, restated; no table of their actions was available. */
function listed(name: string, description: string, alsoNamed?: readonly string[]): ServiceData {
  return { name, level: 'WORKSPACE_LEVEL', description, source: SERVICE_LIST, partial: true, actions: [], ...(alsoNamed ? { alsoNamed } : {}) };
}

export const CURRENT_SERVICES: readonly ServiceData[] = [
  {
    ...listed('databrickssql', 'Use of Databricks SQL.', ['sqlanalytics']),
    actions: [
      { name: 'commandSubmit', description: 'A command (SQL statement) is submitted to Databricks SQL; logged only with verbose audit logs.', params: ['commandText', 'warehouseId', 'commandId'], source: VERBOSE },
      {
        name: 'commandFinish',
        description: 'A Databricks SQL command completes or is cancelled; logged only with verbose audit logs. The outcome is in response (statusCode, errorMessage).',
        params: ['warehouseId', 'commandId'],
        source: VERBOSE,
      },
    ],
  },
  {
    name: 'notebook',
    level: 'WORKSPACE_LEVEL',
    description: 'Notebooks and workspace folders.',
    source: VERBOSE_NOTEBOOK,
    actions: [
      {
        name: 'runCommand',
        description: 'An interactive user ran a command (one notebook cell); logged only with verbose audit logs.',
        params: ['notebookId', 'executionTime', 'status', 'commandId', 'commandText'],
        source: VERBOSE_NOTEBOOK,
      },
    ],
  },
  {
    name: 'jobs',
    level: 'WORKSPACE_LEVEL',
    description: 'Jobs, their runs and their permissions.',
    source: VERBOSE,
    actions: [
      {
        name: 'runCommand',
        description: 'A job run executed a notebook command (one cell); logged only with verbose audit logs.',
        params: ['jobId', 'runId', 'notebookId', 'executionTime', 'status', 'commandId', 'commandText'],
        source: VERBOSE,
      },
    ],
  },
  {
    name: 'unityCatalog',
    level: 'ACCOUNT_LEVEL',
    description: 'Unity Catalog: actions on the metastore and its securables, Delta Sharing included (recipient actions start with deltaSharing).',
    source: UNITY_CATALOG,
    partial: true,
    actions: [
      {
        name: 'createMetastoreAssignment',
        description: 'A Unity Catalog metastore is assigned to a workspace.',
        params: ['workspace_id', 'metastore_id', 'default_catalog_name'],
        source: UNITY_CATALOG,
      },
      {
        name: 'getTable',
        description: "A table's metadata is read.",
        params: ['full_name_arg', 'workspace_id', 'metastore_id'],
        source: SYSTEM_TABLE,
      },
      {
        name: 'updateMetastore',
        description: "A metastore's settings are changed, such as its Delta Sharing scope or the lifetime of recipient tokens.",
        params: ['metastore_id', 'delta_sharing_scope', 'delta_sharing_recipient_token_lifetime_in_seconds'],
        source: DELTA_SHARING,
      },
    ],
  },
  {
    ...listed('dashboards', 'AI/BI dashboards and their use.'),
    actions: [
      { name: 'getDashboard', description: 'The draft of an AI/BI dashboard is viewed.', params: ['dashboard_id'], source: DASHBOARDS },
      { name: 'getPublishedDashboard', description: 'The published version of an AI/BI dashboard is viewed.', params: ['dashboard_id'], source: DASHBOARDS },
    ],
  },
  listed('aibiGenie', 'AI/BI Genie spaces (not the support access that genie logs).'),
  listed('clusterPolicies', 'Cluster policies.'),
  listed('deltaPipelines', 'Delta Live Tables pipelines.'),
  listed('featureStore', 'The Databricks Feature Store.'),
  listed('filesystem', 'File management: files handled through the Files API or the volumes UI.'),
  listed('gitCredentials', 'Git credentials used by Git folders (see also repos).'),
  listed('ingestion', 'File uploads.'),
  listed('lineageTracking', 'Data lineage.'),
  listed('marketplaceConsumer', 'What consumers do in Databricks Marketplace.'),
  listed('marketplaceProvider', 'What providers do in Databricks Marketplace.'),
  listed('mlflowAcledArtifact', 'MLflow artifacts protected by access control lists.'),
  listed('modelRegistry', 'The model registry.', ['mlflowModelRegistry']),
  listed('partnerConnect', 'Partner Connect.'),
  listed('remoteHistoryService', 'GitHub credentials being added or removed.'),
  listed('webTerminal', 'The web terminal.'),
];
