/** The requests a notebook engine is working on, by id, so the webview can cancel any of them. */
export class RunningRequests {
  private readonly running = new Map<number, AbortController>();

  /** Runs `work` with a signal that `cancel(requestId)` or `cancelAll()` aborts. */
  track<T>(requestId: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    this.running.set(requestId, controller);
    return work(controller.signal).finally(() => this.running.delete(requestId));
  }

  /** Aborts one request; false when it is not running. */
  cancel(requestId: number): boolean {
    const controller = this.running.get(requestId);
    controller?.abort();
    return controller !== undefined;
  }

  cancelAll(): void {
    for (const controller of this.running.values()) controller.abort();
    this.running.clear();
  }
}
