/**
 * Screenshots of the Coverage view in a real VS Code (code-server + Debian Chromium): Show
 * Coverage from the command palette over a copy of the bundled sample with planted trouble (a
 * three-hour gap between busy hours, a file delivered twice, a workspace whose delivery stops two
 * days early), the heatmap and one day zoomed to its hours, in the dark and light themes; and the
 * tree marking the workspace whose delivery may have stopped. Written to .test-output/coverage-*.png.
 * Run: npm run build, then node --import tsx scripts/e2e-coverage.ts
 */
import { copyFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { outDir, repoRoot, runCommand, runScript, shotOf, widenSidebar, withWorkbench } from './e2e/workbench';

const sample = path.join(repoRoot, 'samples', 'bucket');
const HOUR = 3_600_000;
const GAP_WORKSPACE = '6915724740533514';
const GAP_DATE = '2024-05-09';
const DUPLICATE_WORKSPACE = '3582788241708158';
const STOPPED_WORKSPACE = '9650534359101435';

const THEMES = [
  { suffix: 'dark', theme: 'Default Dark Modern' },
  { suffix: 'light', theme: 'Default Light Modern' },
];

type Row = Record<string, unknown> & { timestamp: number };

function filesOf(folder: string): string[] {
  return readdirSync(folder).filter((n) => n.endsWith('.json')).map((n) => path.join(folder, n));
}

function readRows(file: string): Row[] {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Row);
}

function writeRows(file: string, rows: readonly Row[]): void {
  writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
}

/** `count` events a few seconds apart from `start`, shaped like the template. */
function burst(template: Row, start: number, count: number, tag: string): Row[] {
  return Array.from({ length: count }, (_, i) => ({ ...template, timestamp: start + i * 7_000, requestId: `planted-${tag}-${i}` }));
}

/** A copy of the sample with a gap, a duplicated file and a workspace that stops early. */
function plantedCopy(): { root: string; remove(): void } {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'audit-lens-coverage-sample-'));
  const root = path.join(scratch, 'bucket');
  cpSync(sample, root, { recursive: true });
  const day = Date.parse(`${GAP_DATE}T00:00:00Z`);

  const gapFolder = path.join(root, `workspaceId=${GAP_WORKSPACE}`, `date=${GAP_DATE}`);
  const gapFiles = filesOf(gapFolder);
  const template = readRows(gapFiles[0]!)[0]!;
  for (const file of gapFiles) writeRows(file, readRows(file).filter((r) => r.timestamp < day + 13 * HOUR || r.timestamp >= day + 16 * HOUR));
  writeRows(path.join(gapFolder, 'auditlogs_planted-busy-hours.json'), [...burst(template, day + 12 * HOUR, 25, 'before'), ...burst(template, day + 16 * HOUR, 25, 'after')]);

  const duplicateFolder = path.join(root, `workspaceId=${DUPLICATE_WORKSPACE}`, 'date=2024-05-10');
  copyFileSync(filesOf(duplicateFolder)[0]!, path.join(duplicateFolder, 'auditlogs_second-delivery-configuration.json'));

  const stopped = path.join(root, `workspaceId=${STOPPED_WORKSPACE}`);
  for (const date of ['2024-05-11', '2024-05-12']) rmSync(path.join(stopped, `date=${date}`), { recursive: true });
  const lastDay = Date.parse('2024-05-10T00:00:00Z');
  writeRows(path.join(stopped, 'date=2024-05-10', 'auditlogs_planted-last-hour.json'), burst({ ...template, workspaceId: STOPPED_WORKSPACE }, lastDay + 22 * HOUR, 25, 'last'));
  return { root, remove: () => rmSync(scratch, { recursive: true, force: true }) };
}

async function main(): Promise<void> {
  const planted = plantedCopy();
  try {
    for (const { suffix, theme } of THEMES) {
      await withWorkbench({ viewport: { width: 1440, height: 900 }, settings: { 'auditLens.sources': [planted.root], 'workbench.colorTheme': theme } }, async ({ page }) => {
        const tree = page.locator('.part.sidebar');
        if (suffix === 'dark') {
          // The tree marks a workspace once its dates and its siblings' are listed: expand them.
          await widenSidebar(page, 340);
          await tree.getByRole('treeitem', { name: /^bucket/ }).first().click();
          for (const id of [STOPPED_WORKSPACE, GAP_WORKSPACE]) {
            await tree.getByRole('treeitem', { name: new RegExp(`^${id}`) }).first().click();
            await tree.getByRole('treeitem', { name: /^2024-05-10/ }).first().waitFor();
          }
          // A row's description is redrawn once it is collapsed (the tree keeps expanded rows as they are).
          for (const id of [GAP_WORKSPACE, STOPPED_WORKSPACE]) await tree.getByRole('treeitem', { name: new RegExp(`^${id}`) }).first().click();
          await tree.getByRole('treeitem', { name: /delivery may have stopped/ }).first().waitFor({ timeout: 30_000 });
          await page.mouse.move(900, 800);
          await page.waitForTimeout(500);
          await shotOf(page, tree, 'coverage-tree.png');
        }
        await page.keyboard.press('Control+B');
        await runCommand(page, 'Audit Lens: Show Coverage');
        const frame = page.locator('iframe.webview.ready').first().contentFrame().frameLocator('#active-frame');
        await frame.locator('.cv-grid-days').waitFor({ timeout: 60_000 });
        await page.mouse.move(5, 500);
        await page.waitForTimeout(800);
        await shotOf(page, page.locator('.part.editor'), `coverage-${suffix}.png`);
        await frame.locator(`.cv-cell[data-workspace="${GAP_WORKSPACE}"][data-date="${GAP_DATE}"]`).click();
        await frame.locator('.cv-grid-hours').waitFor();
        await page.mouse.move(5, 500);
        await page.waitForTimeout(500);
        await shotOf(page, page.locator('.part.editor'), `coverage-hours-${suffix}.png`);
      });
      console.log(`screenshots in ${path.relative(process.cwd(), outDir) || '.'}: coverage-${suffix}.png, coverage-hours-${suffix}.png`);
    }
  } finally {
    planted.remove();
  }
}

runScript(main);
