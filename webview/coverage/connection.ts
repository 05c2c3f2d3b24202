/** The Coverage webview's end of its protocol: typed notifications both ways. */
import type { CoverageHostMessage, CoverageHostMethod, CoverageHostNotifications, CoverageWebviewMessage, CoverageWebviewMethod, CoverageWebviewNotifications } from '../../src/protocol/coverage';
import { NotificationHandlers, type NotificationHandler } from '../notificationHandlers';
import type { VsCodeApi } from '../rpc';

export class CoverageConnection {
  private readonly handlers = new NotificationHandlers<CoverageHostNotifications>();

  constructor(private readonly api: VsCodeApi, target: Window = window) {
    target.addEventListener('message', (event: MessageEvent) => this.receive(event.data));
  }

  notify<M extends CoverageWebviewMethod>(method: M, params: CoverageWebviewNotifications[M]): void {
    this.api.postMessage({ kind: 'notify', method, params } as CoverageWebviewMessage);
  }

  on<M extends CoverageHostMethod>(method: M, handler: NotificationHandler<CoverageHostNotifications[M]>): void {
    this.handlers.on(method, handler);
  }

  private receive(data: unknown): void {
    if (typeof data !== 'object' || data === null) return;
    const message = data as CoverageHostMessage;
    if (message.kind !== 'notify') return;
    this.handlers.dispatch(message.method, message.params as never);
  }
}
