/** Context keys the extension sets for `when` clauses in package.json, remembered so the host tests can read them. */
import * as vscode from 'vscode';

export { DATE_RANGE_ACTIVE, HAS_SOURCES } from './commands/ids';

export class ContextKeys {
  private readonly values = new Map<string, unknown>();

  async set(key: string, value: unknown): Promise<void> {
    this.values.set(key, value);
    await vscode.commands.executeCommand('setContext', key, value);
  }

  /** The value last set for `key` (VS Code offers no API to read a context key back). */
  get(key: string): unknown {
    return this.values.get(key);
  }
}
