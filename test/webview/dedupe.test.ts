/** The scope bar's "Load each event once" toggle in real Chromium: saved in the document's scope, sent with Reload, and the dropped copies shown. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { cspViolations, openNotebookPage, realProblems, SCREENSHOTS, sentOf, suiteBrowser, waitFor, withPage, type NotebookPage } from './harness';
import { aDocument, aReadyStatus, scriptedHost } from './builders';
import type { NotebookScope } from '../../src/protocol/notebook';

function savedScope(page: NotebookPage): NotebookScope | undefined {
  return sentOf(page, 'documentChanged').at(-1)?.params.document.scope;
}

describe('the "Load each event once" toggle of the notebook scope bar', () => {
  const browser = suiteBrowser();

  it('saves dedupe in the scope, sends it with Reload, and says how many copies the load dropped (screenshot)', async () => {
    const host = scriptedHost({});
    await withPage(openNotebookPage(browser(), 'dark', host.handler), async (nb) => {
      const { page } = nb;
      const toggle = page.locator('label.scope-dedupe');
      await toggle.waitFor();
      assert.equal(await toggle.textContent(), 'Load each event once');
      const box = toggle.locator('input[type="checkbox"]');
      assert.equal(await box.isChecked(), false, 'off unless the notebook says so');

      await toggle.click();
      await waitFor(() => savedScope(nb)?.dedupe === true, 'the document saves dedupe');
      const reloads = sentOf(nb, 'reload').length;
      await page.locator('[data-action="reload"]').click();
      await waitFor(() => sentOf(nb, 'reload').length === reloads + 1, 'the reload');
      assert.equal(sentOf(nb, 'reload').at(-1)!.params.scope.dedupe, true);

      const ready = aReadyStatus();
      if (ready.state !== 'ready') throw new Error('the builder gives a ready status');
      await nb.send({ kind: 'notify', method: 'scopeStatus', params: { state: 'ready', summary: { ...ready.summary, duplicatesDropped: 1_204 } } });
      await page.locator('.scope-status', { hasText: /records loaded from .* · 1,204 duplicate events dropped$/ }).waitFor();
      await page.mouse.move(0, 0);
      await page.locator('.scope-bar').screenshot({ path: path.join(SCREENSHOTS, 'notebook-dedupe-scope-bar.png') });
      await nb.send({ kind: 'notify', method: 'scopeStatus', params: { state: 'ready', summary: { ...ready.summary, duplicatesDropped: 1 } } });
      await page.locator('.scope-status', { hasText: /· 1 duplicate event dropped$/ }).waitFor();
      await nb.send({ kind: 'notify', method: 'scopeStatus', params: ready });
      await page.locator('.scope-status', { hasText: /records loaded/ }).waitFor();
      assert.doesNotMatch((await page.locator('.scope-status').textContent()) ?? '', /duplicate/, 'a load without dedupe says nothing of copies');

      await box.uncheck();
      await waitFor(() => savedScope(nb) !== undefined && savedScope(nb)!.dedupe === undefined, 'the document drops dedupe');
      assert.deepEqual(realProblems(nb), []);
      assert.deepEqual(await cspViolations(nb), []);
    });
  });

  it('opens checked when the notebook file saved dedupe', async () => {
    const document = aDocument();
    document.scope = { ...document.scope, dedupe: true };
    const host = scriptedHost({ document });
    await withPage(openNotebookPage(browser(), 'light', host.handler), async (nb) => {
      const box = nb.page.locator('label.scope-dedupe input[type="checkbox"]');
      await box.waitFor();
      assert.equal(await box.isChecked(), true);
    });
  });
});
