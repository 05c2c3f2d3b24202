/**
 * Runs coverage passes in a worker thread, so reading every file never runs on the caller's
 * thread (the extension host's). The thread starts on first use; a cancelled pass is asked to stop
 * and its thread is replaced if it does not within the grace period; a lost thread is started
 * again on the next request.
 */
import * as path from 'node:path';
import type { CoverageRequest } from '../../core/coverage';
import type { WorkOptions } from '../../core/progress';
import { WorkerChannel } from '../channel/client';
import { COVERAGE_WORKER_FILE } from '../entries';
import type { CoverageProtocol, CoverageRun } from './protocol';

export type { CoverageFileHours, CoverageRun } from './protocol';

export interface CoverageClientOptions {
  /** The bundled thread; defaults to the coverage worker bundle next to this (bundled) file. */
  workerPath?: string;
  /** How long a cancelled pass may take to stop before the thread is replaced; default 1 s. */
  cancelGraceMs?: number;
}

export class CoverageClient {
  private readonly channel: WorkerChannel<CoverageProtocol>;

  constructor(options: CoverageClientOptions = {}) {
    this.channel = new WorkerChannel<CoverageProtocol>({
      workerPath: options.workerPath ?? path.join(__dirname, COVERAGE_WORKER_FILE),
      name: 'coverage worker',
      cancelGraceMs: options.cancelGraceMs,
      policy: { restart: 'on-next-request' },
    });
  }

  /** The running thread's id (tests use it to see a thread replaced); undefined when none runs. */
  get workerThreadId(): number | undefined {
    return this.channel.threadId;
  }

  /** Measures as core `measureCoverage` does; the request must be plain data (it is posted to the thread). */
  measure(request: CoverageRequest, options: WorkOptions = {}): Promise<CoverageRun> {
    return this.channel.request('measure', request, options);
  }

  dispose(): Promise<void> {
    return this.channel.dispose();
  }
}
