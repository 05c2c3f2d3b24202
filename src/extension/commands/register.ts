/** The one way the extension registers commands: a table from COMMANDS ids to their handlers. */
import * as vscode from 'vscode';
import type { CommandId } from './ids';

/**
 * A handler takes what VS Code passes (a tree node, a URI, an argument from another command, or
 * nothing) and checks it itself; `never[]` lets each handler declare the parameters it expects.
 */
export type CommandHandler = (...args: never[]) => unknown;

export type CommandTable = { readonly [Id in CommandId]?: CommandHandler };

/** Registers each handler under its id; the caller owns the registrations. */
export function registerCommands(table: CommandTable): vscode.Disposable[] {
  return Object.entries(table).map(([id, handler]) =>
    // VS Code passes whatever a menu, keybinding or executeCommand gives: the handler checks its arguments.
    vscode.commands.registerCommand(id, handler as (...args: unknown[]) => unknown),
  );
}
