export { DatabricksTestServer, startDatabricksServer, type Answer, type Executor, type DatabricksServerOptions, type RecordedRequest } from './server';
export { localWarehouse, splitAuditLogsCte } from './warehouse';
export { startWarehouse, warehouseTree, WAREHOUSE_BUCKET, WAREHOUSE_ID, WAREHOUSE_TOKEN, WORKSPACES, DATES, type WarehouseFixture } from './fixture';
