/** `audit-lens query "<SQL>"`: runs Spark-style SQL over `audit_logs` and prints the result. */
import { lastValue, usageError } from '../args';
import type { CliArgs, CliCommand, CliIo } from '../command';
import { ROW_BUDGET_USAGE, rowBudget, withLoadedSession } from '../load';
import { renderTable } from '../format/table';
import { EXPORT_FORMAT, parseFormat, write } from '../output';
import { NO_PUSHDOWN_FLAG, PUSHDOWN_USAGE, pushdownFor } from '../pushdown';
import { EXIT_OK } from '../report';
import { positiveInteger, SOURCE_USAGE, SOURCE_VALUE_OPTIONS, sourceSelection } from '../sourceOptions';
import { ENGINE_USAGE, ENGINE_VALUE_OPTIONS, engineChoice, offerWarehouseOnBudget, printFromWarehouse } from '../warehouseEngine';

const HINT = "Run 'audit-lens query --help' for usage.";
const DEFAULT_TABLE_ROWS = 200;
const DEFAULT_EXPORT_ROWS = 1_000_000;

export const queryCommand: CliCommand = {
  name: 'query',
  summary: 'Run Spark-style SQL over the audit_logs table of one or more sources',
  usage: `usage: audit-lens query "<SQL>" --source <folder|gs://bucket/prefix> [options]

Loads the selected files into the table audit_logs and runs the SQL. Spark style works as
Databricks writes it: nested paths (userIdentity.email, requestParams.spark_version),
"double-quoted" strings, \`backtick\` identifiers, case-sensitive LIKE. Plain SQLite works too.

options:
${SOURCE_USAGE}
  --format table|json|csv print an aligned table (default), one JSON object
                          {"columns":[...],"rows":[[...]],"rowCount":N}, or CSV with a header
  --max-rows N            rows to print (default ${DEFAULT_TABLE_ROWS} for table, ${DEFAULT_EXPORT_ROWS} for json/csv)
${ROW_BUDGET_USAGE}
${PUSHDOWN_USAGE}
${ENGINE_USAGE}
  -h, --help              show this help

example:
  audit-lens query 'SELECT actionName, COUNT(*) FROM audit_logs WHERE serviceName = "clusters" GROUP BY 1' --source samples/bucket
  audit-lens query 'SELECT …' --engine databricks --source gs://bucket/prefix --profile prod --warehouse 1234567890abcdef`,
  valueOptions: [...SOURCE_VALUE_OPTIONS, 'format', 'max-rows', 'row-budget', ...ENGINE_VALUE_OPTIONS],
  flagOptions: [NO_PUSHDOWN_FLAG],
  async run(args: CliArgs, io: CliIo, signal: AbortSignal): Promise<number> {
    if (args.positionals.length === 0) throw usageError('Missing the SQL to run.', HINT);
    if (args.positionals.length > 1) throw usageError(`Expected one SQL argument, got ${args.positionals.length} (quote the SQL).`, HINT);
    const sql = args.positionals[0]!;
    if (sql.trim() === '') throw usageError('The SQL is empty.', HINT);
    const format = parseFormat(lastValue(args, 'format'), HINT);
    const maxRows = positiveInteger(args, 'max-rows', format === 'table' ? DEFAULT_TABLE_ROWS : DEFAULT_EXPORT_ROWS, HINT);
    const selection = sourceSelection(args, HINT);
    if (engineChoice(args, HINT) === 'databricks') {
      await printFromWarehouse(sql, args, selection, io, signal, { format, maxRows, hint: HINT });
      return EXIT_OK;
    }
    const pushdown = pushdownFor(args, [sql]);
    await withLoadedSession(selection, io, signal, async (session) => {
      if (format === 'table') return write(io.stdout, renderTable(await session.query(sql, { maxRows, signal })));
      // Streamed from the worker chunk by chunk, so memory stays flat whatever the row count.
      const { rowCount, totalRows = rowCount } = await session.exportQuery(sql, EXPORT_FORMAT[format], (chunk) => write(io.stdout, chunk), { maxRows, signal });
      if (rowCount < totalRows) io.stderr.write(`warning: printed the first ${rowCount} of ${totalRows} rows; raise --max-rows to get more\n`);
    }, pushdown, rowBudget(args, HINT)).catch((error: unknown) => {
      throw offerWarehouseOnBudget(error);
    });
    return EXIT_OK;
  },
};
