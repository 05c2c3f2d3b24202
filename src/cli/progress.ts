/** Progress on stderr, only when it is a terminal: one line, rewritten in place. */
import { throttledProgress, type ProgressSink } from '../core/progress';
import type { CliIo } from './command';

export interface TerminalProgress {
  sink: ProgressSink | undefined;
  /** Clears the progress line so the next output starts clean. */
  clear(): void;
}

export function describeProgress(update: Parameters<ProgressSink>[0]): string {
  if (update.done === undefined) return update.message;
  if (update.total !== undefined && update.total > 0 && update.unit === 'bytes') {
    return `${update.message} ${Math.floor((update.done * 100) / update.total)}%`;
  }
  const total = update.total !== undefined ? `/${update.total}` : '';
  return `${update.message} ${update.done}${total}${update.unit ? ` ${update.unit}` : ''}`;
}

export function terminalProgress(io: CliIo): TerminalProgress {
  if (!io.stderrIsTty) return { sink: undefined, clear: () => undefined };
  let shown = false;
  return {
    sink: throttledProgress((update) => {
      shown = true;
      // Never wider than the terminal: a wrapped line could not be rewritten in place.
      const width = Math.max(20, ((io.stderr as { columns?: number }).columns ?? 100) - 1);
      io.stderr.write(`\r\u001b[2K${describeProgress(update).slice(0, width)}`);
    }),
    clear: () => {
      if (shown) io.stderr.write('\r\u001b[2K');
      shown = false;
    },
  };
}
