/** A small delivery tree holding answers to the seed's three questions, and a warehouse serving it. */
import { aRecord, jsonLines, writeTreeToFolder, type DeliveredFile } from '../support/sources';
import { localWarehouse } from './warehouse';
import { startDatabricksServer, type DatabricksServerOptions, type DatabricksTestServer } from './server';

export const WAREHOUSE_BUCKET = 'gs://audit-delivery/audit-logs';
export const WAREHOUSE_ID = 'abc123def456';
export const WAREHOUSE_TOKEN = 'dapi-test-token-0001';
export const WORKSPACES = ['1234567890123456', '7777777777777777'] as const;
export const DATES = ['2024-03-01', '2024-03-02', '2024-03-03'] as const;

function recordsFor(workspaceId: string, date: string, n: number): object[] {
  const base = Date.parse(`${date}T08:00:00Z`);
  return [
    aRecord({ workspaceId, timestamp: base, serviceName: 'accounts', actionName: 'login', userIdentity: { email: `user${n}@example.com` }, sourceIPAddress: `10.1.0.${n}` }),
    aRecord({ workspaceId, timestamp: base + 1000, serviceName: 'accounts', actionName: 'tokenLogin', userIdentity: { email: `user${n}@example.com` }, sourceIPAddress: `10.1.0.${n}` }),
    aRecord({ workspaceId, timestamp: base + 2000, serviceName: 'clusters', actionName: 'create', requestParams: { cluster_name: `c${n}`, spark_version: n % 2 === 0 ? '13.3.x-scala2.12' : '14.3.x-scala2.12' } }),
    aRecord({ workspaceId, timestamp: base + 3000, serviceName: 'clusters', actionName: 'delete', requestParams: { cluster_id: `c${n}` } }),
    aRecord({ workspaceId, timestamp: base + 4000, serviceName: 'sqlPermissions', actionName: 'requestPermissions', requestParams: { requests: `[{"objectId":"/table/t${n}"}]` } }),
  ];
}

/** Two workspaces × three dates, five records a file. */
export function warehouseTree(): DeliveredFile[] {
  let n = 0;
  return WORKSPACES.flatMap((workspaceId) =>
    DATES.map((date) => ({ workspaceId, date, internalId: `${workspaceId}-${date}`, text: jsonLines(recordsFor(workspaceId, date, ++n)) })),
  );
}

export interface WarehouseFixture {
  server: DatabricksTestServer;
  /** The local copy the test warehouse reads for WAREHOUSE_BUCKET (also a local source). */
  folder: string;
  statements: string[];
}

export async function startWarehouse(options: Partial<DatabricksServerOptions> = {}): Promise<WarehouseFixture> {
  const folder = await writeTreeToFolder(warehouseTree());
  const executor = localWarehouse({ [WAREHOUSE_BUCKET]: folder });
  const server = await startDatabricksServer({ token: WAREHOUSE_TOKEN, warehouses: [WAREHOUSE_ID], rowsPerChunk: 2, executor, ...options });
  return { server, folder, statements: executor.statements };
}
