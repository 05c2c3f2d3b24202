/** Turns an error into a message on stderr and an exit code: 2 usage, 130 cancelled, 1 anything else. */
import { AuditLensError } from '../core/errors';
import type { CliIo } from './command';
import { escapeControls } from '../core/controlChars';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
/** `detect` found rows at or above its --fail-on severity. */
export const EXIT_FINDINGS = 3;
export const EXIT_CANCELLED = 130;

/** Keeps a message's own line breaks; escapes every other control character. */
function escapeLines(text: string): string {
  return text.split('\n').map(escapeControls).join('\n');
}

/**
 * Writes the error for the user: its message, a SQL error's caret line, a usage hint. No stack
 * trace unless `debug` (`--debug`), which adds the error's whole detail.
 */
export function reportError(io: CliIo, value: unknown, debug = false): number {
  const error = AuditLensError.from(value);
  const code = exitCodeOf(error);
  writeError(io, error);
  if (debug) io.stderr.write(debugDetail(value, error));
  else if (error.code === 'internal') io.stderr.write('(an internal error: run again with --debug for the details, and report it)\n');
  return code;
}

function exitCodeOf(error: AuditLensError): number {
  if (error.code === 'usage') return EXIT_USAGE;
  if (error.code === 'cancelled') return EXIT_CANCELLED;
  return EXIT_FAILURE;
}

function debugDetail(value: unknown, error: AuditLensError): string {
  const parts = [`debug: code ${error.code}`];
  if (error.detail && error.code !== 'usage' && error.code !== 'sql') parts.push(escapeLines(error.detail));
  const stack = value instanceof Error ? value.stack : undefined;
  if (stack && stack !== error.detail) parts.push(escapeLines(stack));
  return `${parts.join('\n')}\n`;
}

function writeError(io: CliIo, error: AuditLensError): void {
  if (error.code === 'usage') {
    io.stderr.write(`audit-lens: ${escapeControls(error.userMessage)}\n${error.detail ? `${escapeLines(error.detail)}\n` : ''}`);
    return;
  }
  if (error.code === 'cancelled') {
    io.stderr.write('audit-lens: cancelled\n');
    return;
  }
  // Messages quote file names and values from logs: shown escaped, never obeyed by the terminal.
  io.stderr.write(`audit-lens: ${escapeControls(error.userMessage)}\n`);
  // A SQL error's detail is the statement's line with a caret under the position.
  if (error.code === 'sql' && error.detail) io.stderr.write(`${error.detail}\n`);
}
