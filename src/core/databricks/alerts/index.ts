/** Detections exported as Databricks SQL queries and alerts, in the request shapes of their REST APIs. */
export { exportAlerts, findingsQuery, FINDINGS_COLUMN, type AlertExportOptions, type AlertScope, type ExportedDetection } from './export';
export { alertExportIndex, checkExportFolder, deployScript, writeAlertExport, type AlertExportIndex } from './write';
export { ALERTS_API, QUERIES_API, QUERY_ID_PLACEHOLDER, type CreateAlertRequest, type CreateQueryRequest, type AlertApiCondition, type AlertApiOperator, type AlertApiValue } from './requests';
