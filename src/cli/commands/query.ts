/** `audit-lens query "<SQL>"`: runs Spark-style SQL over `audit_logs` and prints the result. */
import { lastValue, usageError } from '../args';
import { AS_OF_OPTION, AS_OF_USAGE, asOfAfterLoad, asOfLine, type AsOfAnswer } from '../asOf';
import type { CliArgs, CliCommand, CliIo } from '../command';
import { ROW_BUDGET_USAGE, rowBudget, withLoadedSession } from '../load';
import { renderTable } from '../format/table';
import { EXPORT_FORMAT, parseFormat, write } from '../output';
import { NO_PUSHDOWN_FLAG, PUSHDOWN_USAGE, pushdownFor } from '../pushdown';
import { parseQuery } from '../../core/sql/query';
import { EXIT_OK } from '../report';
import { positiveInteger, CACHE_FLAGS, CACHE_USAGE, EVIDENCE_FLAGS, EVIDENCE_USAGE, SOURCE_USAGE, SOURCE_VALUE_OPTIONS, sourceSelection } from '../sourceOptions';
import { ENGINE_FLAG_OPTIONS, ENGINE_USAGE, ENGINE_VALUE_OPTIONS, engineChoice, offerWarehouseOnBudget, printFromWarehouse } from '../warehouseEngine';

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
${EVIDENCE_USAGE}
${CACHE_USAGE}
  --format table|json|csv print an aligned table (default), one JSON object
                          {"columns":[...],"rows":[[...]],"rowCount":N}, or CSV with a header
  --max-rows N            rows to print (default ${DEFAULT_TABLE_ROWS} for table, ${DEFAULT_EXPORT_ROWS} for json/csv)
${AS_OF_USAGE}
                          (json names it in "asOf", table and csv on stderr)
${ROW_BUDGET_USAGE}
${PUSHDOWN_USAGE}
${ENGINE_USAGE}
  -h, --help              show this help

example:
  audit-lens query 'SELECT actionName, COUNT(*) FROM audit_logs WHERE serviceName = "clusters" GROUP BY 1' --source samples/bucket
  audit-lens query 'SELECT count(*) FROM audit_logs WHERE timestamp >= unix_millis(current_timestamp() - INTERVAL 24 HOURS)' --source samples/bucket --as-of 2026-11-30T14:00:00Z
  audit-lens query 'SELECT …' --engine databricks --source gs://bucket/prefix --profile prod --warehouse 1234567890abcdef`,
  valueOptions: [...SOURCE_VALUE_OPTIONS, 'format', 'max-rows', 'row-budget', AS_OF_OPTION, ...ENGINE_VALUE_OPTIONS],
  flagOptions: [NO_PUSHDOWN_FLAG, ...EVIDENCE_FLAGS, ...CACHE_FLAGS, ...ENGINE_FLAG_OPTIONS],
  async run(args: CliArgs, io: CliIo, signal: AbortSignal): Promise<number> {
    if (args.positionals.length === 0) throw usageError('Missing the SQL to run.', HINT);
    if (args.positionals.length > 1) throw usageError(`Expected one SQL argument, got ${args.positionals.length} (quote the SQL).`, HINT);
    const sql = args.positionals[0]!;
    if (sql.trim() === '') throw usageError('The SQL is empty.', HINT);
    const format = parseFormat(lastValue(args, 'format'), HINT);
    const maxRows = positiveInteger(args, 'max-rows', format === 'table' ? DEFAULT_TABLE_ROWS : DEFAULT_EXPORT_ROWS, HINT);
    const selection = sourceSelection(args, HINT);
    const resolveAsOf = asOfAfterLoad(args, selection, HINT);
    const answerAsOf = (loadedFiles: readonly string[]): AsOfAnswer | undefined => {
      const answer = resolveAsOf(loadedFiles);
      if (answer && format !== 'json') io.stderr.write(asOfLine(answer));
      return answer;
    };
    if (engineChoice(args, HINT) === 'databricks') {
      const asOf = answerAsOf([])?.at;
      await printFromWarehouse(sql, args, selection, io, signal, { format, maxRows, hint: HINT, ...(asOf === undefined ? {} : { asOf }) });
      return EXIT_OK;
    }
    // Lexed once here: the pushdown reads it, and the query thread runs it from the same tokens.
    const query = parseQuery(sql);
    const pushdown = pushdownFor(args, [query]);
    await withLoadedSession(selection, io, signal, async (session, summary) => {
      const asOf = answerAsOf(summary.loadedFiles)?.at;
      if (format === 'table') return write(io.stdout, renderTable(await session.query(query, { maxRows, signal, asOf })));
      // Streamed from the worker chunk by chunk, so memory stays flat whatever the row count.
      const { rowCount, totalRows = rowCount } = await session.exportQuery(query, EXPORT_FORMAT[format], (chunk) => write(io.stdout, chunk), { maxRows, signal, asOf });
      if (rowCount < totalRows) io.stderr.write(`warning: printed the first ${rowCount} of ${totalRows} rows; raise --max-rows to get more\n`);
    }, pushdown, rowBudget(args, HINT)).catch((error: unknown) => {
      throw offerWarehouseOnBudget(error);
    });
    return EXIT_OK;
  },
};
