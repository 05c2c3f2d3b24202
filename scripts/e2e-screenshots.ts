/**
 * Screenshots of the extension in a real VS Code (code-server + Debian Chromium): the Audit Lens
 * tree over the bundled sample, and a hover on a requestParams key. Written to .test-output/.
 * Run: npm run e2e
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium } from '../test/host/harness/browser';
import { startCodeServer } from '../test/host/harness/codeServer';
import { baseUserSettings } from '../test/host/harness/runHostSuite';

const repoRoot = path.resolve(__dirname, '..');
const outDir = path.join(repoRoot, '.test-output');
const sample = path.join(repoRoot, 'samples', 'bucket');

/** The newest date of the first workspace that has a clusters/create event, and that event's line. */
function findClusterCreate(): { workspaceId: string; date: string; file: string; line: number; column: number } {
  for (const ws of readdirSync(sample).filter((n) => n !== 'workspaceId=0').sort()) {
    for (const day of readdirSync(path.join(sample, ws)).sort().reverse()) {
      for (const name of readdirSync(path.join(sample, ws, day)).sort()) {
        const file = path.join(sample, ws, day, name);
        const lines = readFileSync(file, 'utf8').split('\n');
        const index = lines.findIndex((l) => l.includes('"actionName":"create"') && l.includes('"serviceName":"clusters"') && l.includes('"spark_version"'));
        if (index >= 0) {
          return { workspaceId: ws.slice('workspaceId='.length), date: day.slice('date='.length), file, line: index + 1, column: lines[index]!.indexOf('"spark_version"') + 4 };
        }
      }
    }
  }
  throw new Error('the sample has no clusters/create event with spark_version');
}

async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  await page.keyboard.type(title);
  await page.waitForTimeout(300);
  await page.keyboard.press('Enter');
}

let failureShot: (() => Promise<void>) | undefined;

async function main(): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  const target = findClusterCreate();
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'audit-lens-e2e-'));
  const workspace = path.join(scratch, 'workspace');
  mkdirSync(workspace);
  const server = await startCodeServer({
    folder: workspace,
    scratch,
    userSettings: { ...baseUserSettings, 'workbench.colorTheme': 'Default Dark Modern', 'auditLens.sources': [sample], 'window.commandCenter': false, 'git.enabled': false, 'git.openRepositoryInParentFolders': 'never' },
  });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    const payload = [['extensionDevelopmentPath', `vscode-remote://remote${repoRoot}`]];
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.activitybar [aria-label^="Audit Lens"]').first().click({ timeout: 60_000 });

    // A wider sidebar, so 19-digit workspace ids and counts fit.
    const sash = await page.locator('.monaco-sash.vertical').first().boundingBox();
    if (sash) {
      await page.mouse.move(sash.x + sash.width / 2, sash.y + 200);
      await page.mouse.down();
      await page.mouse.move(sash.x + 260, sash.y + 200, { steps: 5 });
      await page.mouse.up();
    }
    const row = (name: string | RegExp) => page.getByRole('treeitem', { name }).first();
    page.setDefaultTimeout(30_000);
    failureShot = async () => {
      await page.screenshot({ path: path.join(outDir, 'failure.png') });
      console.error('tree rows:', await page.getByRole('treeitem').allInnerTexts());
    };
    await row(/^bucket/).click();
    await row(new RegExp(`^${target.workspaceId}`)).click();
    await row(new RegExp(`^${target.date}`)).click();
    await row(/^clusters/).click();
    await row(/^create/).waitFor();
    await page.waitForTimeout(800);
    await page.screenshot({ path: path.join(outDir, 'tree.png') });

    await row(/^create/).click();
    // Several files of the day hold the action: pick the one with the event to hover.
    const picker = page.locator('.quick-input-widget input');
    const editor = page.locator('.monaco-editor .view-lines').first();
    const shown = await Promise.race([picker.waitFor().then(() => 'picker'), editor.waitFor().then(() => 'editor')]);
    if (shown === 'picker') {
      await picker.fill(path.basename(target.file));
      await page.waitForTimeout(300);
      await page.keyboard.press('Enter');
    }
    await editor.waitFor();
    await page.waitForTimeout(500);
    await page.keyboard.press('Control+G');
    await page.keyboard.type(`${target.line}:${target.column}`);
    await page.keyboard.press('Enter');
    await page.waitForTimeout(300);
    await runCommand(page, 'Show or Focus Hover');
    await page.locator('.monaco-hover').first().waitFor({ timeout: 20_000 });
    await page.waitForTimeout(800);
    await page.screenshot({ path: path.join(outDir, 'hover.png') });
    console.log(`screenshots in ${path.relative(process.cwd(), outDir) || '.'}: tree.png, hover.png`);
  } catch (error) {
    await failureShot?.().catch(() => undefined);
    if (process.env.AUDIT_LENS_E2E_KEEP) console.error(`kept ${scratch}`);
    throw error;
  } finally {
    await browser.close();
    await server.stop();
    if (!process.env.AUDIT_LENS_E2E_KEEP) rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
