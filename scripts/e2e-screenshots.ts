/**
 * Screenshots of the extension in a real VS Code (code-server + Debian Chromium): the Audit Lens
 * tree over the bundled sample, and a hover on a requestParams key. Written to .test-output/.
 * Run: npm run e2e
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { outDir, repoRoot, runCommand, runScript, widenSidebar, withWorkbench } from './e2e/workbench';
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

async function main(): Promise<void> {
  const target = findClusterCreate();
  await withWorkbench({ viewport: { width: 1400, height: 860 }, settings: { 'auditLens.sources': [sample] } }, async (workbench) => {
    const { page } = workbench;
    // A wider sidebar, so 19-digit workspace ids and counts fit.
    await widenSidebar(page, 260);
    const row = (name: string | RegExp) => page.getByRole('treeitem', { name }).first();
    workbench.describeFailure = async () => {
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
  });
  console.log(`screenshots in ${path.relative(process.cwd(), outDir) || '.'}: tree.png, hover.png`);
}

runScript(main);
