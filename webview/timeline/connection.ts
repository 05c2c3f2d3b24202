/** The Timeline webview's end of its protocol: typed notifications both ways. */
import type { TimelineHostMessage, TimelineHostMethod, TimelineHostNotifications, TimelineWebviewMessage, TimelineWebviewMethod, TimelineWebviewNotifications } from '../../src/protocol/timeline';
import type { VsCodeApi } from '../rpc';

type Handler<M extends TimelineHostMethod> = (params: TimelineHostNotifications[M]) => void;

export class TimelineConnection {
  private readonly handlers: { [M in TimelineHostMethod]?: Handler<M>[] } = {};

  constructor(private readonly api: VsCodeApi, target: Window = window) {
    target.addEventListener('message', (event: MessageEvent) => this.receive(event.data));
  }

  notify<M extends TimelineWebviewMethod>(method: M, params: TimelineWebviewNotifications[M]): void {
    this.api.postMessage({ kind: 'notify', method, params } as TimelineWebviewMessage);
  }

  on<M extends TimelineHostMethod>(method: M, handler: Handler<M>): void {
    const list = (this.handlers[method] ??= []) as Handler<M>[];
    list.push(handler);
  }

  private receive(data: unknown): void {
    if (typeof data !== 'object' || data === null) return;
    const message = data as TimelineHostMessage;
    if (message.kind !== 'notify') return;
    const list = this.handlers[message.method] as Handler<typeof message.method>[] | undefined;
    for (const handler of list ?? []) handler(message.params as never);
  }
}
