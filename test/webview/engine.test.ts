/** The notebook webview's engine switch, streamed pages, engine-side sort and library questions, in Chromium. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { CellResult, WebviewMessage } from '../../src/protocol/notebook';
import { aDocument, manyRows, scriptedHost } from './builders';
import { cspViolations, openNotebookPage, realProblems, SCREENSHOTS, suiteBrowser, waitFor } from './harness';



function cut(result: CellResult, shown: number, total: number): CellResult {
  return { ...result, rows: result.rows.slice(0, shown), rowCount: total, truncated: true };
}

describe('notebook engines in Chromium', () => {
  const browser = suiteBrowser();

  it('shows the engine in the scope bar and switches it keeping the cells (screenshot)', async () => {
    const document = aDocument([{ title: 'Who accessed Databricks', sql: 'SELECT DISTINCT userIdentity.email FROM audit_logs' }]);
    document.cells[0]!.analysisId = 'example.logins';
    const host = scriptedHost({ document });
    const nb = await openNotebookPage(browser(), 'dark', host.handler);
    try {
      const { page } = nb;
      await page.waitForSelector('.cell');
      await nb.send({ kind: 'notify', method: 'engine', params: { engine: 'local', databricksConfigured: true } });
      await page.waitForSelector('.engine-switch[data-engine="local"]');
      assert.equal(await page.locator('.cell-question').textContent(), 'Which users logged in?');
      await page.locator('.engine-switch vscode-dropdown').click();
      await page.locator('.engine-switch vscode-option[value="databricks"]').click();
      await waitFor(() => nb.sent.some((m) => m.method === 'setEngine'), 'setEngine');
      const message = nb.sent.find((m) => m.method === 'setEngine') as Extract<WebviewMessage, { method: 'setEngine' }>;
      assert.deepEqual(message.params, { engine: 'databricks' });
      await nb.send({ kind: 'notify', method: 'engine', params: { engine: 'databricks', databricksConfigured: true } });
      await nb.send({ kind: 'notify', method: 'scopeStatus', params: { state: 'remote', message: 'Cells run on Databricks SQL warehouse abc123 at adb-1.gcp.databricks.com · nothing is loaded here' } });
      await page.waitForSelector('.engine-switch[data-engine="databricks"]');
      assert.match((await page.locator('.scope-status').textContent()) ?? '', /Databricks SQL warehouse abc123/);
      assert.equal(await page.locator('.cell').count(), 1);
      const saved = await page.evaluate(() => (window as unknown as { __savedState: { document: { engine?: string; cells: unknown[] } } }).__savedState);
      assert.equal(saved.document.engine, 'databricks');
      assert.equal(saved.document.cells.length, 1);
      await page.mouse.move(0, 0);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'notebook-engine.png') });
      assert.deepEqual(realProblems(nb), []);
      assert.deepEqual(await cspViolations(nb), []);
    } finally {
      await nb.close();
    }
  });

  it('fills the grid page by page while the cell runs, then shows N of M for a cut result', async () => {
    const all = manyRows(50);
    let finish: (() => Promise<void>) | undefined;
    const host = scriptedHost({
      run: async (_sql, reply, id) => {
        await reply({ kind: 'notify', method: 'cellPage', params: { requestId: id, result: cut(all, 2, 50) } });
        finish = () => reply({ kind: 'reply', id, ok: true, result: cut(all, 20, 50) });
      },
    });
    const nb = await openNotebookPage(browser(), 'light', host.handler);
    try {
      const { page } = nb;
      await page.locator('[data-action="run"]').first().click();
      await page.waitForSelector('.grid-row');
      assert.equal(await page.locator('.grid-row').count(), 2);
      assert.ok(await page.locator('[data-action="cancel"]').first().isVisible(), 'still running: cancel is offered');
      await waitFor(() => finish !== undefined, 'the run request');
      await finish!();
      await page.waitForFunction(() => document.querySelectorAll('.grid-row').length === 20);
      assert.match((await page.locator('.cell-truncated').textContent()) ?? '', /showing 20 of 50/);
    } finally {
      await nb.close();
    }
  });

  it('sorts a cut result in the engine instead of sorting the rows shown', async () => {
    const all = manyRows(30);
    const host = scriptedHost({ run: (_sql, reply, id) => reply({ kind: 'reply', id, ok: true, result: cut(all, 10, 30) }) });
    const nb = await openNotebookPage(browser(), 'dark', host.handler);
    try {
      const { page } = nb;
      await page.locator('[data-action="run"]').first().click();
      await page.waitForSelector('.grid-row');
      await page.locator('.grid-header-cell[data-col="0"]').click();
      await waitFor(() => nb.sent.filter((m) => m.method === 'runCell').length === 2, 'the sorted re-run');
      const rerun = nb.sent.filter((m) => m.method === 'runCell')[1] as Extract<WebviewMessage, { method: 'runCell' }>;
      // By name, since no other column of the result has it (positions past a star may differ in the engine).
      assert.deepEqual(rerun.params.sort, { column: 0, direction: 'asc', name: 'id' });
      await page.waitForFunction(() => /sorted by id in the engine/.test(document.querySelector('.cell-truncated')?.textContent ?? ''));
      assert.match((await page.locator('.grid-header-cell[data-col="0"]').textContent()) ?? '', /▲/);
    } finally {
      await nb.close();
    }
  });
});
