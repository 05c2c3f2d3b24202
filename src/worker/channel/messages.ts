/**
 * The wire of every worker channel: a request gets progress, chunks (each acknowledged, so the
 * thread sends the next only when the caller took the last) and exactly one reply or error.
 * A protocol names its calls with `Call`; both sides of a channel type themselves by it.
 */
import type { SerializedError } from '../../core/errors';
import type { ProgressUpdate } from '../../core/progress';

/** One request type of a protocol: what is sent, the one reply, and what streams before it. */
export interface Call<Request, Reply, Chunk = never> {
  request: Request;
  reply: Reply;
  chunk: Chunk;
}

/** A protocol: its request types by name. */
export type Calls = { [type: string]: Call<unknown, unknown, unknown> };

export type ToThread =
  | { kind: 'request'; id: number; type: string; body: unknown }
  /** Stop request `id` at its next safe point. */
  | { kind: 'cancel'; id: number }
  /** The caller took request `id`'s last chunk: the thread may send the next. */
  | { kind: 'ack'; id: number };

export type FromThread =
  | { kind: 'reply'; id: number; value: unknown }
  | { kind: 'error'; id: number; error: SerializedError }
  | { kind: 'progress'; id: number; update: ProgressUpdate }
  | { kind: 'chunk'; id: number; chunk: unknown };
