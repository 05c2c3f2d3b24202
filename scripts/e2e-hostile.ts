/**
 * Screenshots of hostile names in VS Code's own surfaces (code-server + Debian Chromium): a folder,
 * files and a service named with command links, $(icons), bidi controls and HTML, in the tree and in
 * the open-raw-file quick pick. Written to .test-output/hostile-tree.png and hostile-quick-pick.png.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HOSTILE_DATE, HOSTILE_FOLDER_NAME, HOSTILE_WORKSPACE, hostileTree } from '../test/host/fixtures';
import { outDir, runScript, widenSidebar, withWorkbench } from './e2e/workbench';

async function main(): Promise<void> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'audit-lens-e2e-hostile-'));
  const source = path.join(scratch, HOSTILE_FOLDER_NAME);
  for (const f of hostileTree()) {
    mkdirSync(path.dirname(path.join(source, f.relativePath)), { recursive: true });
    writeFileSync(path.join(source, f.relativePath), f.text);
  }
  try {
    await withWorkbench({ viewport: { width: 1400, height: 860 }, settings: { 'auditLens.sources': [source] } }, async (workbench) => {
      const { page } = workbench;
      await widenSidebar(page, 380);
      const row = (text: string) => page.getByRole('treeitem').filter({ hasText: text }).first();
      workbench.describeFailure = async () => {
        console.error('tree rows:', await page.getByRole('treeitem').allInnerTexts());
      };
      await row('hostile-[s]').click();
      await row(HOSTILE_WORKSPACE).click();
      await row(HOSTILE_DATE).click();
      await row('[svc]').click();
      await page.getByRole('treeitem', { name: /^clusters/ }).click();
      await page.getByRole('treeitem', { name: /^create/ }).waitFor();
      await page.waitForTimeout(800);
      await page.screenshot({ path: path.join(outDir, 'hostile-tree.png') });

      // Five files hold clusters/create: opening it raw asks which.
      await page.getByRole('treeitem', { name: /^create/ }).click();
      await page.locator('.quick-input-list .monaco-list-row').first().waitFor();
      await page.waitForTimeout(500);
      await page.screenshot({ path: path.join(outDir, 'hostile-quick-pick.png') });
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  console.log(`screenshots in ${path.relative(process.cwd(), outDir) || '.'}: hostile-tree.png, hostile-quick-pick.png`);
}

runScript(main);
