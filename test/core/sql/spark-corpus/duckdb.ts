/**
 * The second engine: DuckDB reads the same delivered files (JSON Lines under workspaceId=/date=
 * folders, typed as Spark reads them: requestParams a map<string,string>, the date partition a
 * DATE) and answers each query's hand translation.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import * as path from 'node:path';
import { AuditDatabase } from '../../../../src/core/sql/database';
import { loadIntoDatabase } from '../../../../src/core/sql/loader';

const COLUMNS = `{
  version: 'VARCHAR', timestamp: 'BIGINT', sourceIPAddress: 'VARCHAR', userAgent: 'VARCHAR', sessionId: 'VARCHAR',
  userIdentity: 'STRUCT(email VARCHAR)', serviceName: 'VARCHAR', actionName: 'VARCHAR', requestId: 'VARCHAR',
  requestParams: 'MAP(VARCHAR, VARCHAR)', response: 'STRUCT(statusCode INTEGER, errorMessage VARCHAR, result VARCHAR)',
  auditLevel: 'VARCHAR', accountId: 'VARCHAR'
}`;

export async function openDuckDb(root: string): Promise<{ connection: DuckDBConnection; close(): void }> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const files = path.join(root, '**', '*.json').replace(/'/g, "''");
  await connection.run("SET TimeZone = 'UTC'");
  await connection.run(`
    CREATE VIEW audit_logs AS
    SELECT * FROM read_json('${files}', format = 'newline_delimited', hive_partitioning = true,
      hive_types = {'workspaceId': VARCHAR, 'date': DATE}, columns = ${COLUMNS})`);
  await connection.run(`
    CREATE VIEW system_access_audit AS
    SELECT accountId AS account_id, workspaceId AS workspace_id, version, epoch_ms(timestamp) AS event_time, date AS event_date,
      sourceIPAddress AS source_ip_address, userAgent AS user_agent, sessionId AS session_id,
      {'email': userIdentity.email, 'subject_name': NULL::VARCHAR} AS user_identity,
      serviceName AS service_name, actionName AS action_name, requestId AS request_id, requestParams AS request_params,
      {'status_code': response.statusCode, 'error_message': response.errorMessage, 'result': response.result} AS response,
      auditLevel AS audit_level, requestId AS event_id
    FROM audit_logs`);
  return {
    connection,
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** The rows of a query, as JSON-ready values. */
export async function duckRows(connection: DuckDBConnection, sql: string): Promise<unknown[][]> {
  const reader = await connection.runAndReadAll(sql);
  return reader.getRowsJson() as unknown[][];
}

/** Both engines over one delivered tree: this engine's table loaded whole, and DuckDB reading the same files. */
export interface TwoEngines {
  database: AuditDatabase;
  duck: DuckDBConnection;
  close(): void;
}

export async function openBothEngines(root: string): Promise<TwoEngines> {
  const database = await AuditDatabase.open();
  await loadIntoDatabase(database, { sources: [root] }, { maxRows: 100_000 });
  const duck = await openDuckDb(root);
  return {
    database,
    duck: duck.connection,
    close: () => {
      database.close();
      duck.close();
    },
  };
}
