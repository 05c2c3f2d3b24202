/**
 * Detections over `audit_logs` (the delivered JSON as Spark reads it), written in the style of
 * published Databricks audit-log detections, each with its hand translation to DuckDB.
 */
import type { CorpusQuery } from './corpus';

export const AUDIT_LOGS_QUERIES: CorpusQuery[] = [
  {
    name: 'seed: who logs in from where',
    spark: `SELECT DISTINCT userIdentity.email, sourceIPAddress FROM audit_logs WHERE serviceName = "accounts" AND actionName LIKE "%login%"`,
    duck: `SELECT DISTINCT userIdentity.email, sourceIPAddress FROM audit_logs WHERE serviceName = 'accounts' AND actionName LIKE '%login%'`,
  },
  {
    name: 'seed: cluster creations per Spark version',
    spark: `SELECT requestParams.spark_version, COUNT(*) FROM audit_logs WHERE serviceName = "clusters" AND actionName = "create" GROUP BY requestParams.spark_version`,
    duck: `SELECT requestParams['spark_version'], count(*) FROM audit_logs WHERE serviceName = 'clusters' AND actionName = 'create' GROUP BY 1`,
  },
  {
    name: 'seed: permission requests',
    spark: `SELECT requestId, requestParams.requestId AS asked FROM audit_logs WHERE serviceName = "sqlPermissions" AND actionName = "requestPermissions"`,
    duck: `SELECT requestId, requestParams['requestId'] FROM audit_logs WHERE serviceName = 'sqlPermissions' AND actionName = 'requestPermissions'`,
  },
  {
    name: 'failed logins per attempted user in the last 90 days',
    spark: `-- repeated failed logins
      SELECT requestParams.user AS attempted, count(*) AS failures
      FROM audit_logs
      WHERE serviceName = 'accounts' AND actionName IN ('login', 'tokenLogin', 'samlLogin')
        AND response.statusCode <> 200 AND date >= current_date() - 90 AND isnotnull(requestParams.user)
      GROUP BY requestParams.user HAVING count(*) >= 2`,
    duck: `SELECT requestParams['user'], count(*) FROM audit_logs
      WHERE serviceName = 'accounts' AND actionName IN ('login', 'tokenLogin', 'samlLogin') AND response.statusCode <> 200
        AND date >= current_date - 90 AND requestParams['user'] IS NOT NULL
      GROUP BY 1 HAVING count(*) >= 2`,
  },
  {
    name: 'failed logins per source IP per hour (tumbling window)',
    spark: `SELECT window(timestamp_millis(timestamp), '60 minutes').start AS hour_start, sourceIPAddress, count(*) AS failures
      FROM audit_logs WHERE serviceName = 'accounts' AND response.statusCode IN (401, 403)
      GROUP BY window(timestamp_millis(timestamp), '60 minutes'), sourceIPAddress`,
    duck: `SELECT time_bucket(INTERVAL '60 minutes', epoch_ms(timestamp)), sourceIPAddress, count(*)
      FROM audit_logs WHERE serviceName = 'accounts' AND response.statusCode IN (401, 403) GROUP BY 1, 2`,
  },
  {
    name: 'secrets read per user: distinct scope and key pairs',
    spark: `SELECT userIdentity.email AS user, count(DISTINCT requestParams.scope, requestParams.key) AS secrets
      FROM audit_logs WHERE serviceName = 'secrets' AND actionName = 'getSecret' GROUP BY userIdentity.email`,
    duck: `SELECT userIdentity.email, count(DISTINCT CASE WHEN requestParams['scope'] IS NOT NULL AND requestParams['key'] IS NOT NULL THEN (requestParams['scope'], requestParams['key']) END)
      FROM audit_logs WHERE serviceName = 'secrets' AND actionName = 'getSecret' GROUP BY 1`,
  },
  {
    name: 'admin group membership changes',
    spark: `SELECT date, actionName, userIdentity.email AS actor, requestParams.targetUserName AS target
      FROM audit_logs WHERE serviceName = 'accounts' AND actionName IN ('addPrincipalToGroup', 'removePrincipalFromGroup') AND requestParams.targetGroupName = 'admins'`,
    duck: `SELECT date, actionName, userIdentity.email, requestParams['targetUserName'] FROM audit_logs
      WHERE serviceName = 'accounts' AND actionName IN ('addPrincipalToGroup', 'removePrincipalFromGroup') AND requestParams['targetGroupName'] = 'admins'`,
  },
  {
    name: 'large clusters created, edited or started',
    spark: `SELECT requestParams.cluster_name, cast(requestParams.num_workers AS int) AS workers FROM audit_logs
      WHERE serviceName = 'clusters' AND actionName IN ('create', 'edit', 'start') AND cast(requestParams.num_workers AS int) > 6`,
    duck: `SELECT requestParams['cluster_name'], cast(requestParams['num_workers'] AS int) FROM audit_logs
      WHERE serviceName = 'clusters' AND actionName IN ('create', 'edit', 'start') AND cast(requestParams['num_workers'] AS int) > 6`,
  },
  {
    name: 'notebook exports per user and format',
    spark: `SELECT userIdentity.email, requestParams.workspaceExportFormat AS format, count(*) AS exports FROM audit_logs
      WHERE serviceName = 'workspace' AND actionName = 'workspaceExport' GROUP BY 1, 2`,
    duck: `SELECT userIdentity.email, requestParams['workspaceExportFormat'], count(*) FROM audit_logs
      WHERE serviceName = 'workspace' AND actionName = 'workspaceExport' GROUP BY 1, 2`,
  },
  {
    name: 'events per day and service',
    spark: `SELECT date, serviceName, count(*) AS events FROM audit_logs GROUP BY date, serviceName ORDER BY date, serviceName`,
    duck: `SELECT date, serviceName, count(*) FROM audit_logs GROUP BY 1, 2 ORDER BY 1, 2`,
    ordered: true,
  },
  {
    name: 'users seen from more than one IP',
    spark: `SELECT userIdentity.email, size(collect_set(sourceIPAddress)) AS ips, sort_array(collect_set(sourceIPAddress)) AS addresses
      FROM audit_logs WHERE userIdentity.email IS NOT NULL GROUP BY userIdentity.email HAVING size(collect_set(sourceIPAddress)) > 1`,
    duck: `SELECT userIdentity.email, count(DISTINCT sourceIPAddress), list_sort(list(DISTINCT sourceIPAddress)) FROM audit_logs
      WHERE userIdentity.email IS NOT NULL GROUP BY 1 HAVING count(DISTINCT sourceIPAddress) > 1`,
  },
  {
    name: 'failed logins with no identity: the attempted user',
    spark: `SELECT requestParams.user, sourceIPAddress, response.statusCode FROM audit_logs
      WHERE serviceName = 'accounts' AND isnull(userIdentity.email) AND response.statusCode >= 400`,
    duck: `SELECT requestParams['user'], sourceIPAddress, response.statusCode FROM audit_logs
      WHERE serviceName = 'accounts' AND userIdentity.email IS NULL AND response.statusCode >= 400`,
    allowEmpty: true,
  },
  {
    name: 'client software from the user agent',
    spark: `SELECT regexp_extract(userAgent, '^([A-Za-z-]+)/(\\\\d+)', 1) AS client, regexp_extract(userAgent, '^([A-Za-z-]+)/(\\\\d+)', 2) AS major, count(*) AS n
      FROM audit_logs GROUP BY 1, 2`,
    duck: `SELECT regexp_extract(userAgent, '^([A-Za-z-]+)/(\\d+)', 1), regexp_extract(userAgent, '^([A-Za-z-]+)/(\\d+)', 2), count(*) FROM audit_logs GROUP BY 1, 2`,
  },
  {
    name: 'minutes between first and last event per user and day',
    spark: `SELECT userIdentity.email, date, timestampdiff(MINUTE, timestamp_millis(min(timestamp)), timestamp_millis(max(timestamp))) AS active_minutes
      FROM audit_logs WHERE userIdentity.email IS NOT NULL GROUP BY userIdentity.email, date`,
    duck: `SELECT userIdentity.email, date, date_sub('minute', epoch_ms(min(timestamp)), epoch_ms(max(timestamp))) FROM audit_logs
      WHERE userIdentity.email IS NOT NULL GROUP BY 1, 2`,
  },
  {
    name: 'top two actions per service (window function over a subquery)',
    spark: `SELECT serviceName, actionName, n FROM (
        SELECT serviceName, actionName, count(*) AS n, row_number() OVER (PARTITION BY serviceName ORDER BY count(*) DESC, actionName) AS rn
        FROM audit_logs GROUP BY serviceName, actionName) WHERE rn <= 2`,
    duck: `SELECT serviceName, actionName, n FROM (
        SELECT serviceName, actionName, count(*) AS n, row_number() OVER (PARTITION BY serviceName ORDER BY count(*) DESC, actionName) AS rn
        FROM audit_logs GROUP BY 1, 2) WHERE rn <= 2`,
  },
  {
    name: 'share of failed requests per service (division is fractional)',
    spark: `SELECT serviceName, round(count_if(response.statusCode >= 400) / count(*), 4) AS failure_rate FROM audit_logs GROUP BY serviceName`,
    duck: `SELECT serviceName, round(count(*) FILTER (WHERE response.statusCode >= 400) / count(*), 4) FROM audit_logs GROUP BY 1`,
  },
  {
    name: 'actor and address in one string (concat is NULL with a NULL part)',
    spark: `SELECT requestId, concat(userIdentity.email, ' via ', sourceIPAddress) AS who FROM audit_logs WHERE serviceName = 'jobs'`,
    duck: `SELECT requestId, userIdentity.email || ' via ' || sourceIPAddress FROM audit_logs WHERE serviceName = 'jobs'`,
  },
  {
    name: 'the acting user, falling back to the attempted one',
    spark: `SELECT coalesce(userIdentity.email, requestParams.user, 'unknown') AS actor, count(*) AS n FROM audit_logs WHERE serviceName = 'accounts' GROUP BY 1`,
    duck: `SELECT coalesce(userIdentity.email, requestParams['user'], 'unknown'), count(*) FROM audit_logs WHERE serviceName = 'accounts' GROUP BY 1`,
  },
  {
    name: 'hourly activity',
    spark: `SELECT date_format(timestamp_millis(timestamp), 'yyyy-MM-dd HH') AS hour, count(*) AS n FROM audit_logs GROUP BY 1`,
    duck: `SELECT strftime(epoch_ms(timestamp), '%Y-%m-%d %H'), count(*) FROM audit_logs GROUP BY 1`,
  },
  {
    name: 'off-hours activity by user',
    spark: `SELECT userIdentity.email, count(*) AS off_hours FROM audit_logs
      WHERE hour(timestamp_millis(timestamp)) < 6 OR hour(timestamp_millis(timestamp)) >= 22 GROUP BY userIdentity.email`,
    duck: `SELECT userIdentity.email, count(*) FROM audit_logs WHERE hour(epoch_ms(timestamp)) < 6 OR hour(epoch_ms(timestamp)) >= 22 GROUP BY 1`,
  },
  {
    name: 'events per day of week (1 = Sunday)',
    spark: `SELECT dayofweek(date) AS dow, count(*) AS n FROM audit_logs GROUP BY dayofweek(date)`,
    duck: `SELECT dayofweek(date) + 1, count(*) FROM audit_logs GROUP BY 1`,
  },
  {
    name: 'activity per email domain',
    spark: `SELECT substring_index(userIdentity.email, '@', -1) AS domain, count(*) AS n FROM audit_logs WHERE userIdentity.email LIKE '%@%' GROUP BY 1`,
    duck: `SELECT string_split(userIdentity.email, '@')[-1], count(*) FROM audit_logs WHERE userIdentity.email LIKE '%@%' GROUP BY 1`,
  },
  {
    name: 'production clusters by naming convention (escaped LIKE)',
    spark: `SELECT DISTINCT requestParams.cluster_name FROM audit_logs WHERE serviceName = 'clusters' AND requestParams.cluster_name LIKE 'prod\\_%'`,
    duck: `SELECT DISTINCT requestParams['cluster_name'] FROM audit_logs WHERE serviceName = 'clusters' AND requestParams['cluster_name'] LIKE 'prod\\_%' ESCAPE '\\'`,
  },
  {
    name: 'reads of mounted raw data',
    spark: `SELECT userIdentity.email, requestParams.path, sum(cast(requestParams.length AS bigint)) AS bytes FROM audit_logs
      WHERE serviceName = 'dbfs' AND actionName IN ('read', 'get') AND requestParams.path RLIKE '^/mnt/raw/' GROUP BY 1, 2`,
    duck: `SELECT userIdentity.email, requestParams['path'], sum(cast(requestParams['length'] AS bigint)) FROM audit_logs
      WHERE serviceName = 'dbfs' AND actionName IN ('read', 'get') AND regexp_matches(requestParams['path'], '^/mnt/raw/') GROUP BY 1, 2`,
  },
  {
    name: 'tables read per catalog',
    spark: `SELECT split(requestParams.full_name_arg, '\\\\.')[0] AS catalog, count(DISTINCT requestParams.full_name_arg) AS tables, count(*) AS reads
      FROM audit_logs WHERE serviceName = 'unityCatalog' AND actionName = 'getTable' GROUP BY 1`,
    duck: `SELECT string_split(requestParams['full_name_arg'], '.')[1], count(DISTINCT requestParams['full_name_arg']), count(*) FROM audit_logs
      WHERE serviceName = 'unityCatalog' AND actionName = 'getTable' GROUP BY 1`,
  },
  {
    name: 'users granted on jobs (LATERAL VIEW explode of a split list)',
    spark: `SELECT grantee, count(*) AS jobs FROM audit_logs LATERAL VIEW explode(split(requestParams.users, ',')) granted AS grantee
      WHERE serviceName = 'jobs' AND grantee <> '' GROUP BY grantee`,
    duck: `SELECT g, count(*) FROM (SELECT unnest(string_split(requestParams['users'], ',')) AS g FROM audit_logs WHERE serviceName = 'jobs') WHERE g <> '' GROUP BY 1`,
  },
  {
    name: 'actions by service principals (UUID identities)',
    spark: `SELECT serviceName, actionName, count(*) AS n FROM audit_logs WHERE userIdentity.email RLIKE '^[0-9a-f]{8}-[0-9a-f]{4}-' GROUP BY 1, 2`,
    duck: `SELECT serviceName, actionName, count(*) FROM audit_logs WHERE regexp_matches(userIdentity.email, '^[0-9a-f]{8}-[0-9a-f]{4}-') GROUP BY 1, 2`,
  },
  {
    name: 'first and last action of each session',
    spark: `SELECT sessionId, min_by(actionName, timestamp) AS first_action, max_by(actionName, timestamp) AS last_action, count(*) AS n FROM audit_logs GROUP BY sessionId`,
    duck: `SELECT sessionId, arg_min(actionName, timestamp), arg_max(actionName, timestamp), count(*) FROM audit_logs GROUP BY 1`,
  },
  {
    name: 'median requested cluster size per Spark version',
    spark: `SELECT requestParams.spark_version, percentile(cast(requestParams.num_workers AS int), 0.5) AS median_workers,
        approx_percentile(cast(requestParams.num_workers AS int), 0.5) AS approx_median
      FROM audit_logs WHERE serviceName = 'clusters' GROUP BY 1`,
    duck: `SELECT requestParams['spark_version'], quantile_cont(cast(requestParams['num_workers'] AS int), 0.5), quantile_disc(cast(requestParams['num_workers'] AS int), 0.5)
      FROM audit_logs WHERE serviceName = 'clusters' GROUP BY 1`,
  },
  {
    name: 'recent days by date arithmetic',
    spark: `SELECT date, count(*) AS n FROM audit_logs WHERE date > date_sub(current_date(), 2) AND date <= current_date GROUP BY date`,
    duck: `SELECT date, count(*) FROM audit_logs WHERE date > current_date - 2 AND date <= current_date GROUP BY 1`,
  },
  {
    name: 'secret scopes touched, NULLs shown as unknown',
    spark: `SELECT nvl(requestParams.scope, 'unknown') AS scope, actionName, count(*) AS n FROM audit_logs WHERE serviceName = 'secrets' GROUP BY 1, 2`,
    duck: `SELECT coalesce(requestParams['scope'], 'unknown'), actionName, count(*) FROM audit_logs WHERE serviceName = 'secrets' GROUP BY 1, 2`,
  },
  {
    name: 'events of the last week by INTERVAL',
    spark: `SELECT serviceName, count(*) AS n FROM audit_logs WHERE timestamp_millis(timestamp) >= current_timestamp() - INTERVAL 7 DAYS GROUP BY serviceName`,
    duck: `SELECT serviceName, count(*) FROM audit_logs WHERE epoch_ms(timestamp) >= now()::TIMESTAMP - INTERVAL 7 DAYS GROUP BY 1`,
  },
  {
    name: 'distinct user and address pairs',
    spark: `SELECT serviceName, count(DISTINCT sourceIPAddress, userIdentity.email) AS pairs FROM audit_logs GROUP BY serviceName`,
    duck: `SELECT serviceName, count(DISTINCT CASE WHEN userIdentity.email IS NOT NULL THEN (sourceIPAddress, userIdentity.email) END) FROM audit_logs GROUP BY 1`,
  },
  {
    name: 'users who deleted clusters (arrays_overlap)',
    spark: `SELECT userIdentity.email FROM audit_logs WHERE serviceName = 'clusters' GROUP BY userIdentity.email
      HAVING arrays_overlap(collect_set(actionName), array('delete', 'permanentDelete'))`,
    duck: `SELECT userIdentity.email FROM audit_logs WHERE serviceName = 'clusters' GROUP BY 1 HAVING list_has_any(list(actionName), ['delete', 'permanentDelete'])`,
  },
  {
    name: 'cluster ids from the JSON response (get_json_object)',
    spark: `SELECT get_json_object(response.result, '$.cluster_id') AS cluster_id, requestParams.cluster_name FROM audit_logs WHERE serviceName = 'clusters' AND actionName = 'create'`,
    duck: `SELECT json_extract_string(response.result, '$.cluster_id'), requestParams['cluster_name'] FROM audit_logs WHERE serviceName = 'clusters' AND actionName = 'create'`,
  },
  {
    name: 'latest cluster event per cluster name (QUALIFY)',
    spark: `SELECT requestParams.cluster_name AS cluster, actionName, userIdentity.email AS actor FROM audit_logs WHERE serviceName = 'clusters'
      QUALIFY row_number() OVER (PARTITION BY requestParams.cluster_name ORDER BY timestamp DESC, requestId) = 1`,
    duck: `SELECT requestParams['cluster_name'], actionName, userIdentity.email FROM audit_logs WHERE serviceName = 'clusters'
      QUALIFY row_number() OVER (PARTITION BY requestParams['cluster_name'] ORDER BY timestamp DESC, requestId) = 1`,
  },
  {
    name: 'cluster ids of created clusters (LATERAL VIEW json_tuple)',
    spark: `SELECT userIdentity.email, created.cluster_id FROM audit_logs LATERAL VIEW json_tuple(response.result, 'cluster_id') created AS cluster_id
      WHERE serviceName = 'clusters' AND actionName = 'create'`,
    duck: `SELECT userIdentity.email, json_extract_string(response.result, '$.cluster_id') FROM audit_logs WHERE serviceName = 'clusters' AND actionName = 'create'`,
  },
];
