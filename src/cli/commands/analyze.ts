/** `audit-lens analyze`: runs Databricks' example analyses and prints each with its question. */
import { analysesIn } from '../../core/analyses';
import { usageError } from '../args';
import { AS_OF_OPTION, AS_OF_USAGE, asOfAfterLoad, asOfLine } from '../asOf';
import type { CliArgs, CliCommand, CliIo } from '../command';
import { renderTable } from '../format/table';
import { ROW_BUDGET_USAGE, rowBudget, withLoadedSession } from '../load';
import { write } from '../output';
import { NO_PUSHDOWN_FLAG, PUSHDOWN_USAGE, pushdownFor } from '../pushdown';
import { EXIT_OK } from '../report';
import { positiveInteger, CACHE_FLAGS, CACHE_USAGE, EVIDENCE_FLAGS, EVIDENCE_USAGE, SOURCE_USAGE, SOURCE_VALUE_OPTIONS, sourceSelection } from '../sourceOptions';

const HINT = "Run 'audit-lens analyze --help' for usage.";
const DEFAULT_ROWS = 50;

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}

export const analyzeCommand: CliCommand = {
  name: 'analyze',
  summary: "Run Databricks' example analyses (logins, Spark versions, table access)",
  usage: `usage: audit-lens analyze --source <folder|gs://bucket/prefix> [options]

Runs the example analyses of Databricks' audit-log documentation, as written, and prints each
with its title, the question it answers, its SQL and its result.

options:
${SOURCE_USAGE}
${EVIDENCE_USAGE}
${CACHE_USAGE}
  --max-rows N            rows to print per analysis (default ${DEFAULT_ROWS})
${AS_OF_USAGE}
${ROW_BUDGET_USAGE}
${PUSHDOWN_USAGE}
  -h, --help              show this help`,
  valueOptions: [...SOURCE_VALUE_OPTIONS, 'max-rows', 'row-budget', AS_OF_OPTION],
  flagOptions: [NO_PUSHDOWN_FLAG, ...EVIDENCE_FLAGS, ...CACHE_FLAGS],
  async run(args: CliArgs, io: CliIo, signal: AbortSignal): Promise<number> {
    if (args.positionals.length > 0) throw usageError(`Unexpected argument '${args.positionals[0]}'.`, HINT);
    const maxRows = positiveInteger(args, 'max-rows', DEFAULT_ROWS, HINT);
    const selection = sourceSelection(args, HINT);
    const answerAsOf = asOfAfterLoad(args, selection, HINT);
    const analyses = analysesIn('example');
    const pushdown = pushdownFor(args, analyses.map((a) => a.sql));
    await withLoadedSession(selection, io, signal, async (engine, summary) => {
      const answer = answerAsOf(summary.loadedFiles);
      if (answer) io.stderr.write(asOfLine(answer));
      let first = true;
      for (const analysis of analyses) {
        const result = await engine.query(analysis.sql, { maxRows, signal, asOf: answer?.at });
        const heading = `${first ? '' : '\n'}== ${analysis.title} ==\n${analysis.question}\n\n${indent(analysis.sql)}\n\n`;
        first = false;
        await write(io.stdout, heading + renderTable(result, { maxCellWidth: 40 }));
      }
    }, pushdown, rowBudget(args, HINT));
    return EXIT_OK;
  },
};
