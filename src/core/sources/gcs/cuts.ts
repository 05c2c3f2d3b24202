/**
 * Sees a download's connection close before its Content-Length. The storage client reads a body
 * through node-fetch 2, which pipes the HTTP response into a stream of its own and never passes
 * on that response's early end: its stream just waits, for good. Node publishes every HTTP
 * response it receives on a diagnostics channel; a download tagged with a request header of its
 * own is found there, and its response is watched for closing incomplete.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';

/** The request header carrying a download's tag (servers ignore headers they do not know). */
export const DOWNLOAD_TAG_HEADER = 'x-audit-lens-download';

const RESPONSE_CHANNEL = 'http.client.response.finish';

type OnCut = () => void;

const watchers = new Map<string, OnCut>();
let lastTag = 0;

function onResponse(message: unknown): void {
  const { request, response } = message as { request?: ClientRequest; response?: IncomingMessage };
  if (!request || !response) return;
  const header = request.getHeader(DOWNLOAD_TAG_HEADER);
  const tag = Array.isArray(header) ? header[0] : header === undefined ? undefined : String(header);
  if (tag === undefined || !watchers.has(tag)) return;
  response.once('close', () => {
    if (!response.complete) watchers.get(tag)?.();
  });
}

export interface CutWatch {
  /** The value to send in DOWNLOAD_TAG_HEADER on each request of the download. */
  readonly tag: string;
  /** Stops watching: a close after this is the reader's own doing. */
  stop(): void;
}

/** Calls `onCut` when a response to a request tagged with the returned tag closes incomplete. */
export function watchForCut(onCut: OnCut): CutWatch {
  const tag = String(++lastTag);
  if (watchers.size === 0) subscribe(RESPONSE_CHANNEL, onResponse);
  watchers.set(tag, onCut);
  return {
    tag,
    stop: () => {
      if (watchers.delete(tag) && watchers.size === 0) unsubscribe(RESPONSE_CHANNEL, onResponse);
    },
  };
}

/** Thrown into a download's stream when its connection closed before the whole body came. */
export class ConnectionCut extends Error {
  constructor() {
    super('the connection closed before the whole body came');
    this.name = 'ConnectionCut';
  }
}
