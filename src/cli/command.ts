/** The contract between the CLI's entry point and each command module. */
import type { Writable } from 'node:stream';

export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  /** True when stderr is a terminal: only then does a command print progress. */
  stderrIsTty: boolean;
}

/** Parsed command line: positional arguments and options (repeatable options collect every value). */
export interface CliArgs {
  positionals: string[];
  options: Map<string, string[]>;
  flags: Set<string>;
}

export interface CliCommand {
  name: string;
  /** One line for the overall help. */
  summary: string;
  /** Full usage text for `audit-lens <name> --help`. */
  usage: string;
  /** Options that take a value (`--from X`), and boolean flags (`--json`). */
  valueOptions: readonly string[];
  flagOptions: readonly string[];
  /** Exit code: 0 success, 1 query or data error, 2 usage error. */
  run(args: CliArgs, io: CliIo, signal: AbortSignal): Promise<number>;
}
