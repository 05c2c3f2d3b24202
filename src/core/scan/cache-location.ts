/**
 * Where the scan cache lives: one folder per user, shared by the editor's tree and the CLI, so a
 * file scanned by either is not read again by the other. `AUDIT_LENS_SCAN_CACHE` moves it, and
 * the record cache inside it.
 */
import { homedir } from 'node:os';
import * as path from 'node:path';

export const SCAN_CACHE_ENV = 'AUDIT_LENS_SCAN_CACHE';

/** The platform's per-user cache folder (XDG on Linux, Caches on macOS, LocalAppData on Windows) + `audit-lens/scan-cache`. */
export function defaultScanCacheDirectory(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  const chosen = env[SCAN_CACHE_ENV];
  if (chosen) return path.resolve(chosen);
  const join = platform === 'win32' ? path.win32.join : path.posix.join;
  if (platform === 'win32') return join(env.LOCALAPPDATA || join(home, 'AppData', 'Local'), 'audit-lens', 'Cache', 'scan-cache');
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'audit-lens', 'scan-cache');
  return join(env.XDG_CACHE_HOME || join(home, '.cache'), 'audit-lens', 'scan-cache');
}

/** The record cache (loaded records per file version), inside the scan cache's folder. */
export function defaultRecordCacheDirectory(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  return path.join(defaultScanCacheDirectory(env, platform, home), 'records');
}
