/**
 * A panel's run of its work (a coverage pass, a timeline): one at a time, a new one cancels the last,
 * and only the latest may say how it goes — loading with progress, then cancelled or failed (with
 * the failure logged), or whatever the work itself shows when it is done.
 */
import { throttledProgress, type ProgressSink } from '../../core/progress';
import type { WireError } from '../../protocol/notebook';
import { toWireError } from './wireError';

export type RunStatus =
  | { state: 'loading'; message: string; done?: number; total?: number }
  | { state: 'cancelled' }
  | { state: 'error'; error: WireError };

export interface RunContext {
  signal: AbortSignal;
  /** Progress shown as the loading status while this run is the latest. */
  onProgress: ProgressSink;
  /** Whether this run is still the one to show (none started since, and the panel is open). */
  isLatest(): boolean;
}

export class LatestRun {
  private runs = 0;
  private running: AbortController | undefined;

  constructor(
    private readonly options: {
      /** Names the panel in the log. */
      name: string;
      status: (status: RunStatus) => void;
      logError: (message: string) => void;
      isDisposed: () => boolean;
    },
  ) {}

  cancel(): void {
    this.running?.abort();
  }

  /** Cancels the run still going, shows `loading`, then runs `work` and shows how it failed if it did. */
  async start(loading: string, work: (context: RunContext) => Promise<void>): Promise<void> {
    this.running?.abort();
    const controller = new AbortController();
    this.running = controller;
    const run = ++this.runs;
    const isLatest = () => run === this.runs && !this.options.isDisposed();
    this.options.status({ state: 'loading', message: loading });
    try {
      const onProgress = throttledProgress((update) => {
        if (run === this.runs) this.options.status({ state: 'loading', message: update.message, ...(update.done !== undefined ? { done: update.done } : {}), ...(update.total !== undefined ? { total: update.total } : {}) });
      });
      await work({ signal: controller.signal, onProgress, isLatest });
    } catch (error) {
      if (!isLatest()) return;
      const wire = toWireError(error);
      if (wire.code === 'cancelled' || controller.signal.aborted) {
        this.options.status({ state: 'cancelled' });
        return;
      }
      this.options.logError(`${this.options.name}: ${wire.userMessage}${wire.detail ? `\n${wire.detail}` : ''}`);
      this.options.status({ state: 'error', error: wire });
    } finally {
      if (this.running === controller) this.running = undefined;
    }
  }
}
