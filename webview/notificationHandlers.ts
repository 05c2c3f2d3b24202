/** The handlers of a webview's incoming notifications, by method: registered with `on`, called by `dispatch`. */
export type NotificationHandler<P> = (params: P) => void;

export class NotificationHandlers<Map extends object> {
  private readonly handlers: { [M in keyof Map]?: NotificationHandler<Map[M]>[] } = {};

  on<M extends keyof Map>(method: M, handler: NotificationHandler<Map[M]>): void {
    const list = (this.handlers[method] ??= []) as NotificationHandler<Map[M]>[];
    list.push(handler);
  }

  dispatch<M extends keyof Map>(method: M, params: Map[M]): void {
    for (const handler of this.handlers[method] ?? []) handler(params);
  }
}
