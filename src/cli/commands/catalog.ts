/** `audit-lens catalog`: every documented service, action and requestParams key. */
import { catalogJson, type CatalogJson } from '../../core/catalog';
import { usageError } from '../args';
import type { CliArgs, CliCommand, CliIo } from '../command';
import { write } from '../output';
import { EXIT_OK } from '../report';

const HINT = "Run 'audit-lens catalog --help' for usage.";

function renderText(catalog: CatalogJson): string {
  const lines: string[] = [];
  for (const service of catalog.services) {
    const level = service.level === 'ACCOUNT_LEVEL' ? 'account level' : 'workspace level';
    lines.push(`${service.name} (${level}): ${service.description}`);
    const width = Math.max(...service.actions.map((a) => a.name.length));
    for (const action of service.actions) {
      const params = action.params.length > 0 ? action.params.join(', ') : '(no parameters)';
      lines.push(`  ${action.name.padEnd(width)}  ${params}`);
    }
    lines.push('');
  }
  const actions = catalog.services.reduce((n, s) => n + s.actions.length, 0);
  lines.push(`${catalog.services.length} services, ${actions} actions`);
  return lines.join('\n') + '\n';
}

export const catalogCommand: CliCommand = {
  name: 'catalog',
  summary: 'Print every documented service, action and requestParams key',
  usage: `usage: audit-lens catalog [--json]

Prints the services of Databricks audit logs (workspace level and account level), their actions
and the documented requestParams keys of each action.

options:
  --json       print {"services":[{"name","level","description","actions":[{"name","description","params":[…]}]}]}
  -h, --help   show this help`,
  valueOptions: [],
  flagOptions: ['json'],
  async run(args: CliArgs, io: CliIo): Promise<number> {
    if (args.positionals.length > 0) throw usageError(`Unexpected argument '${args.positionals[0]}'.`, HINT);
    const catalog = catalogJson();
    await write(io.stdout, args.flags.has('json') ? JSON.stringify(catalog) + '\n' : renderText(catalog));
    return EXIT_OK;
  },
};
