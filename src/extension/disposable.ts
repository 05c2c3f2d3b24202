/**
 * The one lifecycle base of the extension's long-lived objects: `register` what they own as they
 * make it, and `dispose` releases it all once, newest first (so nothing outlives what it uses).
 * One failing release does not keep the others from running.
 */
import type * as vscode from 'vscode';

export abstract class DisposableBase implements vscode.Disposable {
  private readonly owned: vscode.Disposable[] = [];
  private disposedAlready = false;

  /** Whether dispose() has run. */
  protected get isDisposed(): boolean {
    return this.disposedAlready;
  }

  /** Takes ownership of `item`; after dispose() it is released at once. */
  protected register<T extends vscode.Disposable>(item: T): T {
    if (this.disposedAlready) item.dispose();
    else this.owned.push(item);
    return item;
  }

  dispose(): void {
    if (this.disposedAlready) return;
    this.disposedAlready = true;
    const failures: unknown[] = [];
    while (this.owned.length > 0) {
      try {
        this.owned.pop()!.dispose();
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) throw new AggregateError(failures, `${failures.length} disposables failed to dispose`);
  }
}
