/**
 * Screenshots of what a person sees in a real VS Code (code-server + Debian Chromium): the Audit
 * Lens welcome view with nothing configured, then the query notebook over the bundled sample —
 * opened from the tree and from the command palette, filled from the library, run — in the dark,
 * light and high-contrast themes. Written to .test-output/.
 * Run: npm run e2e (after the tree and hover screenshots), or node --import tsx scripts/e2e-notebook.ts
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { startWarehouse, WAREHOUSE_BUCKET, WAREHOUSE_ID, WAREHOUSE_TOKEN, type WarehouseFixture } from '../test/databricks-server';
import { startGcsServer, type GcsTestServer } from '../test/gcs-server';
import { escapeRegExp, outDir, pick, repoRoot, runCommand, runScript, shotOf, widenSidebar, withWorkbench } from './e2e/workbench';
const SAMPLE_BUCKET = 'acme-audit-logs';
const SAMPLE_PREFIX = 'databricks';

/** A new notebook holds the seed's three analyses and the events-by-service cell. */
const FIRST_NOTEBOOK_CELLS = 4;

/** Library entries added to the notebook, by title: three detections. */
const LIBRARY_TITLES = [
  'Repeated failed logins',
  'Admin rights granted',
  'Personal access tokens created',
];

const THEMES = [
  { file: 'notebook-dark.png', theme: 'Default Dark Modern', bodyClass: 'vscode-dark' },
  { file: 'notebook-light.png', theme: 'Default Light Modern', bodyClass: 'vscode-light' },
  { file: 'notebook-high-contrast.png', theme: 'Default High Contrast', bodyClass: 'vscode-high-contrast' },
] as const;

/** The notebook page inside the n-th webview (VS Code nests it in iframe.webview.ready → #active-frame). */
function notebookFrame(page: Page, index: number): FrameLocator {
  return page.locator('iframe.webview.ready').nth(index).contentFrame().frameLocator('#active-frame');
}

async function waitForLoaded(frame: FrameLocator): Promise<void> {
  await frame.locator('.scope-status', { hasText: 'records loaded' }).waitFor({ timeout: 90_000 });
}

async function addFromLibrary(frame: FrameLocator, title: string): Promise<void> {
  await frame.locator('vscode-dropdown[data-name="library"]').click();
  const option = frame.locator('vscode-option', { hasText: title }).first();
  await option.scrollIntoViewIfNeeded();
  await option.click();
}

/** Waits until every cell shows a row count or an error. */
async function waitForAllResults(frame: FrameLocator, cells: number): Promise<void> {
  const done = frame.locator('.cell:has(.cell-count), .cell:has(.cell-error)');
  for (let i = 0; i < 600; i++) {
    if ((await done.count()) >= cells) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`only ${await done.count()} of ${cells} cells finished`);
}

/** Picks a colour theme the way a person does: Preferences: Color Theme, then its name. */
async function setTheme(page: Page, theme: string): Promise<void> {
  await runCommand(page, 'Preferences: Color Theme');
  await page.locator('.quick-input-widget .quick-input-list').waitFor();
  await page.keyboard.type(theme);
  // A theme's row is "<label>, <setting value>", e.g. "Dark Modern, Default Dark Modern".
  await pick(page, new RegExp(`(^|, )${escapeRegExp(theme)}$`));
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/** Parks the mouse where it hovers nothing, so no tooltip or hover style shows. */
async function parkMouse(page: Page): Promise<void> {
  await page.mouse.move(20, 700);
  await page.waitForTimeout(300);
}

/** Serves the sample from the project's GCS test server, as a delivered bucket would be. */
async function serveSampleAsBucket(): Promise<GcsTestServer> {
  const gcs = await startGcsServer();
  gcs.createBucket(SAMPLE_BUCKET);
  const root = path.join(repoRoot, 'samples', 'bucket');
  for (const file of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
    const full = path.join(root, file);
    if (statSync(full).isFile()) gcs.put(SAMPLE_BUCKET, `${SAMPLE_PREFIX}/${file.split(path.sep).join('/')}`, readFileSync(full));
  }
  return gcs;
}

async function main(): Promise<void> {
  const gcs = await serveSampleAsBucket();
  const warehouse = await startWarehouse({ pendingPolls: 1, runningPolls: 1 });
  const written: string[] = [];
  const settings = {
    'workbench.layoutControl.enabled': false,
    'auditLens.gcsEndpoint': gcs.endpoint,
    'auditLens.databricks.host': warehouse.server.endpoint,
    'auditLens.databricks.warehouseId': WAREHOUSE_ID,
  };
  try {
    await withWorkbench({ viewport: { width: 1360, height: 1640 }, settings }, async (workbench) => {
      const { page } = workbench;
      workbench.describeFailure = async () => {
        const rows = page.locator('.quick-input-list .monaco-list-row');
        if ((await rows.count()) > 0) console.error('quick pick rows:', await rows.evaluateAll((list) => list.slice(0, 4).map((e) => e.outerHTML.slice(0, 600))));
      };
      await takeShots(page, written);
      await warehouseShot(page, written, warehouse);
    });
    console.log(`screenshots in ${path.relative(process.cwd(), outDir) || '.'}: ${written.join(', ')}`);
  } catch (error) {
    if (written.length) console.error(`written before the failure: ${written.join(', ')}`);
    throw error;
  } finally {
    await gcs.stop();
    await warehouse.server.stop();
  }
}

/** A notebook switched to the Databricks SQL warehouse engine (the test server), run, in the dark theme. */
async function warehouseShot(page: Page, written: string[], warehouse: WarehouseFixture): Promise<void> {
  await setTheme(page, 'Default Dark Modern');
  await runCommand(page, 'Audit Lens: Set Databricks Token…');
  await page.locator('.quick-input-widget input').waitFor();
  await page.keyboard.type(WAREHOUSE_TOKEN);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  await runCommand(page, 'Audit Lens: Open Query Notebook');
  await page.locator('iframe.webview.ready').nth(2).waitFor();
  const notebook = notebookFrame(page, 2);
  await notebook.locator('.engine-switch').waitFor();
  // First, locally over the sample bucket: a new notebook loads nothing until a cell runs, then
  // only the slices that cell names (the scope bar says which).
  await notebook.locator('vscode-text-field[data-name="sources"] input').fill(`gs://${SAMPLE_BUCKET}/${SAMPLE_PREFIX}`);
  await notebook.locator('vscode-text-field[data-name="sources"] input').press('Tab');
  await notebook.locator('.scope-status', { hasText: 'No records loaded yet' }).waitFor({ timeout: 30_000 });
  const first = notebook.locator('.cell').first();
  await first.locator('vscode-button[data-action="run"]').click();
  await notebook.locator('.cell:has(.cell-count), .cell:has(.cell-error)').first().waitFor({ timeout: 60_000 });
  await notebook.locator('.scope-status', { hasText: 'records loaded' }).waitFor({ timeout: 30_000 });
  await parkMouse(page);
  await page.waitForTimeout(500);
  await shotOf(page, page.locator('.part.editor'), 'notebook-slices.png');
  written.push('notebook-slices.png');
  await notebook.locator('vscode-text-field[data-name="sources"] input').fill(WAREHOUSE_BUCKET);
  await notebook.locator('vscode-text-field[data-name="sources"] input').press('Tab');
  await notebook.locator('.engine-switch vscode-dropdown').click();
  await notebook.locator('.engine-switch vscode-option[value="databricks"]').click();
  await notebook.locator('.scope-status', { hasText: 'Databricks SQL warehouse' }).waitFor({ timeout: 30_000 });
  await notebook.locator('vscode-button[data-action="run-all"]').click();
  await waitForAllResults(notebook, FIRST_NOTEBOOK_CELLS);
  const errors = await notebook.locator('.cell-error').allInnerTexts();
  if (errors.length > 0) throw new Error(`cells failed on the warehouse:\n${errors.join('\n')}`);
  if (warehouse.statements.length < FIRST_NOTEBOOK_CELLS) throw new Error('the cells did not reach the test warehouse');
  await notebook.locator('.notebook').evaluate((e) => e.ownerDocument.scrollingElement?.scrollTo(0, 0));
  await parkMouse(page);
  await page.waitForTimeout(800);
  await shotOf(page, page.locator('.part.editor'), 'notebook-databricks.png');
  written.push('notebook-databricks.png');
}

/** The welcome view, then notebooks from the tree and the palette, in each theme. */
async function takeShots(page: Page, written: string[]): Promise<void> {
  // 1. Nothing configured: the welcome view.
  const sidebar = page.locator('.part.sidebar');
  const welcome = sidebar.locator('.welcome-view-content');
  const lastLine = welcome.getByText('Credentials come from');
  await lastLine.waitFor();
  await widenSidebar(page, 100);
  // Away from the activity bar's tooltip and the sidebar's focus border.
  await page.locator('.part.editor').click({ position: { x: 400, y: 300 } });
  await page.waitForTimeout(800);
  const sideBox = await sidebar.boundingBox();
  const lastBox = await lastLine.boundingBox();
  if (!sideBox || !lastBox) throw new Error('the welcome view is not on screen');
  await page.screenshot({ path: path.join(outDir, 'welcome.png'), clip: { x: 0, y: 0, width: sideBox.x + sideBox.width + 1, height: lastBox.y + lastBox.height + 64 } });
  written.push('welcome.png');

  // 2. Add the sample from the welcome view; the tree appears.
  await welcome.getByRole('button', { name: 'Open the Bundled Sample' }).click();
  const row = (name: string | RegExp) => page.getByRole('treeitem', { name }).first();
  await row(/^bucket/).click();
  const workspaceRow = row(/^\d{12,}/);
  await workspaceRow.waitFor();

  // 3. The notebook from the tree: right-click a workspace → Open Query Notebook.
  await workspaceRow.click({ button: 'right' });
  const menuItem = page.getByRole('menuitem', { name: 'Open Query Notebook' });
  await menuItem.waitFor();
  // VS Code ignores a mouse-up that comes right after the menu opens.
  await page.waitForTimeout(500);
  await menuItem.click();
  const fromTree = notebookFrame(page, 0);
  await waitForLoaded(fromTree);
  const workspaces = await fromTree.locator('vscode-text-field[data-name="workspaces"]').evaluate((e) => (e as HTMLElement & { value: string }).value);
  if (!/^\d+$/.test(workspaces)) throw new Error(`the notebook opened from a workspace node is not scoped to it: "${workspaces}"`);
  await fromTree.locator('vscode-button[data-action="run-all"]').click();
  await waitForAllResults(fromTree, 1);
  await parkMouse(page);
  await page.screenshot({ path: path.join(outDir, 'notebook-from-tree.png') });
  written.push('notebook-from-tree.png');

  // 4. The notebook from the command palette, over the whole sample.
  await runCommand(page, 'Audit Lens: Open Query Notebook');
  await page.locator('iframe.webview.ready').nth(1).waitFor();
  const notebook = notebookFrame(page, 1);
  await waitForLoaded(notebook);
  // Point the scope at the bucket (served by the test server), as a user types it, and reload.
  await notebook.locator('vscode-text-field[data-name="sources"] input').fill(`gs://${SAMPLE_BUCKET}/${SAMPLE_PREFIX}`);
  await notebook.locator('vscode-text-field[data-name="sources"] input').press('Tab');
  const before = await notebook.locator('.scope-status').innerText();
  await notebook.locator('vscode-button[data-action="reload"]').click();
  for (let i = 0; i < 40 && (await notebook.locator('.scope-status').innerText()) === before; i++) await page.waitForTimeout(250);
  await waitForLoaded(notebook);
  for (const title of LIBRARY_TITLES) await addFromLibrary(notebook, title);
  const cellCount = await notebook.locator('.cell').count();
  if (cellCount !== LIBRARY_TITLES.length + FIRST_NOTEBOOK_CELLS) throw new Error(`expected ${LIBRARY_TITLES.length + FIRST_NOTEBOOK_CELLS} cells, found ${cellCount}`);
  await notebook.locator('vscode-button[data-action="run-all"]').click();
  await waitForAllResults(notebook, cellCount);
  const errors = await notebook.locator('.cell-error').allInnerTexts();
  if (errors.length > 0) throw new Error(`cells failed:\n${errors.join('\n')}`);
  // Move the Spark versions up, to the top, and show them as a chart.
  const sparkCell = notebook.locator('.cell', { has: notebook.locator('vscode-text-field[value="Apache Spark versions in use"]') });
  await sparkCell.locator('vscode-button[data-action="up"]').click();
  const first = await notebook.locator('.cell').nth(0).locator('vscode-text-field[data-name="title"]').evaluate((e) => (e as HTMLElement & { value: string }).value);
  if (first !== 'Apache Spark versions in use') throw new Error(`moving the cell up left "${first}" first`);
  await sparkCell.locator('vscode-button[data-action="toggle-chart"]').click();
  await sparkCell.locator('.chart svg rect.chart-bar').first().waitFor();
  await notebook.locator('.histogram svg rect.chart-bar').first().waitFor();
  await notebook.locator('.notebook').evaluate((e) => e.ownerDocument.scrollingElement?.scrollTo(0, 0));

  // 5. The same page in each theme.
  const editor = page.locator('.part.editor');
  for (const { file, theme, bodyClass } of THEMES) {
    await setTheme(page, theme);
    await notebook.locator(`body.${bodyClass}`).waitFor({ timeout: 30_000 });
    await parkMouse(page);
    await page.waitForTimeout(1000);
    await shotOf(page, editor, file);
    written.push(file);
  }

  // 6. As of a past instant: the scope bar's choice goes with the next run, and its result names it.
  await setTheme(page, THEMES[0].theme);
  await notebook.locator(`body.${THEMES[0].bodyClass}`).waitFor({ timeout: 30_000 });
  await notebook.locator('vscode-dropdown[data-name="as-of"]').click();
  await notebook.locator('vscode-dropdown[data-name="as-of"] vscode-option[value="instant"]').click();
  const instant = notebook.locator('vscode-text-field[data-name="as-of-instant"] input');
  await instant.fill('2024-05-08T12:00:00Z');
  await instant.press('Tab');
  await notebook.locator('.cell').nth(0).locator('vscode-button[data-action="run"]').click();
  await notebook.locator('.cell').nth(0).locator('.cell-count', { hasText: 'as of 2024-05-08 12:00:00 UTC' }).waitFor({ timeout: 60_000 });
  await parkMouse(page);
  await page.waitForTimeout(500);
  await shotOf(page, editor, 'notebook-as-of.png');
  written.push('notebook-as-of.png');
}

runScript(main);
