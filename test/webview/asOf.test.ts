/** The scope bar's as-of control in real Chromium: the choice is saved in the document, sent with each run, and results name the instant. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { cspViolations, openNotebookPage, realProblems, SCREENSHOTS, sentOf, suiteBrowser, waitFor, withPage, type NotebookPage } from './harness';
import { aDocument, manyRows, scriptedHost } from './builders';
import type { AsOfChoice } from '../../src/protocol/notebook';

const runsOf = (page: NotebookPage) => sentOf(page, 'runCell');

function savedAsOf(page: NotebookPage): AsOfChoice | undefined {
  return sentOf(page, 'documentChanged').at(-1)?.params.document.asOf;
}

async function pick(page: NotebookPage, kind: AsOfChoice['kind']): Promise<void> {
  await page.page.locator('[data-name="as-of"]').click();
  await page.page.locator(`[data-name="as-of"] vscode-option[value="${kind}"]`).click();
}

describe('the as-of control of the notebook scope bar', () => {
  const browser = suiteBrowser();

  it('sends now, end of scope or a typed instant with each run, saves it, and shows the instant that answered (screenshot)', async () => {
    const answered = Date.parse('2024-01-31T14:00:00Z');
    const host = scriptedHost({ run: (_sql, reply, id) => reply({ kind: 'reply', id, ok: true, result: { ...manyRows(3), asOf: answered } }) });
    await withPage(openNotebookPage(browser(), 'dark', host.handler), async (nb) => {
      const { page } = nb;
      await page.waitForSelector('.as-of [data-name="as-of"]');
      const run = async (): Promise<AsOfChoice | undefined> => {
        const count = runsOf(nb).length;
        await page.locator('[data-action="run"]').first().click();
        await waitFor(() => runsOf(nb).length === count + 1, 'the run');
        await page.waitForSelector('.cell-count >> text=as of 2024-01-31 14:00:00 UTC');
        return runsOf(nb).at(-1)!.params.asOf;
      };
      assert.deepEqual(await run(), { kind: 'now' });
      assert.equal(await page.locator('[data-name="as-of-instant"]').isVisible(), false);

      await pick(nb, 'scope-end');
      assert.deepEqual(await run(), { kind: 'scope-end' });
      await waitFor(() => savedAsOf(nb)?.kind === 'scope-end', 'the document saves end of scope');

      await pick(nb, 'instant');
      const field = page.locator('[data-name="as-of-instant"]');
      assert.equal(await field.isVisible(), true);
      await field.locator('input').fill('last tuesday');
      await field.locator('input').press('Enter');
      await field.locator('input').blur();
      assert.equal(await field.evaluate((n) => n.classList.contains('invalid')), true, 'a bad instant is marked and not taken');
      assert.equal(savedAsOf(nb)?.kind, 'scope-end');
      await field.locator('input').fill('2024-01-31T15:00:00+01:00');
      await field.locator('input').blur();
      await waitFor(() => savedAsOf(nb)?.kind === 'instant', 'the document saves the instant');
      assert.deepEqual(savedAsOf(nb), { kind: 'instant', at: '2024-01-31T15:00:00+01:00' });
      assert.deepEqual(await run(), { kind: 'instant', at: '2024-01-31T15:00:00+01:00' });
      await page.mouse.move(0, 0);
      await page.locator('.scope-bar').screenshot({ path: path.join(SCREENSHOTS, 'notebook-as-of-scope-bar.png') });

      await pick(nb, 'now');
      await waitFor(() => savedAsOf(nb) === undefined, 'now is the default: the document drops it');
      assert.deepEqual(await run(), { kind: 'now' });
      assert.deepEqual(realProblems(nb), []);
      assert.deepEqual(await cspViolations(nb), []);
    });
  });

  it('opens with the choice the notebook file saved', async () => {
    const document = { ...aDocument(), asOf: { kind: 'instant' as const, at: '2024-01-15T08:30:00Z' } };
    const host = scriptedHost({ document, run: (_sql, reply, id) => reply({ kind: 'reply', id, ok: true, result: manyRows(1) }) });
    await withPage(openNotebookPage(browser(), 'light', host.handler), async (nb) => {
      const { page } = nb;
      await page.waitForSelector('.as-of[data-as-of="instant"]');
      assert.equal(await page.locator('[data-name="as-of-instant"]').evaluate((n) => (n as HTMLElement & { value: string }).value), '2024-01-15T08:30:00Z');
      await page.locator('[data-action="run"]').first().click();
      await waitFor(() => runsOf(nb).length === 1, 'the run');
      assert.deepEqual(runsOf(nb)[0]!.params.asOf, { kind: 'instant', at: '2024-01-15T08:30:00Z' });
    });
  });
});
