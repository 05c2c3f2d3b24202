/** Turns an error into a message on stderr and an exit code: 2 usage, 130 cancelled, 1 anything else. */
import { AuditLensError } from '../core/errors';
import type { CliIo } from './command';
import { escapeForTerminal } from './format/terminal';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
export const EXIT_CANCELLED = 130;

/** Keeps a message's own line breaks; escapes every other control character. */
function escapeLines(text: string): string {
  return text.split('\n').map(escapeForTerminal).join('\n');
}

export function reportError(io: CliIo, value: unknown): number {
  const error = AuditLensError.from(value);
  if (error.code === 'usage') {
    io.stderr.write(`audit-lens: ${escapeForTerminal(error.userMessage)}\n${error.detail ? `${escapeLines(error.detail)}\n` : ''}`);
    return EXIT_USAGE;
  }
  if (error.code === 'cancelled') {
    io.stderr.write('audit-lens: cancelled\n');
    return EXIT_CANCELLED;
  }
  // Messages quote file names and values from logs: shown escaped, never obeyed by the terminal.
  io.stderr.write(`audit-lens: ${escapeForTerminal(error.userMessage)}\n`);
  // A SQL error's detail is the statement's line with a caret under the position.
  if (error.code === 'sql' && error.detail) io.stderr.write(`${error.detail}\n`);
  else if (error.code === 'internal' && error.detail) io.stderr.write(`${escapeLines(error.detail)}\n`);
  return EXIT_FAILURE;
}
