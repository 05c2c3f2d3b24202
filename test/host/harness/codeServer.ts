/** Starts code-server (the VS Code test host installed by scripts/install-code-server.sh) on a free port. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const CODE_SERVER_VERSION = '4.100.3';

/** Where the install script puts code-server; AUDIT_LENS_CODE_SERVER overrides it with an entry.js path. */
export function codeServerEntry(): string {
  const override = process.env.AUDIT_LENS_CODE_SERVER;
  if (override) return override;
  const cacheRoot = process.env.AUDIT_LENS_CACHE ?? path.join(os.homedir(), '.cache', 'audit-lens');
  return path.join(cacheRoot, `code-server-${CODE_SERVER_VERSION}`, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

export interface CodeServerOptions {
  /** Folder the window opens. */
  folder: string;
  /** Scratch folder for user data, extensions and XDG dirs. */
  scratch: string;
  /** VS Code user settings. */
  userSettings: Record<string, unknown>;
  /** Extra environment for the server and its extension host. */
  env?: Record<string, string>;
  /** Extensions (.vsix paths) to install before starting. */
  install?: string[];
  /** Keep VS Code's workspace trust on (off by default: the suite's folder is trusted). */
  workspaceTrust?: boolean;
}

export interface RunningCodeServer {
  url: string;
  port: number;
  log(): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function prepareDirs(options: CodeServerOptions): { userData: string; extensions: string; env: NodeJS.ProcessEnv } {
  const userData = path.join(options.scratch, 'user-data');
  const extensions = path.join(options.scratch, 'extensions');
  const xdg = path.join(options.scratch, 'xdg');
  for (const dir of [path.join(userData, 'User'), extensions, path.join(xdg, 'config'), path.join(xdg, 'data')]) {
    mkdirSync(dir, { recursive: true });
  }
  writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(options.userSettings, null, 2));
  const env = {
    ...process.env,
    XDG_CONFIG_HOME: path.join(xdg, 'config'),
    XDG_DATA_HOME: path.join(xdg, 'data'),
    ...options.env,
  };
  return { userData, extensions, env };
}

function runToEnd(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`code-server ${args.join(' ')} failed:\n${output}`))));
  });
}

async function waitForHealth(url: string, child: ChildProcess, log: () => string): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}:\n${log()}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`code-server did not answer ${url}/healthz:\n${log()}`);
}

export async function startCodeServer(options: CodeServerOptions): Promise<RunningCodeServer> {
  const entry = codeServerEntry();
  if (!existsSync(entry)) {
    throw new Error(`code-server ${CODE_SERVER_VERSION} is not installed at ${entry}; run: bash scripts/install-code-server.sh`);
  }
  const { userData, extensions, env } = prepareDirs(options);
  const common = ['--user-data-dir', userData, '--extensions-dir', extensions];
  for (const vsix of options.install ?? []) {
    await runToEnd([entry, ...common, '--install-extension', vsix, '--force'], env);
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    process.execPath,
    [
      entry,
      '--bind-addr', `127.0.0.1:${port}`,
      '--auth', 'none',
      '--disable-telemetry',
      '--disable-update-check',
      ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
      '--disable-getting-started-override',
      ...common,
      options.folder,
    ],
    { env, stdio: ['ignore', 'pipe', 'pipe'], detached: false },
  );
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const log = () => output;
  await waitForHealth(url, child, log);
  return {
    url,
    port,
    log,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), 5000).unref();
      }),
  };
}
