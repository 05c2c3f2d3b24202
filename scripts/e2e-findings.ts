/**
 * A screenshot of the Findings view in a real VS Code (code-server + Debian Chromium): Run
 * Detections from the context menu of the bundled sample's source node, then the high-severity
 * findings opened down to their rows. Written to .test-output/findings.png.
 * Run: npm run e2e
 */
import * as path from 'node:path';
import { outDir, repoRoot, runScript, widenSidebar, withWorkbench } from './e2e/workbench';

const sample = path.join(repoRoot, 'samples', 'bucket');

async function main(): Promise<void> {
  await withWorkbench({ viewport: { width: 1400, height: 860 }, settings: { 'auditLens.sources': [sample] } }, async (workbench) => {
    const { page } = workbench;
    await widenSidebar(page, 420);
    const row = (name: string | RegExp) => page.getByRole('treeitem', { name }).first();
    workbench.describeFailure = async () => {
      console.error('tree rows:', await page.getByRole('treeitem').allInnerTexts());
    };
    await row(/^bucket/).click({ button: 'right' });
    // The menu takes a moment to accept input: hover the entry, then choose it with Enter.
    await page.getByRole('menuitem', { name: /^Run Detections/ }).hover();
    await page.waitForTimeout(300);
    await page.keyboard.press('Enter');
    await row(/^High/).waitFor({ timeout: 60_000 });
    // Give the Findings view the room: collapse the Sources view.
    await page.locator('.pane-header', { hasText: /^Sources/i }).first().click();
    await row(/^Admin rights removed/).click();
    await row(/^Audit log delivery changed/).click();
    await page.mouse.move(700, 500);
    await page.waitForTimeout(800);
    const sidebar = await page.locator('.part.sidebar').boundingBox();
    await page.screenshot({ path: path.join(outDir, 'findings.png'), clip: { x: 0, y: 0, width: Math.ceil((sidebar?.x ?? 0) + (sidebar?.width ?? 760)), height: 520 } });
  });
  console.log(`screenshot in ${path.relative(process.cwd(), outDir) || '.'}: findings.png`);
}

runScript(main);
