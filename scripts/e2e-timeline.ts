/**
 * Screenshots of the Timeline view in a real VS Code (code-server + Debian Chromium): Show
 * Timeline from the command palette, a new actor typed in, over the bundled sample; the strip
 * zoomed in once by the wheel; in the dark and light themes. Written to .test-output/timeline-*.png.
 * Run: npm run e2e, or node --import tsx scripts/e2e-timeline.ts
 */
import * as path from 'node:path';
import { outDir, pick, repoRoot, runCommand, runScript, shotOf, withWorkbench } from './e2e/workbench';

const sample = path.join(repoRoot, 'samples', 'bucket');
const ACTOR = 'hiro.jensen@corp.example.com';

const THEMES = [
  { file: 'timeline-dark.png', theme: 'Default Dark Modern' },
  { file: 'timeline-light.png', theme: 'Default Light Modern' },
];

async function main(): Promise<void> {
  for (const { file, theme } of THEMES) {
    await withWorkbench({ viewport: { width: 1440, height: 1000 }, settings: { 'auditLens.sources': [sample], 'workbench.colorTheme': theme } }, async ({ page }) => {
      // The sidebar only narrows the editor here: close it.
      await page.keyboard.press('Control+B');
      await runCommand(page, 'Audit Lens: Show Timeline…');
      await pick(page, /^New actor…/);
      await page.locator('.quick-input-widget input').waitFor();
      await page.keyboard.type(ACTOR);
      await page.keyboard.press('Enter');
      const frame = page.locator('iframe.webview.ready').first().contentFrame().frameLocator('#active-frame');
      await frame.locator('.grid-row').first().waitFor({ timeout: 60_000 });
      const canvas = await frame.locator('.tl-canvas').boundingBox();
      if (canvas) {
        await page.mouse.move(canvas.x + canvas.width * 0.3, canvas.y + canvas.height / 2);
        await page.mouse.wheel(0, -200);
      }
      await page.mouse.move(5, 500);
      await page.waitForTimeout(800);
      await shotOf(page, page.locator('.part.editor'), file);
    });
    console.log(`screenshot in ${path.relative(process.cwd(), outDir) || '.'}: ${file}`);
  }
}

runScript(main);
