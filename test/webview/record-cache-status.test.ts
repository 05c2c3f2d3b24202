/** The notebook scope bar in real Chromium says how many files the record cache served, and nothing of it when it served none. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { cspViolations, openNotebookPage, realProblems, SCREENSHOTS, suiteBrowser, withPage } from './harness';
import { aReadyStatus, scriptedHost } from './builders';

describe('the scope bar and the record cache', () => {
  const browser = suiteBrowser();

  it('adds "N of M files from the record cache" to a load it served, for a whole scope and for slices (screenshot)', async () => {
    const host = scriptedHost({});
    await withPage(openNotebookPage(browser(), 'dark', host.handler), async (nb) => {
      const { page } = nb;
      const ready = aReadyStatus(443_542);
      if (ready.state !== 'ready') throw new Error('the builder gives a ready status');
      await nb.send({ kind: 'notify', method: 'scopeStatus', params: { state: 'ready', summary: { ...ready.summary, files: 316, filesFromCache: 315 } } });
      await page.locator('.scope-status', { hasText: /^443,542 records loaded from 316 files .* · 315 of 316 files from the record cache$/ }).waitFor();
      await page.mouse.move(0, 0);
      await page.locator('.scope-bar').screenshot({ path: path.join(SCREENSHOTS, 'notebook-record-cache-scope-bar.png') });

      await nb.send({ kind: 'notify', method: 'scopeStatus', params: { state: 'ready', summary: { ...ready.summary, files: 316, filesFromCache: 316, services: ['accounts'], recordsInScope: 1_000_004 } } });
      await page.locator('.scope-status', { hasText: /accounts .*1,000,004.* · 316 of 316 files from the record cache$/ }).waitFor();

      await nb.send({ kind: 'notify', method: 'scopeStatus', params: ready });
      await page.locator('.scope-status', { hasText: /^443,542 records loaded/ }).waitFor();
      assert.doesNotMatch((await page.locator('.scope-status').textContent()) ?? '', /record cache/, 'a load the cache did not serve says nothing of it');
      assert.deepEqual(realProblems(nb), []);
      assert.deepEqual(await cspViolations(nb), []);
    });
  });
});
