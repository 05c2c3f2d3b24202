/**
 * `--engine databricks`: the query runs on a Databricks SQL warehouse, which reads the delivered
 * files itself; the CLI only sends the statement and prints the rows it gets back.
 */
import { version } from '../../package.json';
import { resolveDatabricksAuth, WarehouseClient, WarehouseEngine } from '../core/databricks';
import { AuditLensError } from '../core/errors';
import { lastValue, usageError } from './args';
import type { CliArgs, CliIo } from './command';
import { renderTable } from './format/table';
import { EXPORT_FORMAT, write, type OutputFormat } from './output';
import { terminalProgress } from './progress';
import type { SourceSelection } from './sourceOptions';

export const ENGINE_VALUE_OPTIONS = ['engine', 'host', 'profile', 'warehouse'] as const;
export const ALLOW_INSECURE_HTTP_FLAG = 'allow-insecure-http';
export const ENGINE_FLAG_OPTIONS = [ALLOW_INSECURE_HTTP_FLAG] as const;

export const ENGINE_USAGE = `  --engine local|databricks  where the SQL runs: this machine (default) or a Databricks SQL
                          warehouse, which reads the gs:// delivery path itself
  --warehouse ID          the SQL warehouse to run on (--engine databricks)
  --host URL              the workspace URL (default: DATABRICKS_HOST or the profile's host)
  --profile NAME          a profile of ~/.databrickscfg (default: DATABRICKS_CONFIG_PROFILE,
                          then DEFAULT); the token comes from DATABRICKS_TOKEN or the profile,
                          and a profile's token goes only to that profile's host
  --allow-insecure-http   accept a plain http:// --host other than this machine: the token is
                          then sent in clear, readable by anyone on the network path`;

export type EngineChoice = 'local' | 'databricks';

export function engineChoice(args: CliArgs, hint: string): EngineChoice {
  const engine = lastValue(args, 'engine') ?? 'local';
  if (engine !== 'local' && engine !== 'databricks') throw usageError(`--engine '${engine}' is not one of local, databricks.`, hint);
  if (engine === 'local') {
    const stray = ['host', 'profile', 'warehouse'].find((name) => lastValue(args, name) !== undefined) ?? (args.flags.has(ALLOW_INSECURE_HTTP_FLAG) ? ALLOW_INSECURE_HTTP_FLAG : undefined);
    if (stray) throw usageError(`--${stray} needs --engine databricks.`, hint);
  }
  return engine;
}

/**
 * Runs `sql` on the warehouse over the selection and prints it like the local engine: a table of
 * the first `maxRows` rows, or CSV/JSON streamed chunk by chunk from the result's external links.
 */
export async function printFromWarehouse(
  sql: string,
  args: CliArgs,
  selection: SourceSelection,
  io: CliIo,
  signal: AbortSignal,
  output: { format: OutputFormat; maxRows: number; hint: string; asOf?: number },
): Promise<void> {
  const warehouseId = lastValue(args, 'warehouse');
  if (!warehouseId) throw usageError("--engine databricks needs --warehouse <SQL warehouse id> (in the warehouse's Connection details).", output.hint);
  if (selection.gcsEndpoint) throw usageError('--gcs-endpoint has no effect on the warehouse, which reads the bucket itself.', output.hint);
  const allowInsecureHttp = args.flags.has(ALLOW_INSECURE_HTTP_FLAG);
  const auth = await resolveDatabricksAuth({ host: lastValue(args, 'host'), profile: lastValue(args, 'profile'), allowInsecureHttp, insecureHint: `pass --${ALLOW_INSECURE_HTTP_FLAG}` });
  const client = new WarehouseClient({ auth, warehouseId, allowInsecureHttp, userAgent: `audit-lens/${version}` });
  const engine = new WarehouseEngine(client, () => ({ sources: selection.sources, ...selection.filter }));
  const progress = terminalProgress(io);
  const { format, maxRows, asOf } = output;
  try {
    if (format === 'table') return await write(io.stdout, renderTable(await engine.query(sql, { maxRows, signal, onProgress: progress.sink, asOf })));
    const { rowCount, totalRows = rowCount } = await engine.exportQuery(sql, EXPORT_FORMAT[format], (chunk) => write(io.stdout, chunk), { maxRows, signal, onProgress: progress.sink, asOf });
    if (rowCount < totalRows) io.stderr.write(`warning: printed the first ${rowCount} of ${totalRows} rows; raise --max-rows to get more\n`);
  } finally {
    progress.clear();
  }
}

/** A local load past the row budget also points at the warehouse, which has no such budget. */
export function offerWarehouseOnBudget(error: unknown): unknown {
  const e = AuditLensError.from(error);
  if (e.code !== 'budget') return error;
  return new AuditLensError('budget', `${e.userMessage} Or run it on your Databricks SQL warehouse, which reads the bucket itself: add --engine databricks --warehouse ID.`, e.detail, { cause: error });
}
