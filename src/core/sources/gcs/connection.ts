/**
 * The HTTP response behind each download. The storage client reads a body through node-fetch 2,
 * which pipes the response into a stream of its own and hides it: an early end of the connection
 * is never passed on (the stream just waits, for good), and a reader that stops early leaves the
 * connection open (the client then tears down the connection pool every download shares). Node
 * publishes every HTTP response it receives on a diagnostics channel; a download tagged with a
 * request header of its own is found there, watched for closing incomplete, and closed by its
 * reader when done.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';

/** The request header carrying a download's tag (servers ignore headers they do not know). */
export const DOWNLOAD_TAG_HEADER = 'x-audit-lens-download';

const RESPONSE_CHANNEL = 'http.client.response.finish';

interface Watched {
  onCut: () => void;
  responses: IncomingMessage[];
}

const downloads = new Map<string, Watched>();
let lastTag = 0;

function onResponse(message: unknown): void {
  const { request, response } = message as { request?: ClientRequest; response?: IncomingMessage };
  if (!request || !response) return;
  const header = request.getHeader(DOWNLOAD_TAG_HEADER);
  const tag = Array.isArray(header) ? header[0] : header === undefined ? undefined : String(header);
  const watched = tag === undefined ? undefined : downloads.get(tag);
  if (!watched) return;
  watched.responses.push(response);
  response.once('close', () => {
    if (!response.complete && downloads.get(tag ?? '') === watched) watched.onCut();
  });
}

export interface DownloadConnection {
  /** The value to send in DOWNLOAD_TAG_HEADER on each request of the download. */
  readonly tag: string;
  /** Stops watching, and closes the connection of a response not read to its end. */
  close(): void;
}

/** Calls `onCut` when a response to a request tagged with the returned tag closes incomplete. */
export function watchDownload(onCut: () => void): DownloadConnection {
  const tag = String(++lastTag);
  if (downloads.size === 0) subscribe(RESPONSE_CHANNEL, onResponse);
  const watched: Watched = { onCut, responses: [] };
  downloads.set(tag, watched);
  return {
    tag,
    close: () => {
      if (downloads.get(tag) !== watched) return;
      downloads.delete(tag);
      if (downloads.size === 0) unsubscribe(RESPONSE_CHANNEL, onResponse);
      for (const response of watched.responses) if (!response.complete) response.destroy();
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
