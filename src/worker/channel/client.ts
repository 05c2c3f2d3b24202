/**
 * The caller's side of a worker channel: starts the thread on first use, sends typed requests,
 * routes progress and chunks, and cancels. A cancelled request is asked to stop; if it does not
 * within its grace period (0: at once) its thread is replaced. What happens after a thread is
 * lost (crash or replacement) is the restart policy the protocol's client passes in.
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { AuditLensError, cancelled, type SerializedError } from '../../core/errors';
import type { ProgressSink, WorkOptions } from '../../core/progress';
import type { Calls, FromThread, ToThread } from './messages';
import { workerExecArgv } from './execArgv';

export interface RestartPolicy<P extends Calls> {
  /** Runs on every new thread before any request is sent to it (e.g. restore a snapshot). */
  initialize?: (request: <T extends keyof P & string>(type: T, body: P[T]['request']) => Promise<P[T]['reply']>) => Promise<void>;
  /** How long `initialize` may take before the start fails. */
  startTimeoutMs?: number;
  /**
   * After a working thread is lost: start the next one at once in the background (so the next
   * request does not wait for `initialize`), or only when the next request comes.
   */
  restart: 'at-once' | 'on-next-request';
}

export interface ChannelOptions<P extends Calls> {
  /** The thread's bundle file. */
  workerPath: string;
  /** How errors name the thread, e.g. "query worker". */
  name: string;
  policy: RestartPolicy<P>;
  /** How long a cancelled request may take to stop on its own; default 1 s. */
  cancelGraceMs?: number;
  /** Turns a serialized error back into the error the protocol throws. */
  reviveError?: (error: SerializedError) => AuditLensError;
}

export interface CallOptions<Chunk> extends WorkOptions {
  /** Takes the request's chunks in order; the next is sent when this settles. */
  onChunk?: (chunk: Chunk) => void | Promise<void>;
  /** Overrides the channel's cancel grace for this request; 0 replaces the thread at once. */
  cancelGraceMs?: number;
}

interface Thread {
  worker: Worker;
  /** Settles when `initialize` has run on it. */
  ready: Promise<void>;
  initialized: boolean;
}

interface Pending {
  thread: Thread;
  resolve(value: unknown): void;
  reject(error: AuditLensError): void;
  onProgress?: ProgressSink;
  onChunk?: (chunk: unknown) => void | Promise<void>;
  /** Undoes the abort listener and any cancel timer. */
  cleanup(): void;
}

const DEFAULT_CANCEL_GRACE_MS = 1000;
const DEFAULT_START_TIMEOUT_MS = 60_000;

export class WorkerChannel<P extends Calls> {
  private thread: Thread | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private disposed = false;
  private readonly workerPath: string;

  constructor(private readonly options: ChannelOptions<P>) {
    this.workerPath = path.resolve(options.workerPath);
  }

  /** The running thread's id (tests use it to see a thread replaced); undefined when none runs. */
  get threadId(): number | undefined {
    return this.thread?.worker.threadId;
  }

  /** Starts the thread now rather than on the first request; fails as its start fails. */
  async open(): Promise<void> {
    await this.readyThread();
  }

  /** Sends a request; on a thread that is already up it is posted before this returns. */
  request<T extends keyof P & string>(type: T, body: P[T]['request'], options: CallOptions<P[T]['chunk']> = {}): Promise<P[T]['reply']> {
    if (this.disposed) return Promise.reject(this.closed());
    if (options.signal?.aborted) return Promise.reject(cancelled());
    let thread = this.thread;
    let startedHere = false;
    if (!thread) {
      try {
        thread = this.start();
        startedHere = true;
      } catch (error) {
        return Promise.reject(AuditLensError.from(error));
      }
    }
    if (thread.initialized) return this.send(thread, type, body, options);
    // A start made for this request reports its own failure; one made earlier (a restart in the
    // background) that failed is tried once more.
    const started = startedHere ? thread.ready.then(() => thread) : this.readyThread();
    return started.then((ready) => {
      if (this.disposed) throw this.closed();
      if (options.signal?.aborted) throw cancelled();
      return this.send(ready, type, body, options);
    });
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const thread = this.thread;
    this.thread = undefined;
    this.failWhere(() => true, this.closed());
    if (thread) await thread.worker.terminate();
  }

  private closed(): AuditLensError {
    return new AuditLensError('cancelled', `The ${this.options.name} was closed.`);
  }

  /** The current thread once initialized; a thread whose start failed is dropped and started again. */
  private async readyThread(): Promise<Thread> {
    let thread = this.thread;
    if (thread) {
      try {
        await thread.ready;
      } catch {
        if (this.thread === thread) this.thread = undefined;
        thread = undefined;
      }
    }
    if (!thread) {
      thread = this.start();
      await thread.ready;
    }
    if (this.disposed) throw this.closed();
    return thread;
  }

  private start(): Thread {
    let worker: Worker;
    try {
      const execArgv = workerExecArgv(process.execArgv);
      worker = new Worker(this.workerPath, execArgv ? { execArgv } : {});
    } catch (error) {
      throw new AuditLensError('internal', `Could not start the ${this.options.name} ${this.workerPath}.`, String(error), { cause: error });
    }
    const thread: Thread = { worker, ready: Promise.resolve(), initialized: !this.options.policy.initialize };
    this.thread = thread;
    worker.unref();
    worker.on('message', (message: FromThread) => this.receive(message));
    worker.on('error', (error) => this.lost(thread, new AuditLensError('internal', `The ${this.options.name} failed: ${error.message}`, error.stack)));
    worker.on('exit', (code) => this.lost(thread, new AuditLensError('internal', `The ${this.options.name} stopped unexpectedly (exit code ${code}).`)));
    thread.ready = this.initialize(thread);
    thread.ready.catch(() => undefined); // the request that waits for it reports why
    return thread;
  }

  private async initialize(thread: Thread): Promise<void> {
    const { initialize, startTimeoutMs = DEFAULT_START_TIMEOUT_MS } = this.options.policy;
    if (initialize && !thread.initialized) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new AuditLensError('internal', `The ${this.options.name} did not start within ${startTimeoutMs / 1000} s.`)),
          startTimeoutMs,
        );
      });
      try {
        await Promise.race([initialize((type, body) => this.send(thread, type, body, {})), timeout]);
      } catch (error) {
        if (this.thread === thread) this.thread = undefined;
        this.failWhere((entry) => entry.thread === thread, AuditLensError.from(error));
        await thread.worker.terminate();
        throw error;
      } finally {
        clearTimeout(timer);
      }
    }
    thread.initialized = true;
  }

  private send<T extends keyof P & string>(thread: Thread, type: T, body: P[T]['request'], options: CallOptions<P[T]['chunk']>): Promise<P[T]['reply']> {
    const { signal } = options;
    const id = this.nextId++;
    return new Promise<P[T]['reply']>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const onAbort = (): void => {
        if (!this.pending.has(id)) return;
        const grace = options.cancelGraceMs ?? this.options.cancelGraceMs ?? DEFAULT_CANCEL_GRACE_MS;
        if (grace <= 0) return this.forceStop(id);
        this.post(thread, { kind: 'cancel', id });
        timer = setTimeout(() => this.forceStop(id), grace);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        thread,
        resolve: resolve as (value: unknown) => void,
        reject,
        onProgress: options.onProgress,
        onChunk: options.onChunk as ((chunk: unknown) => void | Promise<void>) | undefined,
        cleanup: () => {
          signal?.removeEventListener('abort', onAbort);
          clearTimeout(timer);
        },
      });
      thread.worker.ref();
      try {
        thread.worker.postMessage({ kind: 'request', id, type, body } satisfies ToThread);
      } catch (error) {
        this.settle(id);
        reject(new AuditLensError('internal', `Could not send the request to the ${this.options.name}.`, String(error), { cause: error }));
      }
    });
  }

  private post(thread: Thread, message: ToThread): void {
    if (this.thread === thread) thread.worker.postMessage(message);
  }

  /** A thread died: its requests fail with `error`, and the policy says when the next one starts. */
  private lost(thread: Thread, error: AuditLensError): void {
    const current = this.thread === thread;
    if (current) this.thread = undefined;
    this.failWhere((entry) => entry.thread === thread, error);
    if (current && thread.initialized) this.restartPerPolicy();
  }

  /** A cancelled request did not stop in time: it is cancelled, and its thread replaced. */
  private forceStop(id: number): void {
    const entry = this.settle(id);
    if (!entry) return;
    const { thread } = entry;
    const current = this.thread === thread;
    if (current) this.thread = undefined;
    this.failWhere(
      (other) => other.thread === thread,
      new AuditLensError('internal', `The ${this.options.name} was restarted because a cancelled request did not stop; run this again.`),
    );
    void thread.worker.terminate();
    if (current) this.restartPerPolicy();
    entry.reject(cancelled());
  }

  private restartPerPolicy(): void {
    if (this.disposed || this.options.policy.restart !== 'at-once' || this.thread) return;
    try {
      this.start();
    } catch {
      // The next request starts a thread again and reports why.
    }
  }

  private receive(message: FromThread): void {
    const entry = this.pending.get(message.id);
    if (!entry) return;
    switch (message.kind) {
      case 'progress':
        entry.onProgress?.(message.update);
        return;
      case 'chunk': {
        const ack = (): void => {
          if (this.pending.has(message.id)) this.post(entry.thread, { kind: 'ack', id: message.id });
        };
        Promise.resolve()
          .then(() => entry.onChunk?.(message.chunk))
          .then(ack, (error: unknown) => {
            if (!this.settle(message.id)) return;
            entry.reject(AuditLensError.from(error, 'data'));
            this.post(entry.thread, { kind: 'cancel', id: message.id });
          });
        return;
      }
      case 'reply':
        this.settle(message.id);
        entry.resolve(message.value);
        return;
      case 'error':
        this.settle(message.id);
        entry.reject((this.options.reviveError ?? AuditLensError.from)(message.error));
        return;
    }
  }

  /** Removes a request from the pending ones; an idle thread does not keep the process alive. */
  private settle(id: number): Pending | undefined {
    const entry = this.pending.get(id);
    if (!entry) return undefined;
    this.pending.delete(id);
    entry.cleanup();
    if (![...this.pending.values()].some((other) => other.thread === entry.thread)) entry.thread.worker.unref();
    return entry;
  }

  private failWhere(matches: (entry: Pending) => boolean, error: AuditLensError): void {
    for (const [id, entry] of [...this.pending]) {
      if (!matches(entry)) continue;
      this.settle(id);
      entry.reject(error);
    }
  }
}
