/** `audit-lens`: the command-line tool over the same core as the extension. */
import { version } from '../../package.json';
import { parseArgs } from './args';
import type { CliCommand, CliIo } from './command';
import { commands } from './commands';
import { AuditLensError } from '../core/errors';
import { removeStaleTempFolders, removeTempFolderOnSignals } from '../core/tempFiles';
import { EXIT_CANCELLED, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, reportError } from './report';

function overview(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return `usage: audit-lens <command> [options]

Query Databricks audit logs delivered to Google Cloud Storage (or a local copy of the bucket).

commands:
${commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Run 'audit-lens <command> --help' for a command's options.
  --version   print the version
  --help      show this help
  --debug     on an error, print its full detail and stack trace to stderr (any command)
`;
}

const DEBUG_FLAG = '--debug';

/** `--debug` anywhere before a `--` asks for errors in full; it is taken out before the command parses its arguments. */
export function takeDebugFlag(argv: readonly string[]): { argv: string[]; debug: boolean } {
  const end = argv.indexOf('--');
  const head = end < 0 ? [...argv] : argv.slice(0, end);
  const kept = head.filter((a) => a !== DEBUG_FLAG);
  return { argv: [...kept, ...(end < 0 ? [] : argv.slice(end))], debug: kept.length < head.length };
}

export async function main(commandLine: readonly string[], io: CliIo, signal: AbortSignal): Promise<number> {
  const { argv, debug } = takeDebugFlag(commandLine);
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    const topic = first === 'help' ? commands.find((c) => c.name === rest[0]) : undefined;
    // Without any command it is a usage error: the overview goes to stderr.
    (first === undefined ? io.stderr : io.stdout).write(topic ? `${topic.usage}\n` : overview());
    return first === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (first === '--version' || first === '-V') {
    io.stdout.write(`${version}\n`);
    return EXIT_OK;
  }
  const command: CliCommand | undefined = commands.find((c) => c.name === first);
  if (!command) {
    io.stderr.write(`audit-lens: unknown command '${first}'.\nRun 'audit-lens --help' for the list of commands.\n`);
    return EXIT_USAGE;
  }
  try {
    const args = parseArgs(rest, command, `Run 'audit-lens ${command.name} --help' for usage.`);
    if (args.flags.has('help')) {
      io.stdout.write(`${command.usage}\n`);
      return EXIT_OK;
    }
    return await command.run(args, io, signal);
  } catch (error) {
    return reportError(io, error, debug);
  }
}

/** Ctrl+C cancels the work in progress; a second Ctrl+C exits at once. */
function cancelOnInterrupt(controller: AbortController): void {
  process.on('SIGINT', () => {
    if (controller.signal.aborted) process.exit(EXIT_CANCELLED);
    controller.abort();
  });
}

/**
 * Node exits with 0 when nothing is left to wait for, even if the command never finished (a
 * library that drops a callback): that must never pass for success.
 */
function failIfAbandoned(io: CliIo, finished: () => boolean): void {
  process.on('beforeExit', () => {
    if (finished()) return;
    io.stderr.write('audit-lens: internal error: the command stopped before it finished, with nothing left to wait for.\n');
    process.exit(EXIT_FAILURE);
  });
}

if (require.main === module) {
  const controller = new AbortController();
  cancelOnInterrupt(controller);
  removeTempFolderOnSignals();
  const io: CliIo = { stdout: process.stdout, stderr: process.stderr, stderrIsTty: process.stderr.isTTY === true };
  const { debug } = takeDebugFlag(process.argv.slice(2));
  // A closed pipe (`audit-lens … | head`) ends output quietly; any other failure to write (a full
  // disk) is said once.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(EXIT_OK);
    process.exit(reportError(io, new AuditLensError('data', `Cannot write the output: ${error.message}`, error.stack), debug));
  });
  // What no command catches is still a message, not a stack trace.
  process.on('uncaughtException', (error) => process.exit(reportError(io, error, debug)));
  let finished = false;
  failIfAbandoned(io, () => finished);
  // Temporary data a killed run left (query snapshots hold log records) goes before anything else runs.
  removeStaleTempFolders()
    .then(() => main(process.argv.slice(2), io, controller.signal))
    .then(
    (code) => {
      finished = true;
      process.exitCode = code;
      // Let stdout drain, then leave even if a worker or socket is still winding down.
      process.stdout.write('', () => process.exit(code));
    },
    (error: unknown) => {
      finished = true;
      process.exit(reportError(io, error, debug));
    },
  );
}
