/** Progress on stderr, only when it is a terminal: one line, rewritten in place. */
import type { ProgressSink } from '../core/progress';
import type { CliIo } from './command';

export interface TerminalProgress {
  sink: ProgressSink | undefined;
  /** Clears the progress line so the next output starts clean. */
  clear(): void;
}

function describe(update: Parameters<ProgressSink>[0]): string {
  if (update.done === undefined) return update.message;
  const total = update.total !== undefined ? `/${update.total}` : '';
  return `${update.message} ${update.done}${total}${update.unit && update.unit !== 'bytes' ? ` ${update.unit}` : ''}`;
}

export function terminalProgress(io: CliIo): TerminalProgress {
  if (!io.stderrIsTty) return { sink: undefined, clear: () => undefined };
  let shown = false;
  let last = 0;
  return {
    sink: (update) => {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      shown = true;
      io.stderr.write(`\r\u001b[2K${describe(update).slice(0, 200)}`);
    },
    clear: () => {
      if (shown) io.stderr.write('\r\u001b[2K');
      shown = false;
    },
  };
}
