/**
 * One cycle of the host suite: code-server + Chromium open the workbench with the extension under
 * development and the bundled mocha suite, the way @vscode/test-web drives VS Code for the web.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium } from './browser';
import { bundleSuite, repoRoot } from './bundleSuite';
import { startCodeServer } from './codeServer';
import { PAGE_BRIDGE_ENV, startPageBridge } from './pageBridge';

export interface HostRunOptions {
  /** Folder the window opens. */
  folder: string;
  userSettings?: Record<string, unknown>;
  env?: Record<string, string>;
  /** Install this .vsix and test it instead of the development folder. */
  vsix?: string;
  timeoutMs?: number;
  /**
   * Open the folder in restricted mode (workspace trust on, never asked) and run the suite's
   * `*.untrusted.ts` files instead of its `*.host.ts` files.
   */
  untrusted?: boolean;
}

export interface HostRunResult {
  exitCode: number;
  report: string;
  serverLog: string;
  browserLog: string;
}

export const baseUserSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
};

/** Workspace trust on, and a folder nobody trusted stays in restricted mode without asking. */
const untrustedUserSettings = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
};

/** Tells the suite's index which files to run: `untrusted` runs the *.untrusted.js files. */
export const SUITE_KIND_ENV = 'AUDIT_LENS_HOST_SUITE_KIND';

export async function runHostSuite(options: HostRunOptions): Promise<HostRunResult> {
  if (!existsSync(path.join(repoRoot, 'dist', 'extension.js'))) {
    throw new Error('dist/extension.js is missing; run: npm run build');
  }
  const testsEntry = await bundleSuite();
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'audit-lens-host-'));
  const reportFile = path.join(scratch, 'report.txt');
  let page: Page | undefined;
  const bridge = await startPageBridge(() => page);
  const server = await startCodeServer({
    folder: options.folder,
    scratch,
    userSettings: { ...baseUserSettings, ...(options.untrusted ? untrustedUserSettings : {}), ...options.userSettings },
    env: { ...options.env, AUDIT_LENS_HOST_REPORT: reportFile, [PAGE_BRIDGE_ENV]: bridge.url, ...(options.untrusted ? { [SUITE_KIND_ENV]: 'untrusted' } : {}) },
    install: options.vsix ? [options.vsix] : [],
    workspaceTrust: options.untrusted,
  }).catch(async (error: unknown) => {
    await bridge.close();
    throw error;
  });
  const browser = await launchChromium();
  let browserLog = '';
  try {
    const opened = await browser.newPage();
    page = opened;
    opened.on('console', (m) => (browserLog += `[${m.type()}] ${m.text()}\n`));
    opened.on('pageerror', (e) => (browserLog += `[pageerror] ${e.message}\n`));
    const exited = new Promise<number>((resolve) => {
      void opened.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
    });
    // VS Code runs extension tests only in development mode: with a .vsix installed, an empty
    // extension stands in as the one under development.
    const developmentPath = options.vsix ? writeStubExtension(scratch) : repoRoot;
    const payload: [string, string][] = [
      ['extensionDevelopmentPath', `vscode-remote://remote${developmentPath}`],
      ['extensionTestsPath', `vscode-remote://remote${testsEntry}`],
    ];
    const url = `${server.url}/?folder=${encodeURIComponent(options.folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await opened.goto(url);
    const timeoutMs = options.timeoutMs ?? 150_000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<number>((resolve) => {
      timer = setTimeout(() => resolve(-1), timeoutMs);
    });
    const exitCode = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    const report = existsSync(reportFile) ? readFileSync(reportFile, 'utf8') : '(the suite wrote no report)';
    return { exitCode, report, serverLog: server.log(), browserLog };
  } finally {
    await browser.close();
    await server.stop();
    await bridge.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

function writeStubExtension(scratch: string): string {
  const folder = path.join(scratch, 'stub-extension');
  mkdirSync(folder, { recursive: true });
  const manifest = { name: 'host-test-stub', publisher: 'audit-lens-tests', version: '0.0.0', engines: { vscode: '^1.100.0' } };
  writeFileSync(path.join(folder, 'package.json'), JSON.stringify(manifest));
  return folder;
}
