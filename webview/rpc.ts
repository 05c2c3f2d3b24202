/** The webview end of the protocol: requests with replies, notifications both ways. */
import type {
  HostMessage,
  HostNotificationMethod,
  HostNotifications,
  WebviewMessage,
  WebviewNotificationMethod,
  WebviewNotifications,
  WebviewRequestMethod,
  WebviewRequests,
  WireError,
} from '../src/protocol/notebook';
import { NotificationHandlers, type NotificationHandler } from './notificationHandlers';

export interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare global {
  function acquireVsCodeApi(): VsCodeApi;
}

export class RequestError extends Error {
  constructor(readonly wire: WireError) {
    super(wire.userMessage);
  }
}

export interface PendingRequest<T> {
  id: number;
  promise: Promise<T>;
}

export class HostConnection {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: RequestError) => void }>();
  private readonly handlers = new NotificationHandlers<HostNotifications>();

  constructor(private readonly api: VsCodeApi, target: Window = window) {
    target.addEventListener('message', (event: MessageEvent) => this.receive(event.data));
  }

  request<M extends WebviewRequestMethod>(method: M, params: WebviewRequests[M]['params']): PendingRequest<WebviewRequests[M]['result']> {
    const id = this.nextId++;
    const promise = new Promise<WebviewRequests[M]['result']>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
    });
    this.post({ kind: 'request', id, method, params } as WebviewMessage);
    return { id, promise };
  }

  notify<M extends WebviewNotificationMethod>(method: M, params: WebviewNotifications[M]): void {
    this.post({ kind: 'notify', method, params } as WebviewMessage);
  }

  cancel(requestId: number): void {
    this.notify('cancel', { requestId });
  }

  on<M extends HostNotificationMethod>(method: M, handler: NotificationHandler<HostNotifications[M]>): void {
    this.handlers.on(method, handler);
  }

  private post(message: WebviewMessage): void {
    this.api.postMessage(message);
  }

  private receive(data: unknown): void {
    if (typeof data !== 'object' || data === null) return;
    const message = data as HostMessage;
    if (message.kind === 'reply') {
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.ok) waiter.resolve(message.result);
      else waiter.reject(new RequestError(message.error));
    } else if (message.kind === 'notify') {
      this.handlers.dispatch(message.method, message.params as never);
    }
  }
}
