/**
 * The message shapes every webview protocol shares, and their typed dispatch. No VS Code: a
 * panel's logic is tested without a host.
 */

/** A notification: a method and its params, one member per method of `Map`. */
export type Notification<Map> = { [M in keyof Map]: { kind: 'notify'; method: M; params: Map[M] } }[keyof Map];

/** One handler per notification method, each typed by its params. */
export type NotificationHandlers<Map> = { [M in keyof Map]: (params: Map[M]) => void | Promise<void> };

/** A protocol's validation of what a webview sent. */
export type MessageParser<In> = (raw: unknown) => { ok: true; value: In } | { ok: false; reason: string };

/** Hands a notification to the handler of its method. */
export function dispatchNotification<Map>(handlers: NotificationHandlers<Map>, message: Notification<Map>): void | Promise<void> {
  const handler = handlers[message.method] as (params: Map[keyof Map]) => void | Promise<void>;
  return handler(message.params);
}

/** Whether a validated message is the page's first word: it booted and waits for its state. */
export function isReady(message: { kind: string; method: unknown }): boolean {
  return message.kind === 'notify' && message.method === 'ready';
}

/** Where a panel's logic writes what it ignored. */
export interface MessageLog {
  warn(message: string): void;
}

/**
 * Validates what a webview sent and hands on only known messages; the rest is logged, kept in
 * `rejected` (tests and the log read it) and dropped. Notes when the page said it is ready.
 */
export class MessageGate<In extends { kind: string; method: unknown }> {
  readonly rejected: string[] = [];
  /** Whether the page has booted and asked for its state (it said `ready`). */
  ready = false;

  constructor(
    private readonly name: string,
    private readonly parse: MessageParser<In>,
    private readonly log: MessageLog,
  ) {}

  /** The validated message, or undefined when it was rejected. */
  accept(raw: unknown): In | undefined {
    const parsed = this.parse(raw);
    if (!parsed.ok) {
      this.rejected.push(parsed.reason);
      this.log.warn(`${this.name}: ignored a message from the webview: ${parsed.reason}`);
      return undefined;
    }
    if (isReady(parsed.value)) this.ready = true;
    return parsed.value;
  }
}

/** A page that only sends notifications: validated, then handed to the handler of its method. */
export class NotificationReceiver<Map> {
  private readonly gate: MessageGate<Notification<Map>>;

  constructor(name: string, parse: MessageParser<Notification<Map>>, log: MessageLog, private readonly handlers: NotificationHandlers<Map>) {
    this.gate = new MessageGate(name, parse, log);
  }

  get rejected(): string[] {
    return this.gate.rejected;
  }

  get ready(): boolean {
    return this.gate.ready;
  }

  async receive(raw: unknown): Promise<void> {
    const message = this.gate.accept(raw);
    if (message !== undefined) await dispatchNotification(this.handlers, message);
  }
}
