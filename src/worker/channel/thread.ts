/**
 * The thread side of a worker channel: serves a protocol's handlers, each request with its own
 * cancel signal, progress and acknowledged chunks. Requests run concurrently; a protocol that
 * needs one at a time gets that from its client.
 */
import { parentPort } from 'node:worker_threads';
import { AuditLensError } from '../../core/errors';
import type { ProgressUpdate } from '../../core/progress';
import type { Call, Calls, FromThread, ToThread } from './messages';

export interface RequestContext<Chunk> {
  signal: AbortSignal;
  progress(update: ProgressUpdate): void;
  /**
   * Sends a chunk; resolves when the caller took it (or the request was cancelled). Buffers in
   * `transfer` move to the caller instead of being copied (they are unusable here after).
   */
  chunk(chunk: Chunk, transfer?: readonly ArrayBuffer[]): Promise<void>;
}

export type Handler<C extends Call<unknown, unknown, unknown>> = (body: C['request'], context: RequestContext<C['chunk']>) => Promise<C['reply']>;

export type Handlers<P extends Calls> = { [K in keyof P]: Handler<P[K]> };

/** Answers the channel's requests with `handlers` for as long as the thread runs. */
export function serve<P extends Calls>(handlers: Handlers<P>, entryName: string): void {
  if (!parentPort) throw new Error(`${entryName} runs only as a worker thread`);
  const port = parentPort;
  const cancels = new Map<number, AbortController>();
  const acks = new Map<number, (() => void)[]>();
  const send = (message: FromThread, transfer?: readonly ArrayBuffer[]): void => port.postMessage(message, transfer);
  const releaseAcks = (id: number): void => {
    for (const resolve of acks.get(id) ?? []) resolve();
    acks.delete(id);
  };

  port.on('message', (message: ToThread) => {
    switch (message.kind) {
      case 'ack': {
        const waiting = acks.get(message.id);
        waiting?.shift()?.();
        return;
      }
      case 'cancel':
        cancels.get(message.id)?.abort();
        releaseAcks(message.id);
        return;
      case 'request': {
        const { id, type, body } = message;
        const controller = new AbortController();
        cancels.set(id, controller);
        const context: RequestContext<unknown> = {
          signal: controller.signal,
          progress: (update) => send({ kind: 'progress', id, update }),
          chunk: (chunk, transfer) =>
            new Promise<void>((resolve) => {
              if (controller.signal.aborted) return resolve();
              const waiting = acks.get(id) ?? [];
              waiting.push(resolve);
              acks.set(id, waiting);
              send({ kind: 'chunk', id, chunk }, transfer);
            }),
        };
        // The protocol types each handler; on the wire a request names its handler by string.
        const handler = Object.hasOwn(handlers, type) ? (handlers[type] as unknown as Handler<Call<unknown, unknown, unknown>>) : undefined;
        const run = handler
          ? Promise.resolve().then(() => handler(body, context))
          : Promise.reject(new AuditLensError('internal', `${entryName} has no request type "${type}".`));
        run
          .then(
            (value) => send({ kind: 'reply', id, value }),
            (error: unknown) => send({ kind: 'error', id, error: AuditLensError.from(error).toJSON() }),
          )
          .finally(() => {
            cancels.delete(id);
            releaseAcks(id);
          });
        return;
      }
    }
  });
}
