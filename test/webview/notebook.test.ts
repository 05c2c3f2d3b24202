/** The notebook webview in real Chromium: rendering, virtual scroll, sort, copy, export, errors, state, screenshots. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cspViolations, fullPageShot, openNotebookPage, realProblems, suiteBrowser, waitFor, type NotebookPage } from './harness';
import { aDocument, aReadyStatus, manyRows, scriptedHost } from './builders';
import type { WebviewMessage } from '../../src/protocol/notebook';


function messagesOf(page: NotebookPage, method: string): WebviewMessage[] {
  return page.sent.filter((m) => m.method === method);
}


describe('notebook webview in Chromium', () => {
  const browser = suiteBrowser();

  it('renders the scope, the events histogram and the cells, in light and dark (screenshots)', async () => {
    for (const theme of ['light', 'dark'] as const) {
      const host = scriptedHost({
        document: aDocument([
          { title: 'Services by day', sql: "SELECT date, serviceName, COUNT(*) AS events\nFROM audit_logs\nWHERE actionName = \"login\" -- logins only\nGROUP BY 1, 2" },
          { title: 'Top users', sql: 'SELECT userIdentity.email, COUNT(*) AS n FROM audit_logs GROUP BY 1' },
        ]),
        run: (_sql, reply, id) =>
          reply({ kind: 'reply', id, ok: true, result: { columns: ['email', 'n'], columnKinds: ['value', 'value'], rows: [['ann@example.com', 120], ['bob@example.com', 75], [null, 12]], rowCount: 3, truncated: false, durationMs: 12 } }),
      });
      const nb = await openNotebookPage(browser(), theme, host.handler);
      try {
        const { page } = nb;
        await page.waitForSelector('.histogram svg rect');
        assert.equal(await page.locator('.cell').count(), 2);
        assert.match((await page.locator('.scope-status').textContent()) ?? '', /1,234 records loaded from 3 files/);
        if (theme === 'dark') {
          // A table holding slices of the scope says which services, of how many records.
          const held = { files: 316, bytes: 1, recordsLoaded: 212_410, linesRejected: 0, problemCount: 0, durationMs: 1, services: ['accounts', 'clusters'], recordsInScope: 1_003_112 };
          const slices = { state: 'ready' as const, summary: held };
          await nb.send({ kind: 'notify', method: 'scopeStatus', params: slices });
          await page.locator('.scope-status', { hasText: 'accounts, clusters · 212,410 of 1,003,112 records loaded' }).waitFor();
          await nb.send({ kind: 'notify', method: 'scopeStatus', params: { state: 'ready', summary: { ...slices.summary, services: [], recordsLoaded: 0 } } });
          await page.locator('.scope-status', { hasText: 'No records loaded yet: each cell loads the services (or actions) it names first' }).waitFor();
          await nb.send({ kind: 'notify', method: 'scopeStatus', params: aReadyStatus() });
        }
        assert.ok((await page.locator('.histogram .chart-bar').count()) >= 20, 'stacked bars drawn');
        assert.ok((await page.locator('.cell .tok-keyword').count()) > 3, 'SQL is highlighted');
        await page.locator('.cell').nth(0).locator('[data-action="run"]').click();
        await page.waitForSelector('.cell >> nth=0 >> .grid-row');
        await page.locator('.cell').nth(0).locator('.grid-row').nth(1).locator('.grid-cell').nth(1).click();
        await page.locator('.cell').nth(1).locator('[data-action="run"]').click();
        await page.waitForSelector('.cell >> nth=1 >> .grid-row');
        await page.locator('.cell').nth(1).locator('[data-action="toggle-chart"]').click();
        await page.waitForSelector('.cell >> nth=1 >> .chart-bars svg');
        await fullPageShot(nb, `notebook-${theme}.png`);
        assert.deepEqual(realProblems(nb), []);
        assert.deepEqual(await cspViolations(nb), []);
      } finally {
        await nb.close();
      }
    }
  });

  it('keeps 100,000 rows virtual: few DOM rows, and scrolling to the end shows the last row', async () => {
    const result = manyRows(100_000);
    const host = scriptedHost({ run: (_sql, reply, id) => reply({ kind: 'reply', id, ok: true, result }) });
    const nb = await openNotebookPage(browser(), 'dark', host.handler);
    try {
      const { page } = nb;
      await page.locator('[data-action="run"]').first().click();
      await page.waitForSelector('.grid-row');
      assert.match((await page.locator('.cell-count').textContent()) ?? '', /100,000 rows/);
      const domRows = await page.locator('.grid-row').count();
      assert.ok(domRows > 5 && domRows < 100, `DOM rows: ${domRows}`);
      await page.locator('.grid-viewport').evaluate((v) => (v.scrollTop = v.scrollHeight));
      await page.waitForFunction(() => [...document.querySelectorAll('.grid-row .grid-rownum')].some((c) => c.textContent === '100000'));
      assert.ok((await page.locator('.grid-row').count()) < 100);
    } finally {
      await nb.close();
    }
  });

  it('sorts by a column, both ways, and copies selected rows with headers as TSV and the page as Markdown', async () => {
    const result = { columns: ['user', 'n'], columnKinds: ['value', 'value'] as ('value' | 'json')[], rows: [['b|c', 5], ['a', 50], [null, 7]], rowCount: 3, truncated: false, durationMs: 1 };
    const host = scriptedHost({ run: (_sql, reply, id) => reply({ kind: 'reply', id, ok: true, result }) });
    const nb = await openNotebookPage(browser(), 'light', host.handler);
    try {
      const { page } = nb;
      await page.locator('[data-action="run"]').first().click();
      await page.waitForSelector('.grid-row');
      const firstValues = () => page.locator('.grid-row').evaluateAll((rows) => rows.sort((a, b) => (a as HTMLElement).style.transform.localeCompare((b as HTMLElement).style.transform, 'en', { numeric: true })).map((r) => r.children[2].textContent));
      await page.locator('.grid-header-cell[data-col="1"]').click();
      assert.deepEqual(await firstValues(), ['5', '7', '50']);
      await page.locator('.grid-header-cell[data-col="1"]').click();
      assert.deepEqual(await firstValues(), ['50', '7', '5']);
      const rows = page.locator('.grid-row');
      await rows.nth(0).locator('.grid-cell').nth(1).click();
      await rows.nth(1).locator('.grid-cell').nth(1).click({ modifiers: ['Shift'] });
      await page.keyboard.press('Control+c');
      await waitFor(() => messagesOf(nb, 'copyText').length === 1, 'copyText');
      const copied = messagesOf(nb, 'copyText')[0];
      assert.equal(copied.kind === 'notify' && copied.method === 'copyText' && copied.params.text, 'user\tn\na\t50\nNULL\t7\n'.replace('NULL', ''));
      await page.locator('[data-action="copy-markdown"]').click();
      await waitFor(() => messagesOf(nb, 'copyText').length === 2, 'markdown copy');
      const md = messagesOf(nb, 'copyText')[1];
      assert.ok(md.kind === 'notify' && md.method === 'copyText');
      assert.match(md.params.text, /^\| user \| n \|\n\| --- \| --- \|\n\| b\\\|c \| 5 \|/);
    } finally {
      await nb.close();
    }
  });

  it('asks the extension to export the whole result and follows its progress', async () => {
    const host = scriptedHost({
      run: (_sql, reply, id) => reply({ kind: 'reply', id, ok: true, result: manyRows(10) }),
      exportResult: async (id, reply) => {
        await reply({ kind: 'notify', method: 'exportProgress', params: { requestId: id, rows: 5000 } });
      },
    });
    const nb = await openNotebookPage(browser(), 'light', host.handler);
    try {
      const { page } = nb;
      await page.locator('[data-action="run"]').first().click();
      await page.waitForSelector('.grid-row');
      await page.locator('[data-action="export-csv"]').click();
      await page.waitForSelector('.export-notice >> text=5,000 rows written');
      const request = messagesOf(nb, 'exportResult')[0];
      assert.ok(request.kind === 'request' && request.method === 'exportResult');
      assert.deepEqual(request.params, { cellId: 'cell-1', sql: 'SELECT * FROM audit_logs', format: 'csv', asOf: { kind: 'now' } });
      await page.locator('[data-action="cancel-export"]').click();
      await waitFor(() => messagesOf(nb, 'cancel').length === 1, 'cancel');
      const cancel = messagesOf(nb, 'cancel')[0];
      assert.ok(cancel.kind === 'notify' && cancel.method === 'cancel' && cancel.params.requestId === request.id);
      await nb.send({ kind: 'reply', id: request.id, ok: false, error: { code: 'cancelled', userMessage: 'Cancelled.' } });
      await page.waitForSelector('.export-notice >> text=Export cancelled.');
      await page.locator('[data-action="export-json"]').click();
      await waitFor(() => messagesOf(nb, 'exportResult').length === 2, 'second export');
      const second = messagesOf(nb, 'exportResult')[1];
      assert.ok(second.kind === 'request');
      await nb.send({ kind: 'reply', id: second.id, ok: true, result: { saved: true, rowCount: 100000, fileName: 'result.json' } });
      await page.waitForSelector('.export-notice >> text=Exported 100,000 rows to result.json.');
    } finally {
      await nb.close();
    }
  });

  it('shows an SQL error at its position, cancels a running cell, and opens a row\u2019s raw line', async () => {
    let calls = 0;
    const host = scriptedHost({
      document: aDocument([{ title: 'Broken', sql: 'SELECT nope FROM audit_logs' }]),
      run: (_sql, reply, id) => {
        calls++;
        if (calls === 1) return reply({ kind: 'reply', id, ok: false, error: { code: 'sql', userMessage: 'no such column: nope', position: { offset: 7, length: 4 } } });
        if (calls === 3) return reply({ kind: 'reply', id, ok: true, result: manyRows(3) });
        return undefined; // the second run stays pending until cancelled
      },
    });
    const nb = await openNotebookPage(browser(), 'light', host.handler);
    try {
      const { page } = nb;
      await page.locator('.sql-input').click();
      await page.keyboard.press('Control+Enter');
      await page.waitForSelector('.cell-error');
      assert.match((await page.locator('.cell-error').textContent()) ?? '', /no such column: nope \(line 1, column 8\)/);
      assert.equal(await page.locator('.sql-highlight .sql-error').first().textContent(), 'nope');
      await page.locator('[data-action="run"]').click();
      await page.waitForSelector('[data-action="cancel"]:visible');
      await page.locator('[data-action="cancel"]').click();
      await waitFor(() => messagesOf(nb, 'cancel').length === 1, 'cancel');
      const run = messagesOf(nb, 'runCell')[1];
      const cancel = messagesOf(nb, 'cancel')[0];
      assert.ok(run.kind === 'request' && cancel.kind === 'notify' && cancel.method === 'cancel' && cancel.params.requestId === run.id);
      await nb.send({ kind: 'reply', id: run.id, ok: false, error: { code: 'cancelled', userMessage: 'Cancelled.' } });
      await page.waitForSelector('.cell-error >> text=Cancelled');
      await page.locator('[data-action="run"]').click();
      await page.waitForSelector('.grid-row');
      await page.locator('.grid-row .grid-rownum').first().dblclick();
      await waitFor(() => messagesOf(nb, 'openRaw').length === 1, 'openRaw');
      const open = messagesOf(nb, 'openRaw')[0];
      assert.ok(open.kind === 'notify' && open.method === 'openRaw');
      assert.deepEqual(open.params, { file: 'gs://audit-bucket/logs/workspaceId=1/date=2024-01-01/auditlogs_a.json', line: 1 });
    } finally {
      await nb.close();
    }
  });

  it('completes nested paths and each action\u2019s requestParams keys from the catalog', async () => {
    const host = scriptedHost({ document: aDocument([{ title: 'c', sql: "SELECT  FROM audit_logs WHERE actionName = 'tokenLogin'" }]) });
    const nb = await openNotebookPage(browser(), 'light', host.handler);
    try {
      const { page } = nb;
      await page.waitForFunction(() => document.querySelectorAll('.cell').length === 1);
      const input = page.locator('.sql-input');
      await input.click();
      await input.evaluate((t: HTMLTextAreaElement) => t.setSelectionRange(7, 7));
      await page.keyboard.type('requestParams.');
      await page.waitForSelector('.completion:not([hidden])');
      assert.deepEqual(await page.locator('.completion-label').allTextContents(), ['tokenId', 'user']);
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      assert.match(await input.inputValue(), /^SELECT requestParams\.user FROM/);
      await waitFor(() => messagesOf(nb, 'documentChanged').length > 0, 'documentChanged');
      const state = await page.evaluate(() => (window as unknown as { __savedState: { document: { cells: { sql: string }[] } } }).__savedState);
      assert.match(state.document.cells[0].sql, /requestParams\.user/);
    } finally {
      await nb.close();
    }
  });

  it('restores the notebook from the webview state after a reload, before the extension answers', async () => {
    const saved = aDocument([{ title: 'Restored cell', sql: 'SELECT 42' }]);
    const nb = await openNotebookPage(browser(), 'light', scriptedHost({ silent: true }).handler, { document: saved });
    try {
      await nb.page.waitForSelector('.cell');
      assert.equal(await nb.page.locator('.sql-input').inputValue(), 'SELECT 42');
      assert.equal(await nb.page.locator('.cell-title').evaluate((el) => (el as HTMLElement & { value: string }).value), 'Restored cell');
      assert.equal(await nb.page.locator('[data-name="sources"]').evaluate((el) => (el as HTMLElement & { value: string }).value), 'gs://audit-bucket/logs');
    } finally {
      await nb.close();
    }
  });

  it('adds, moves and deletes cells, and adds library entries as cells', async () => {
    const host = scriptedHost({});
    const nb = await openNotebookPage(browser(), 'light', host.handler);
    try {
      const { page } = nb;
      await page.waitForSelector('.cell');
      await page.locator('[data-action="add-cell"]').click();
      assert.equal(await page.locator('.cell').count(), 2);
      await page.locator('.cell').nth(1).locator('[data-action="up"]').click();
      const ids = await page.locator('.cell').evaluateAll((cells) => cells.map((c) => (c as HTMLElement).dataset.cellId));
      assert.equal(ids[1], 'cell-1');
      await page.locator('.cell').nth(1).locator('[data-action="delete"]').click();
      assert.equal(await page.locator('.cell').count(), 1);
      await page.locator('vscode-dropdown[data-name="library"]').click();
      await page.locator('vscode-option', { hasText: 'Who accessed Databricks' }).click();
      await page.waitForFunction(() => document.querySelectorAll('.cell').length === 2);
      // Saving is debounced: earlier documentChanged messages (after the add or the delete, also
      // with two cells) may come later than the step that caused them; the last one must settle
      // on the library cell.
      const libraryCellSaved = (): string | undefined => {
        const message = messagesOf(nb, 'documentChanged').at(-1);
        if (message?.kind !== 'notify' || message.method !== 'documentChanged') return undefined;
        const { cells } = message.params.document;
        return cells.length === 2 ? cells[1]!.analysisId : undefined;
      };
      await waitFor(() => libraryCellSaved() === 'example.logins', 'documentChanged with the library cell second');
      const last = messagesOf(nb, 'documentChanged').at(-1);
      assert.ok(last?.kind === 'notify' && last.method === 'documentChanged');
      assert.equal(last.params.document.cells.length, 2);
      assert.equal(last.params.document.cells[1].analysisId, 'example.logins');
      assert.deepEqual(realProblems(nb), []);
    } finally {
      await nb.close();
    }
  });
});
