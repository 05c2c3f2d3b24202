/**
 * A panel webview's end of its protocol (the timeline's, the coverage's): typed notifications both
 * ways, `Host` the ones the extension sends, `Page` the ones this page sends.
 */
import { NotificationHandlers, type NotificationHandler } from './notificationHandlers';
import type { VsCodeApi } from './rpc';

export class PanelConnection<Host extends object, Page extends object> {
  private readonly handlers = new NotificationHandlers<Host>();

  constructor(private readonly api: Pick<VsCodeApi, 'postMessage'>, target: Window = window) {
    target.addEventListener('message', (event: MessageEvent) => this.receive(event.data));
  }

  notify<M extends keyof Page & string>(method: M, params: Page[M]): void {
    this.api.postMessage({ kind: 'notify', method, params });
  }

  on<M extends keyof Host & string>(method: M, handler: NotificationHandler<Host[M]>): void {
    this.handlers.on(method, handler);
  }

  private receive(data: unknown): void {
    if (typeof data !== 'object' || data === null) return;
    const message = data as { kind?: unknown; method?: unknown; params?: unknown };
    if (message.kind !== 'notify' || typeof message.method !== 'string') return;
    this.handlers.dispatch(message.method as keyof Host, message.params as Host[keyof Host]);
  }
}
