/**
 * The process's private folder for temporary data (query snapshots hold whole audit logs, which
 * are sensitive): `<os temp>/audit-lens-<pid>-XXXXXX`, mode 0700, made on first use. It is
 * removed when the process exits (normally, by an uncaught error, or by a signal the program
 * handles through `removeTempFolderOnSignals`). A folder left by a process that died without a
 * word (SIGKILL, power loss) is removed by the next Audit Lens process: every one (the CLI, the
 * extension) calls `removeStaleTempFolders` when it starts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const PREFIX = 'audit-lens-';
const FOLDER = /^audit-lens-(\d+)-[A-Za-z0-9]{6}$/;

let folder: string | undefined;

/** The private folder of this process, made on first use. */
export function privateTempFolder(): string {
  if (folder !== undefined) return folder;
  const root = tmpdir();
  folder = mkdtempSync(path.join(root, `${PREFIX}${process.pid}-`));
  process.once('exit', removeTempFolder);
  return folder;
}

/** Removes this process's folder now (it is made again if needed). */
export function removeTempFolder(): void {
  const current = folder;
  folder = undefined;
  if (current !== undefined) rmSync(current, { recursive: true, force: true, maxRetries: 3 });
}

/**
 * On SIGTERM, SIGHUP (and SIGINT unless the program handles it), removes the folder, then lets
 * the signal end the process as it would have. For programs, not for a host that owns the process.
 */
export function removeTempFolderOnSignals(signals: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGHUP']): void {
  for (const signal of signals) {
    const onSignal = (): void => {
      removeTempFolder();
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

/** Removes the folders of processes of this user that no longer run; resolves to what it removed (never rejects). */
export async function removeStaleTempFolders(root = tmpdir()): Promise<string[]> {
  const removed: string[] = [];
  let names: string[];
  try {
    names = await readdir(root);
  } catch {
    return removed;
  }
  const uid = process.getuid?.();
  for (const name of names) {
    const match = FOLDER.exec(name);
    if (!match) continue;
    const pid = Number(match[1]);
    if (pid === process.pid || isRunning(pid)) continue;
    const full = path.join(root, name);
    try {
      const info = await stat(full);
      if (!info.isDirectory() || (uid !== undefined && info.uid !== uid)) continue;
      await rm(full, { recursive: true, force: true });
      removed.push(full);
    } catch {
      // Gone already, or not ours to remove.
    }
  }
  return removed;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
