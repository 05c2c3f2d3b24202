/** Running cells on a Databricks SQL warehouse through the SQL Statement Execution API 2.0. */
export type { StatementParameter, StatementResponse, StatementState, ColumnInfo, ResultData, ExternalLink } from './api';
export { resolveDatabricksAuth, normalizeHost, assertSecureHost, isLoopbackHost, parseDatabricksConfig, type DatabricksAuth, type AuthRequest } from './auth';
export { WarehouseClient, type WarehouseClientOptions, type StatementResult } from './client';
export { WarehouseEngine, DEFAULT_WAREHOUSE_DISPLAY_ROWS, type WarehouseQueryOptions } from './engine';
export { warehouseStatement, auditLogsQuery, type WarehouseScope, type WarehouseStatement } from './statement';
