/**
 * `audit-lens detect --export databricks-alerts --out DIR`: writes each chosen detection as a
 * Databricks SQL query and an alert on it, in the request shapes of the Queries and Alerts APIs,
 * with the warehouse engine's mapping of `audit_logs` (the gs:// delivery path, or a table).
 */
import type { Detection } from '../../core/analyses';
import { auditLogsQuery } from '../../core/databricks';
import { checkExportFolder, exportAlerts, writeAlertExport, type AlertScope } from '../../core/databricks/alerts';
import { AuditLensError } from '../../core/errors';
import { allValues, lastValue, usageError } from '../args';
import type { CliArgs, CliIo } from '../command';
import { EXIT_OK } from '../report';

const EXPORT_OPTION = 'export';
const OUT_OPTION = 'out';
const AUDIT_TABLE_OPTION = 'audit-table';
const WAREHOUSE_OPTION = 'warehouse';
const EXPORT_FORMATS = ['databricks-alerts'] as const;

export const EXPORT_VALUE_OPTIONS = [EXPORT_OPTION, OUT_OPTION, AUDIT_TABLE_OPTION, WAREHOUSE_OPTION] as const;

export const EXPORT_SYNOPSIS = '       audit-lens detect --export databricks-alerts --out DIR [--source gs://… | --audit-table T] [--warehouse ID] [--pack PATH]… [--only ID,…]';

export const EXPORT_USAGE = `  --export databricks-alerts
                          instead of reading logs, write each detection as a Databricks SQL
                          query and an alert on it (request bodies of the Queries and Alerts
                          APIs) into --out, with index.json and deploy.sh; audit_logs reads
                          the --source gs:// path with read_files, or --audit-table
  --out DIR               the folder to write the export in (created if need be)
  --audit-table CATALOG.SCHEMA.TABLE
                          a table holding the audit logs, for audit_logs (with --export)
  --warehouse ID          the SQL warehouse the exported queries run on (with --export)`;

/** Options and flags that mean reading logs now, which an export does not do. */
const NOT_FOR_EXPORT = ['from', 'to', 'workspace', 'as-of', 'format', 'fail-on', 'max-rows', 'row-budget', 'gcs-endpoint', 'gcs-timeout'];
const FLAGS_NOT_FOR_EXPORT = ['test', 'no-pushdown', 'allow-partial', 'allow-empty', 'dedupe'];

/** Whether the command line asks for an export; an export option without --export is a usage error. */
export function wantsExport(args: CliArgs, hint: string): boolean {
  if (args.options.has(EXPORT_OPTION)) return true;
  const stray = [OUT_OPTION, AUDIT_TABLE_OPTION, WAREHOUSE_OPTION].find((name) => args.options.has(name));
  if (stray) throw usageError(`--${stray} is an option of --export databricks-alerts.`, hint);
  return false;
}

function exportScope(args: CliArgs, hint: string): AlertScope {
  const sources = allValues(args, 'source');
  const auditTable = lastValue(args, AUDIT_TABLE_OPTION);
  if (auditTable !== undefined) {
    if (sources.length > 0) throw usageError('Give --source or --audit-table, not both: audit_logs reads one of them.', hint);
    try {
      auditLogsQuery({ sources: [], auditTable });
    } catch {
      throw usageError(`--audit-table '${auditTable}' is not a table name (catalog.schema.table).`, hint);
    }
    return { sources: [], auditTable: auditTable.trim() };
  }
  const local = sources.find((s) => !/^gs:\/\//i.test(s.trim()));
  if (local !== undefined) {
    throw usageError(`--source '${local}' is not a gs:// URI: on the warehouse, audit_logs reads the bucket the logs are delivered to (or give --audit-table catalog.schema.table).`, hint);
  }
  return { sources };
}

export async function runExport(args: CliArgs, io: CliIo, list: readonly Detection[], hint: string): Promise<number> {
  const format = lastValue(args, EXPORT_OPTION);
  if (!(EXPORT_FORMATS as readonly string[]).includes(format ?? '')) throw usageError(`--export '${format}' is not one of ${EXPORT_FORMATS.join(', ')}.`, hint);
  const stray = NOT_FOR_EXPORT.find((name) => args.options.has(name)) ?? FLAGS_NOT_FOR_EXPORT.find((name) => args.flags.has(name));
  if (stray) throw usageError(`--export writes queries and alerts that read the logs as they arrive, on the warehouse: it takes no --${stray}.`, hint);
  const out = lastValue(args, OUT_OPTION);
  if (out === undefined || out.trim() === '') throw usageError('--export needs --out DIR, the folder to write the queries and alerts in.', hint);
  const warehouseId = lastValue(args, WAREHOUSE_OPTION)?.trim();
  if (warehouseId === '') throw usageError('--warehouse needs a SQL warehouse id.', hint);
  const scope = exportScope(args, hint);
  let exported;
  try {
    checkExportFolder(out);
  } catch (error) {
    throw new AuditLensError('usage', AuditLensError.from(error).userMessage, hint, { cause: error });
  }
  try {
    exported = exportAlerts(list, { scope, ...(warehouseId ? { warehouseId } : {}) });
  } catch (error) {
    const e = AuditLensError.from(error);
    if (e.code === 'usage' && !e.detail) throw new AuditLensError('usage', e.userMessage, 'Add --source gs://bucket/prefix or --audit-table catalog.schema.table.', { cause: error });
    throw error;
  }
  const files = writeAlertExport(out, exported, scope, warehouseId);
  io.stdout.write(`Wrote ${exported.length} ${exported.length === 1 ? 'query' : 'queries'} and ${exported.length === 1 ? 'its alert' : 'their alerts'} to ${out} (${files.length} files; see index.json, deploy with deploy.sh).\n`);
  if (!warehouseId) io.stderr.write('warning: no --warehouse: the queries name no SQL warehouse; deploy.sh takes it from DATABRICKS_WAREHOUSE_ID\n');
  return EXIT_OK;
}
