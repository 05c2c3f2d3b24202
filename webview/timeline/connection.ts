/** The Timeline webview's end of its protocol: typed notifications both ways. */
import type { TimelineHostMessage, TimelineHostMethod, TimelineHostNotifications, TimelineWebviewMessage, TimelineWebviewMethod, TimelineWebviewNotifications } from '../../src/protocol/timeline';
import { NotificationHandlers, type NotificationHandler } from '../notificationHandlers';
import type { VsCodeApi } from '../rpc';

export class TimelineConnection {
  private readonly handlers = new NotificationHandlers<TimelineHostNotifications>();

  constructor(private readonly api: VsCodeApi, target: Window = window) {
    target.addEventListener('message', (event: MessageEvent) => this.receive(event.data));
  }

  notify<M extends TimelineWebviewMethod>(method: M, params: TimelineWebviewNotifications[M]): void {
    this.api.postMessage({ kind: 'notify', method, params } as TimelineWebviewMessage);
  }

  on<M extends TimelineHostMethod>(method: M, handler: NotificationHandler<TimelineHostNotifications[M]>): void {
    this.handlers.on(method, handler);
  }

  private receive(data: unknown): void {
    if (typeof data !== 'object' || data === null) return;
    const message = data as TimelineHostMessage;
    if (message.kind !== 'notify') return;
    this.handlers.dispatch(message.method, message.params as never);
  }
}
