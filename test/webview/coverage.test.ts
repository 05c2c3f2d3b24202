/** The Coverage webview in real Chromium: the summary and its rules, the heatmap and its marks, zoom to hours and back, opening files, the keyboard, progress and cancel, hostile text. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CoverageHostMessage, CoverageStatus, CoverageView, CoverageWebviewMessage } from '../../src/protocol/coverage';
import { buildCoverageView } from '../../src/extension/coverage/view';
import { coverageHandlers } from '../../src/worker/coverage/handlers';
import { writeCoverageTree } from '../support/coverageTree';
import type { DeliveryTree } from '../support/deliveryTree';
import { cspViolations, fullPageShot, openCoveragePage, realProblems, sentOf, suiteBrowser, waitFor, withPage, type CoveragePage } from './harness';

const SHOW = { title: 'Coverage: audit-bucket/logs', scopeLabel: 'gs://audit-bucket/logs · 2024-03-01…2024-03-02' };

function host(status: CoverageStatus) {
  return async (message: CoverageWebviewMessage, send: (m: CoverageHostMessage) => Promise<void>) => {
    if (message.method !== 'ready') return;
    await send({ kind: 'notify', method: 'show', params: SHOW });
    await send({ kind: 'notify', method: 'status', params: status });
  };
}

const dayCell = (c: CoveragePage, workspaceId: string, date: string) => c.page.locator(`.cv-grid-days .cv-cell[data-workspace="${workspaceId}"][data-date="${date}"]`);

describe('coverage webview in Chromium', () => {
  const browser = suiteBrowser();
  let tree: DeliveryTree;
  let view: CoverageView;

  before(async () => {
    tree = writeCoverageTree();
    const run = await coverageHandlers.measure({ sources: [tree.root] }, { signal: new AbortController().signal, progress: () => {}, chunk: async () => {} });
    view = buildCoverageView(run);
  });
  after(() => tree.remove());

  it('shows the summary with its rules, a legend, and the heatmap with gaps, duplicates and a stopped workspace marked, in light and dark (screenshots)', async () => {
    for (const theme of ['light', 'dark'] as const) {
      await withPage(openCoveragePage(browser(), theme, host({ state: 'ready', view, durationMs: 42 })), async (c) => {
        const { page } = c;
        await page.waitForSelector('.cv-grid-days');
        assert.equal(await page.locator('.cv-title').textContent(), SHOW.title);
        const stat = async (name: string) => page.locator(`.cv-stat[data-stat="${name}"] .cv-stat-value`).textContent();
        assert.deepEqual([await stat('files'), await stat('events'), await stat('gaps'), await stat('stopped'), await stat('duplicates'), await stat('late-files'), await stat('rewritten-files')], ['5', '1,306', '2', '1', '1', '0', '0']);
        assert.match((await page.locator('.cv-stat[data-stat="gaps"]').getAttribute('title')) ?? '', /each hold at least 20 events/);
        assert.equal(await page.locator('.cv-rules li').count(), 5);
        assert.deepEqual(await page.locator('.cv-row-head .cv-ws').allTextContents(), ['7', '8', '9']);
        assert.deepEqual(await page.locator('.cv-day').allTextContents(), ['1', '2']);
        assert.equal(await page.locator('.cv-row-head.cv-stopped').count(), 1);
        assert.equal(await page.locator('.cv-row-head.cv-stopped .cv-ws').textContent(), '8');
        assert.equal(await page.locator('.cv-stopped-mark').getAttribute('title'), 'Delivery may have stopped: last event 2024-03-01 05:00 UTC');
        const gapDay = dayCell(c, '7', '2024-03-01');
        assert.match((await gapDay.getAttribute('class')) ?? '', /\bcv-gap\b.*\bcv-dup\b|\bcv-dup\b.*\bcv-gap\b/);
        assert.match((await gapDay.getAttribute('title')) ?? '', /Gap: No events from 2024-03-01 10:00 to 2024-03-01 12:00 UTC/);
        assert.match((await gapDay.getAttribute('title')) ?? '', /1 event delivered more than once/);
        assert.match((await dayCell(c, '7', '2024-03-02').getAttribute('class')) ?? '', /cv-l5/);
        assert.match((await dayCell(c, '9', '2024-03-01').getAttribute('class')) ?? '', /cv-l0/, 'no events: the empty shade');
        assert.match((await dayCell(c, '8', '2024-03-02').getAttribute('class')) ?? '', /cv-gap/, 'the stopped silence is outlined too');
        assert.ok((await page.locator('.cv-legend .cv-key').count()) >= 4, 'a legend of shades, gaps and duplicates');
        assert.ok((await page.locator('.cv-notes li').count()) >= 1, 'the duplicate is named in the notes');
        await fullPageShot(c, `coverage-${theme}.png`);
        assert.deepEqual(realProblems(c), []);
        assert.deepEqual(await cspViolations(c), []);
      });
    }
  });

  it('zooms a day to its 24 hours on click, opens an hour\'s files, the day\'s files, and goes back', async () => {
    await withPage(openCoveragePage(browser(), 'dark', host({ state: 'ready', view, durationMs: 42 })), async (c) => {
      const { page } = c;
      await dayCell(c, '7', '2024-03-01').click();
      await page.waitForSelector('.cv-grid-hours');
      assert.equal(await page.locator('.cv-hour-cell').count(), 24);
      assert.match((await page.locator('.cv-zoom-title').textContent()) ?? '', /Workspace 7 · 2024-03-01/);
      assert.deepEqual(await page.locator('.cv-hour-cell.cv-gap').evaluateAll((cells) => cells.map((e) => (e as HTMLElement).dataset.hour)), ['10', '11']);
      assert.equal(await page.locator('.cv-hour-cell[data-hour="3"]').textContent(), '27');
      await page.locator('.cv-hour-cell[data-hour="3"]').click();
      await waitFor(() => sentOf(c, 'openFiles').length === 1, 'openFiles of the hour');
      assert.deepEqual(sentOf(c, 'openFiles')[0]!.params, { workspaceId: '7', date: '2024-03-01', hour: 3 });
      await page.locator('[data-action="open-day"]').click();
      await waitFor(() => sentOf(c, 'openFiles').length === 2, 'openFiles of the day');
      assert.deepEqual(sentOf(c, 'openFiles')[1]!.params, { workspaceId: '7', date: '2024-03-01' });
      await page.locator('[data-action="back"]').click();
      await page.waitForSelector('.cv-grid-days');
      assert.equal(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.date), '2024-03-01', 'the focus returns to the day');
      assert.deepEqual(realProblems(c), []);
    });
  });

  it('works from the keyboard: one tab stop, arrows move, Enter zooms and opens, O opens a day\'s files, Escape goes back', async () => {
    await withPage(openCoveragePage(browser(), 'light', host({ state: 'ready', view, durationMs: 42 })), async (c) => {
      const { page } = c;
      await page.waitForSelector('.cv-grid-days');
      assert.equal(await page.locator('.cv-grid-days .cv-cell[tabindex="0"]').count(), 1);
      await page.locator('.cv-grid-days .cv-cell[tabindex="0"]').focus();
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowRight');
      const focused = () => page.evaluate(() => ({ ...(document.activeElement as HTMLElement).dataset }));
      assert.deepEqual([(await focused()).workspace, (await focused()).date], ['8', '2024-03-02']);
      await page.keyboard.press('o');
      await waitFor(() => sentOf(c, 'openFiles').length === 1, 'openFiles by O');
      assert.deepEqual(sentOf(c, 'openFiles')[0]!.params, { workspaceId: '8', date: '2024-03-02' });
      await page.keyboard.press('ArrowUp');
      await page.keyboard.press('Enter');
      await page.waitForSelector('.cv-grid-hours');
      assert.equal((await focused()).hour, '0', 'the zoom focuses its first hour');
      await page.keyboard.press('End');
      assert.equal((await focused()).hour, '23');
      await page.keyboard.press('Enter');
      await waitFor(() => sentOf(c, 'openFiles').length === 2, 'openFiles by Enter');
      assert.deepEqual(sentOf(c, 'openFiles')[1]!.params, { workspaceId: '7', date: '2024-03-02', hour: 23 });
      await page.keyboard.press('Escape');
      await page.waitForSelector('.cv-grid-days');
      assert.deepEqual([(await focused()).workspace, (await focused()).date], ['7', '2024-03-02']);
    });
  });

  it('shows progress with Cancel while loading, asks to run again, and shows errors as text', async () => {
    let sendStatus: ((s: CoverageStatus) => Promise<void>) | undefined;
    await withPage(
      openCoveragePage(browser(), 'dark', async (message, send) => {
        sendStatus = (status) => send({ kind: 'notify', method: 'status', params: status });
        if (message.method === 'ready') await sendStatus({ state: 'loading', message: 'Reading workspaceId=7/date=2024-03-01/auditlogs_a.json', done: 50, total: 200 });
      }),
      async (c) => {
        const { page } = c;
        await page.waitForSelector('.cv-status vscode-progress-ring');
        assert.equal(await page.locator('.cv-status span').textContent(), 'Reading workspaceId=7/date=2024-03-01/auditlogs_a.json (25%)');
        await page.locator('[data-action="cancel"]').click();
        await waitFor(() => sentOf(c, 'cancel').length === 1, 'cancel');
        await sendStatus!({ state: 'cancelled' });
        await page.waitForFunction(() => document.querySelector('.cv-status')?.textContent === 'Cancelled.');
        assert.equal(await page.locator('[data-action="cancel"]').isHidden(), true);
        await page.locator('[data-action="run"]').click();
        await waitFor(() => sentOf(c, 'run').length === 1, 'run again');
        await sendStatus!({ state: 'error', error: { code: 'not-found', userMessage: 'Not found: <b>gs://x</b>', detail: '<img src=x>' } });
        await page.waitForSelector('.cv-error-detail');
        assert.equal(await page.locator('.cv-status span').textContent(), 'Not found: <b>gs://x</b>');
        assert.equal(await page.locator('.cv-status b, .cv-status img').count(), 0);
      },
    );
  });

  it('puts hostile file names and notes in as text', async () => {
    const hostile: CoverageView = { ...view, notes: ['Late: /logs/<img src=x onerror="window.__pwned=1">.json was written 300 minutes after its newest event.', 'RTL \u202Etxt.exe'] };
    await withPage(openCoveragePage(browser(), 'dark', host({ state: 'ready', view: hostile, durationMs: 1 })), async (c) => {
      const { page } = c;
      await page.waitForSelector('.cv-notes li');
      assert.equal(await page.locator('.cv-notes img').count(), 0);
      assert.match((await page.locator('.cv-notes li').first().textContent()) ?? '', /<img src=x onerror=/);
      assert.doesNotMatch((await page.locator('.cv-notes li').nth(1).textContent()) ?? '', /\u202E/, 'bidi controls are shown, not obeyed');
      assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
      assert.deepEqual(await cspViolations(c), []);
    });
  });
});
