/**
 * What the e2e screenshot scripts share: a real VS Code (code-server + Debian Chromium) with the
 * extension under development, commands run from the palette, and a clean teardown that leaves a
 * failure screenshot behind.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { launchChromium } from '../../test/host/harness/browser';
import { startCodeServer } from '../../test/host/harness/codeServer';
import { baseUserSettings } from '../../test/host/harness/runHostSuite';

export const repoRoot = path.resolve(__dirname, '..', '..');
export const outDir = path.join(repoRoot, '.test-output');

export interface WorkbenchOptions {
  viewport: { width: number; height: number };
  /** User settings on top of the quiet defaults every screenshot wants. */
  settings?: Record<string, unknown>;
}

export interface Workbench {
  page: Page;
  /** Says what was on screen when the work failed (the failure screenshot is taken anyway). */
  describeFailure?: () => Promise<void>;
}

/**
 * Starts code-server on an empty workspace, opens it in Chromium with the extension loaded and the
 * Audit Lens view shown, runs `work`, and tears everything down (set AUDIT_LENS_E2E_KEEP to keep
 * the scratch folder). On failure it saves .test-output/failure.png and rethrows.
 */
export async function withWorkbench(options: WorkbenchOptions, work: (workbench: Workbench) => Promise<void>): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'audit-lens-e2e-'));
  const workspace = path.join(scratch, 'workspace');
  mkdirSync(workspace);
  const server = await startCodeServer({
    folder: workspace,
    scratch,
    userSettings: {
      ...baseUserSettings,
      'workbench.colorTheme': 'Default Dark Modern',
      'window.commandCenter': false,
      'git.enabled': false,
      'git.openRepositoryInParentFolders': 'never',
      ...options.settings,
    },
  });
  const browser = await launchChromium();
  const workbench: Workbench = { page: await browser.newPage({ viewport: options.viewport }) };
  const { page } = workbench;
  try {
    page.setDefaultTimeout(30_000);
    const payload = [['extensionDevelopmentPath', `vscode-remote://remote${repoRoot}`]];
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.activitybar [aria-label^="Audit Lens"]').first().click({ timeout: 60_000 });
    await work(workbench);
  } catch (error) {
    await page.screenshot({ path: path.join(outDir, 'failure.png') }).catch(() => undefined);
    await workbench.describeFailure?.().catch(() => undefined);
    if (process.env.AUDIT_LENS_E2E_KEEP) console.error(`kept ${scratch}`);
    throw error;
  } finally {
    await browser.close();
    await server.stop();
    if (!process.env.AUDIT_LENS_E2E_KEEP) rmSync(scratch, { recursive: true, force: true });
  }
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Clicks the quick-pick row whose accessible name matches. */
export async function pick(page: Page, name: RegExp): Promise<void> {
  await page.locator('.quick-input-list').getByRole('option', { name }).first().click();
}

/** Runs a command from the palette by its exact title. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input').waitFor();
  await page.keyboard.type(title);
  await pick(page, new RegExp(`^${escapeRegExp(title)}(,|$)`));
}

/** Drags the sidebar's right edge, so the view title and 16-digit workspace ids fit. */
export async function widenSidebar(page: Page, by: number): Promise<void> {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box) return;
  const edge = box.x + box.width;
  const y = box.y + box.height / 2;
  await page.mouse.move(edge, y);
  await page.mouse.down();
  await page.mouse.move(edge + by, y, { steps: 6 });
  await page.mouse.up();
}

/** A screenshot of the page clipped to `locator`, written to the output folder as `file`. */
export async function shotOf(page: Page, locator: Locator, file: string): Promise<void> {
  const box = await locator.boundingBox();
  if (!box) throw new Error(`nothing to photograph for ${file}`);
  await page.screenshot({ path: path.join(outDir, file), clip: box });
}

/** Main entry of a screenshot script: a failure prints and exits 1. */
export function runScript(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
