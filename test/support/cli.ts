/** Runs the built `dist/cli.js` as a child process, the way a user does. */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliRunOptions {
  cwd?: string;
  uid?: number;
  gid?: number;
  /** Added to the environment. */
  env?: NodeJS.ProcessEnv;
  /** Called with the child once it is started (to signal it, say). */
  onSpawn?: (child: ChildProcess) => void;
}

export function assertBuilt(): void {
  assert.ok(existsSync(CLI), 'dist/cli.js is missing: run `npm run build` first');
}

export function runCli(args: readonly string[], options: CliRunOptions = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd ?? ROOT, stdio: ['ignore', 'pipe', 'pipe'], uid: options.uid, gid: options.gid, env: { ...process.env, ...options.env } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
    options.onSpawn?.(child);
  });
}

export interface JsonResult {
  columns: string[];
  rows: unknown[][];
  rowCount: number;
}

/** `audit-lens query SQL --format json` over the sources; fails the test on a non-zero exit. */
export async function queryJson(sql: string, sources: readonly string[], extra: readonly string[] = []): Promise<JsonResult & { stderr: string }> {
  const run = await runCli(['query', sql, ...sources.flatMap((s) => ['--source', s]), '--format', 'json', ...extra]);
  assert.equal(run.code, 0, `query failed: ${run.stderr}`);
  return { ...(JSON.parse(run.stdout) as JsonResult), stderr: run.stderr };
}

/** A stack trace line, which a user must never see. */
export const STACK_FRAME = /^\s+at .+(:\d+:\d+\)?|\(native\))$/m;
