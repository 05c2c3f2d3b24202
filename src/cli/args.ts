/** A small argument parser for one command: `--name value`, `--name=value`, flags, `--` and positionals. */
import { AuditLensError } from '../core/errors';
import type { CliArgs } from './command';

export interface OptionSpec {
  valueOptions: readonly string[];
  flagOptions: readonly string[];
}

export function usageError(message: string, hint: string): AuditLensError {
  return new AuditLensError('usage', message, hint);
}

/** Whether an argument is spelled like an option (`--name` or `--name=value`), not SQL such as `-- comment …`. */
function looksLikeOption(token: string): boolean {
  return /^--[A-Za-z][A-Za-z0-9-]*(?:=|$)/.test(token);
}

/**
 * Parses the arguments after the command name. An argument that starts with `--` but is not
 * spelled like an option (SQL opening with a `-- comment` line) is a positional. Option names are given without dashes.
 * `-h` is `--help`. Throws a usage error for an unknown option or a missing value.
 */
export function parseArgs(argv: readonly string[], spec: OptionSpec, hint: string): CliArgs {
  const args: CliArgs = { positionals: [], options: new Map(), flags: new Set() };
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') {
      args.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (token === '-h') {
      args.flags.add('help');
      continue;
    }
    if (!looksLikeOption(token)) {
      if (token.startsWith('-') && !token.startsWith('--') && token.length > 1 && !/^-[\d\s]/.test(token)) {
        throw usageError(`Unknown option '${token}'.`, hint);
      }
      args.positionals.push(token);
      continue;
    }
    const eq = token.indexOf('=');
    const name = token.slice(2, eq < 0 ? undefined : eq);
    const inline = eq < 0 ? undefined : token.slice(eq + 1);
    if (name === 'help' || spec.flagOptions.includes(name)) {
      if (inline !== undefined) throw usageError(`Option '--${name}' takes no value.`, hint);
      args.flags.add(name);
      continue;
    }
    if (!spec.valueOptions.includes(name)) throw usageError(`Unknown option '--${name}'.`, hint);
    let value = inline;
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || looksLikeOption(next)) throw usageError(`Option '--${name}' needs a value.`, hint);
      value = next;
      i++;
    }
    const values = args.options.get(name) ?? [];
    values.push(value);
    args.options.set(name, values);
  }
  return args;
}

/** The last value given for an option (later ones win), or undefined. */
export function lastValue(args: CliArgs, name: string): string | undefined {
  const values = args.options.get(name);
  return values?.[values.length - 1];
}

export function allValues(args: CliArgs, name: string): string[] {
  return args.options.get(name) ?? [];
}
