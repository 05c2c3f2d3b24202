/**
 * Detections over `system_access_audit` (Databricks' system.access.audit table names), written
 * in the style of Databricks' published system-table queries, each with its DuckDB translation.
 */
import type { CorpusQuery } from './corpus';

export const SYSTEM_TABLE_QUERIES: CorpusQuery[] = [
  {
    name: 'failed logins in the last 90 days by attempted user',
    spark: `SELECT request_params.user AS attempted, count(*) AS failures FROM system_access_audit
      WHERE service_name = 'accounts' AND action_name IN ('login', 'tokenLogin', 'samlLogin') AND response.status_code != 200
        AND event_date >= current_date() - 90 GROUP BY request_params.user`,
    duck: `SELECT request_params['user'], count(*) FROM system_access_audit WHERE service_name = 'accounts'
      AND action_name IN ('login', 'tokenLogin', 'samlLogin') AND response.status_code != 200 AND event_date >= current_date - 90 GROUP BY 1`,
  },
  {
    name: 'events per day',
    spark: `SELECT event_date, count(*) AS events FROM system_access_audit GROUP BY event_date ORDER BY event_date`,
    duck: `SELECT event_date, count(*) FROM system_access_audit GROUP BY 1 ORDER BY 1`,
    ordered: true,
  },
  {
    name: 'bursts: more than two events per user in an hour',
    spark: `SELECT window.start AS window_start, window.end AS window_end, user_identity.email, count(*) AS n FROM system_access_audit
      WHERE isnotnull(user_identity.email) GROUP BY window(event_time, '1 hour'), user_identity.email HAVING count(*) > 2`,
    duck: `SELECT time_bucket(INTERVAL '1 hour', event_time), time_bucket(INTERVAL '1 hour', event_time) + INTERVAL '1 hour', user_identity.email, count(*)
      FROM system_access_audit WHERE user_identity.email IS NOT NULL GROUP BY 1, 2, 3 HAVING count(*) > 2`,
  },
  {
    name: 'every event has its own event_id',
    spark: `SELECT count(*) AS events, count(DISTINCT event_id) AS ids FROM system_access_audit`,
    duck: `SELECT count(*), count(DISTINCT event_id) FROM system_access_audit`,
  },
  {
    name: 'secret reads by scope',
    spark: `SELECT request_params['scope'] AS scope, user_identity.email, count(*) AS reads FROM system_access_audit
      WHERE service_name = 'secrets' AND action_name = 'getSecret' GROUP BY 1, 2`,
    duck: `SELECT request_params['scope'], user_identity.email, count(*) FROM system_access_audit WHERE service_name = 'secrets' AND action_name = 'getSecret' GROUP BY 1, 2`,
  },
  {
    name: 'request parameter keys per action (map_keys)',
    spark: `SELECT action_name, sort_array(map_keys(request_params)) AS keys FROM system_access_audit WHERE service_name = 'clusters' GROUP BY action_name, sort_array(map_keys(request_params))`,
    duck: `SELECT action_name, list_sort(map_keys(request_params)) FROM system_access_audit WHERE service_name = 'clusters' GROUP BY 1, 2`,
  },
  {
    name: 'activity of one domain',
    spark: `SELECT service_name, count(*) AS n FROM system_access_audit WHERE user_identity.email LIKE '%@example.com' GROUP BY service_name`,
    duck: `SELECT service_name, count(*) FROM system_access_audit WHERE user_identity.email LIKE '%@example.com' GROUP BY 1`,
  },
  {
    name: 'session length in seconds',
    spark: `SELECT session_id, timestampdiff(SECOND, min(event_time), max(event_time)) AS seconds FROM system_access_audit GROUP BY session_id`,
    duck: `SELECT session_id, date_sub('second', min(event_time), max(event_time)) FROM system_access_audit GROUP BY 1`,
  },
  {
    name: 'events per hour (date_trunc)',
    spark: `SELECT date_trunc('HOUR', event_time) AS hour, count(*) AS n FROM system_access_audit GROUP BY 1`,
    duck: `SELECT date_trunc('hour', event_time), count(*) FROM system_access_audit GROUP BY 1`,
  },
  {
    name: 'off-hours secret and export activity',
    spark: `SELECT user_identity.email, action_name, count(*) AS n FROM system_access_audit
      WHERE service_name IN ('secrets', 'workspace') AND (hour(event_time) < 7 OR hour(event_time) > 20) GROUP BY 1, 2`,
    duck: `SELECT user_identity.email, action_name, count(*) FROM system_access_audit
      WHERE service_name IN ('secrets', 'workspace') AND (hour(event_time) < 7 OR hour(event_time) > 20) GROUP BY 1, 2`,
  },
  {
    name: 'how often each request parameter appears (LATERAL VIEW explode of map_keys)',
    spark: `SELECT param, count(*) AS n FROM system_access_audit LATERAL VIEW explode(map_keys(request_params)) keys AS param GROUP BY param`,
    duck: `SELECT k, count(*) FROM (SELECT unnest(map_keys(request_params)) AS k FROM system_access_audit) GROUP BY 1`,
  },
  {
    name: 'request parameters as key and value (explode of a map)',
    spark: `SELECT k, v, count(*) AS n FROM system_access_audit LATERAL VIEW explode(request_params) p AS k, v WHERE service_name = 'secrets' GROUP BY k, v`,
    duck: `SELECT e.key, e.value, count(*) FROM (SELECT unnest(map_entries(request_params)) AS e FROM system_access_audit WHERE service_name = 'secrets') GROUP BY 1, 2`,
  },
  {
    name: 'actions beyond login per user (array_except)',
    spark: `SELECT user_identity.email, sort_array(array_except(collect_set(action_name), array('login', 'tokenLogin', 'samlLogin'))) AS other_actions
      FROM system_access_audit WHERE service_name = 'accounts' AND user_identity.email IS NOT NULL GROUP BY user_identity.email`,
    duck: `SELECT user_identity.email, list_sort(list_filter(list(DISTINCT action_name), x -> x NOT IN ('login', 'tokenLogin', 'samlLogin')))
      FROM system_access_audit WHERE service_name = 'accounts' AND user_identity.email IS NOT NULL GROUP BY 1`,
  },
  {
    name: 'client names from the user agent (element_at of split)',
    spark: `SELECT element_at(split(user_agent, '/'), 1) AS client, count(*) AS n FROM system_access_audit GROUP BY 1`,
    duck: `SELECT string_split(user_agent, '/')[1], count(*) FROM system_access_audit GROUP BY 1`,
  },
  {
    name: 'events of the last hour before each day ends (timestamp minus INTERVAL)',
    spark: `SELECT event_date, count(*) AS late FROM system_access_audit WHERE event_time >= date_add(event_date, 1) - INTERVAL 1 HOUR GROUP BY event_date`,
    duck: `SELECT event_date, count(*) FROM system_access_audit WHERE event_time >= (event_date + 1)::TIMESTAMP - INTERVAL 1 HOUR GROUP BY 1`,
  },
  {
    name: 'denied requests by source address',
    spark: `SELECT source_ip_address, count(*) AS denied FROM system_access_audit WHERE response.status_code IN (401, 403) GROUP BY source_ip_address`,
    duck: `SELECT source_ip_address, count(*) FROM system_access_audit WHERE response.status_code IN (401, 403) GROUP BY 1`,
  },
  {
    name: 'account-level versus workspace events',
    spark: `SELECT workspace_id, audit_level, count(*) AS n FROM system_access_audit GROUP BY workspace_id, audit_level`,
    duck: `SELECT workspace_id, audit_level, count(*) FROM system_access_audit GROUP BY 1, 2`,
  },
  {
    name: 'cluster ids created (from_json of the response result)',
    spark: `SELECT from_json(response.result, 'map<string,string>')['cluster_id'] AS cluster_id FROM system_access_audit WHERE service_name = 'clusters' AND action_name = 'create'`,
    duck: `SELECT json_extract_string(response.result, '$.cluster_id') FROM system_access_audit WHERE service_name = 'clusters' AND action_name = 'create'`,
  },
  {
    name: 'cluster ids created (the col:path operator)',
    spark: `SELECT response.result:cluster_id AS cluster_id, request_params.cluster_name FROM system_access_audit WHERE service_name = 'clusters' AND action_name = 'create'`,
    duck: `SELECT json_extract_string(response.result, '$.cluster_id'), request_params['cluster_name'] FROM system_access_audit WHERE service_name = 'clusters' AND action_name = 'create'`,
  },
  {
    name: 'service and action as one label',
    spark: `SELECT concat_ws('/', service_name, action_name) AS what, count(*) AS n FROM system_access_audit GROUP BY 1`,
    duck: `SELECT concat_ws('/', service_name, action_name), count(*) FROM system_access_audit GROUP BY 1`,
  },
  {
    name: 'latest action per user (max_by)',
    spark: `SELECT user_identity.email, max_by(action_name, event_time) AS latest, max(event_time) AS at FROM system_access_audit WHERE user_identity.email IS NOT NULL GROUP BY 1`,
    duck: `SELECT user_identity.email, arg_max(action_name, event_time), max(event_time) FROM system_access_audit WHERE user_identity.email IS NOT NULL GROUP BY 1`,
  },
  {
    name: 'median cluster size (approx_percentile of try_cast)',
    spark: `SELECT approx_percentile(try_cast(request_params.num_workers AS int), 0.5) AS median_workers FROM system_access_audit WHERE service_name = 'clusters'`,
    duck: `SELECT quantile_disc(try_cast(request_params['num_workers'] AS int), 0.5) FROM system_access_audit WHERE service_name = 'clusters'`,
  },
  {
    name: 'month names (date_format MMM)',
    spark: `SELECT date_format(event_date, 'MMM yyyy') AS month, count(*) AS n FROM system_access_audit GROUP BY 1`,
    duck: `SELECT strftime(event_date, '%b %Y'), count(*) FROM system_access_audit GROUP BY 1`,
  },
  {
    name: 'event_time falls on event_date (cast to date)',
    spark: `SELECT count(*) AS n FROM system_access_audit WHERE cast(event_time AS date) = event_date`,
    duck: `SELECT count(*) FROM system_access_audit WHERE cast(event_time AS date) = event_date`,
  },
  {
    name: 'ten-minute buckets of denied catalog reads',
    spark: `SELECT window(event_time, '10 minutes').start AS bucket, count(*) AS n FROM system_access_audit
      WHERE service_name = 'unityCatalog' AND response.status_code = 403 GROUP BY 1`,
    duck: `SELECT time_bucket(INTERVAL '10 minutes', event_time), count(*) FROM system_access_audit WHERE service_name = 'unityCatalog' AND response.status_code = 403 GROUP BY 1`,
  },
  {
    name: 'distinct user and address pairs per service',
    spark: `SELECT service_name, count(DISTINCT user_identity.email, source_ip_address) AS pairs FROM system_access_audit GROUP BY service_name`,
    duck: `SELECT service_name, count(DISTINCT CASE WHEN user_identity.email IS NOT NULL THEN (user_identity.email, source_ip_address) END) FROM system_access_audit GROUP BY 1`,
  },
  {
    name: "shortest gap between a user's events (lag over a window)",
    spark: `SELECT email, min(gap) AS shortest_gap_seconds FROM (
        SELECT user_identity.email AS email, timestampdiff(SECOND, lag(event_time) OVER (PARTITION BY user_identity.email ORDER BY event_time, request_id), event_time) AS gap
        FROM system_access_audit WHERE user_identity.email IS NOT NULL) GROUP BY email`,
    duck: `SELECT email, min(gap) FROM (
        SELECT user_identity.email AS email, date_sub('second', lag(event_time) OVER (PARTITION BY user_identity.email ORDER BY event_time, request_id), event_time) AS gap
        FROM system_access_audit WHERE user_identity.email IS NOT NULL) GROUP BY 1`,
  },
  {
    name: 'days since each user was last seen',
    spark: `SELECT user_identity.email, datediff(current_date(), max(event_date)) AS days_idle FROM system_access_audit WHERE user_identity.email IS NOT NULL GROUP BY 1`,
    duck: `SELECT user_identity.email, current_date - max(event_date) FROM system_access_audit WHERE user_identity.email IS NOT NULL GROUP BY 1`,
  },
  {
    name: 'export formats used, as an array',
    spark: `SELECT user_identity.email, sort_array(collect_set(request_params.workspaceExportFormat)) AS formats FROM system_access_audit
      WHERE action_name = 'workspaceExport' GROUP BY 1`,
    duck: `SELECT user_identity.email, list_sort(list(DISTINCT request_params['workspaceExportFormat'])) FROM system_access_audit WHERE action_name = 'workspaceExport' GROUP BY 1`,
  },
  {
    name: 'catalog, schema and table of each read (split_part)',
    spark: `SELECT split_part(request_params.full_name_arg, '.', 1) AS catalog, split_part(request_params.full_name_arg, '.', 2) AS schema_name, count(*) AS n
      FROM system_access_audit WHERE service_name = 'unityCatalog' GROUP BY 1, 2`,
    duck: `SELECT split_part(request_params['full_name_arg'], '.', 1), split_part(request_params['full_name_arg'], '.', 2), count(*) FROM system_access_audit WHERE service_name = 'unityCatalog' GROUP BY 1, 2`,
  },
  {
    name: "each user's busiest day (window over an aggregate, filtered in a subquery)",
    spark: `SELECT email, event_date, n FROM (
        SELECT user_identity.email AS email, event_date, count(*) AS n, rank() OVER (PARTITION BY user_identity.email ORDER BY count(*) DESC) AS r
        FROM system_access_audit WHERE user_identity.email IS NOT NULL GROUP BY user_identity.email, event_date) WHERE r = 1`,
    duck: `SELECT email, event_date, n FROM (
        SELECT user_identity.email AS email, event_date, count(*) AS n, rank() OVER (PARTITION BY user_identity.email ORDER BY count(*) DESC) AS r
        FROM system_access_audit WHERE user_identity.email IS NOT NULL GROUP BY 1, 2) WHERE r = 1`,
  },
  {
    name: 'events since a fixed timestamp literal',
    spark: `SELECT count(*) AS n FROM system_access_audit WHERE event_time >= TIMESTAMP'2020-01-01 00:00:00' AND event_date >= DATE'2020-01-01'`,
    duck: `SELECT count(*) FROM system_access_audit WHERE event_time >= TIMESTAMP '2020-01-01 00:00:00' AND event_date >= DATE '2020-01-01'`,
  },
  {
    name: 'jobs touched per user (explode in the SELECT list)',
    spark: `SELECT DISTINCT email, job FROM (SELECT user_identity.email AS email, explode(split(request_params.job_id, ',')) AS job FROM system_access_audit WHERE service_name = 'jobs')`,
    duck: `SELECT DISTINCT email, job FROM (SELECT user_identity.email AS email, unnest(string_split(request_params['job_id'], ',')) AS job FROM system_access_audit WHERE service_name = 'jobs')`,
  },
  {
    name: "each user's first denied request (QUALIFY over a SELECT-list window column)",
    spark: `SELECT user_identity.email AS email, action_name, event_time, row_number() OVER (PARTITION BY user_identity.email ORDER BY event_time, request_id) AS nth
      FROM system_access_audit WHERE response.status_code >= 400 QUALIFY nth = 1`,
    duck: `SELECT user_identity.email, action_name, event_time, row_number() OVER (PARTITION BY user_identity.email ORDER BY event_time, request_id) AS nth
      FROM system_access_audit WHERE response.status_code >= 400 QUALIFY nth = 1`,
  },
  {
    name: 'created cluster ids per workspace (LATERAL VIEW json_tuple)',
    spark: `SELECT workspace_id, count(DISTINCT r.cluster_id) AS clusters FROM system_access_audit
      LATERAL VIEW json_tuple(response.result, 'cluster_id') r AS cluster_id WHERE service_name = 'clusters' AND action_name = 'create' GROUP BY workspace_id`,
    duck: `SELECT workspace_id, count(DISTINCT json_extract_string(response.result, '$.cluster_id')) FROM system_access_audit
      WHERE service_name = 'clusters' AND action_name = 'create' GROUP BY 1`,
  },
  {
    name: 'destructive actions (LIKE ANY)',
    spark: `SELECT service_name, action_name, count(*) AS n FROM system_access_audit WHERE action_name LIKE ANY ('%delete%', '%Delete%', 'remove%') GROUP BY 1, 2`,
    duck: `SELECT service_name, action_name, count(*) FROM system_access_audit WHERE action_name LIKE '%delete%' OR action_name LIKE '%Delete%' OR action_name LIKE 'remove%' GROUP BY 1, 2`,
  },
  {
    name: 'events in the last three days (BETWEEN date/times)',
    spark: `SELECT event_date, count(*) AS n FROM system_access_audit WHERE event_time BETWEEN current_date() - INTERVAL 3 DAYS AND current_timestamp() + INTERVAL 1 DAY GROUP BY event_date`,
    duck: `SELECT event_date, count(*) FROM system_access_audit WHERE event_time BETWEEN (current_date - 3)::TIMESTAMP AND now()::TIMESTAMP + INTERVAL 1 DAY GROUP BY 1`,
  },
];
