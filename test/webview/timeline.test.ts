/** The Timeline webview in real Chromium: lanes, zoom and pan, the grid, pivots, controls, progress and cancel, hostile text. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cspViolations, fullPageShot, openNotebookPage, openTimelinePage, realProblems, sentOf, suiteBrowser, waitFor, withPage, type TimelinePage } from './harness';
import { scriptedHost } from './builders';
import { A_SCOPE, anEvent, aQuery, aTimeline, manyEvents, T0, timelineHost } from '../support/timelineEvents';

async function visibleRange(tl: TimelinePage): Promise<{ start: number; end: number; visible: number }> {
  return tl.page.locator('.tl-strip').evaluate((e: HTMLElement) => ({ start: Number(e.dataset.start), end: Number(e.dataset.end), visible: Number(e.dataset.visible) }));
}

/** Pixels of the canvas that are not transparent: the marks and the axis were drawn. */
async function paintedPixels(tl: TimelinePage): Promise<number> {
  return tl.page.locator('.tl-canvas').evaluate((c: HTMLCanvasElement) => {
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
    return n;
  });
}

describe('timeline webview in Chromium', () => {
  const browser = suiteBrowser();

  it('draws a lane per workspace × service, the summary and the events, in light and dark (screenshots)', async () => {
    const timeline = aTimeline(manyEvents(600));
    for (const theme of ['light', 'dark'] as const) {
      await withPage(openTimelinePage(browser(), theme, timelineHost(timeline)), async (tl) => {
        const { page } = tl;
        await page.waitForSelector('.grid-row');
        const lanes = new Set(timeline.events.map((e) => `${e.workspaceId === '0' ? 'account' : e.workspaceId} · ${e.serviceName}`));
        assert.deepEqual(new Set(await page.locator('.tl-lane-label').allTextContents()), lanes);
        assert.equal(await page.locator('.tl-lane-label').first().textContent(), 'account · accounts', 'the account level comes first');
        assert.match((await page.locator('.tl-title').textContent()) ?? '', /Timeline: actor alice@example\.com/);
        assert.match((await page.locator('.tl-summary').textContent()) ?? '', /Events600/);
        assert.match((await page.locator('.tl-summary').textContent()) ?? '', /First seen2026-11-30 09:00:00\.000 UTC/);
        assert.equal(await page.locator('.tl-list[data-list="IP addresses"] .tl-pivot').count(), 3);
        assert.equal((await visibleRange(tl)).visible, 600);
        assert.deepEqual(await page.evaluate(() => (window as unknown as { __savedState: unknown }).__savedState), { query: aQuery(), scope: A_SCOPE }, 'the page keeps its query and scope for a reload');
        await waitFor(() => true, 'first frame');
        await page.waitForFunction(() => (document.querySelector('.tl-canvas') as HTMLCanvasElement).width > 100);
        assert.ok((await paintedPixels(tl)) > 500, 'marks drawn on the canvas');
        await fullPageShot(tl, `timeline-${theme}.png`);
        assert.deepEqual(realProblems(tl), []);
        assert.deepEqual(await cspViolations(tl), []);
      });
    }
  });

  it('zooms with the buttons and the wheel, pans by dragging, and Fit shows every event again', async () => {
    await withPage(openTimelinePage(browser(), 'dark', timelineHost(aTimeline(manyEvents(2000)))), async (tl) => {
      const { page } = tl;
      await page.waitForSelector('.tl-lane-label');
      const full = await visibleRange(tl);
      await page.locator('[data-action="zoom-in"]').click();
      const zoomed = await visibleRange(tl);
      assert.ok(zoomed.end - zoomed.start < (full.end - full.start) * 0.7, 'the zoom-in button narrows the range');
      assert.ok(zoomed.visible < full.visible, 'fewer events in view');

      const box = (await page.locator('.tl-canvas').boundingBox())!;
      await page.mouse.move(box.x + box.width * 0.25, box.y + box.height / 2);
      await page.mouse.wheel(0, -300);
      await page.waitForFunction((span) => {
        const e = document.querySelector('.tl-strip') as HTMLElement;
        return Number(e.dataset.end) - Number(e.dataset.start) < span;
      }, zoomed.end - zoomed.start);
      const wheeled = await visibleRange(tl);
      assert.ok(wheeled.end - wheeled.start < zoomed.end - zoomed.start, 'the wheel zooms in');

      await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.4, box.y + box.height / 2, { steps: 5 });
      await page.mouse.up();
      const panned = await visibleRange(tl);
      assert.ok(Math.abs(panned.end - panned.start - (wheeled.end - wheeled.start)) < 2, 'panning keeps the span');
      assert.ok(panned.start > wheeled.start, 'dragging left shows later events');

      await page.locator('[data-action="zoom-fit"]').click();
      assert.deepEqual(await visibleRange(tl), full);
      assert.equal(sentOf(tl, 'pivot').length, 0, 'dragging picks nothing');
      assert.deepEqual(realProblems(tl), []);
    });
  });

  it('keeps 10,000 events readable: every lane drawn, the grid virtual, a click on the strip scrolls the grid there', async () => {
    await withPage(openTimelinePage(browser(), 'light', timelineHost(aTimeline(manyEvents(10_000)))), async (tl) => {
      const { page } = tl;
      await page.waitForSelector('.grid-row');
      assert.equal(await page.locator('.tl-lane-label').count(), 15);
      assert.match((await page.locator('.tl-status').textContent()) ?? '', /10,000 events/);
      const rows = await page.locator('.grid-row').count();
      assert.ok(rows > 5 && rows < 100, `DOM rows: ${rows}`);
      const box = (await page.locator('.tl-canvas').boundingBox())!;
      await page.mouse.click(box.x + box.width * 0.9, box.y + box.height / 2);
      await page.waitForFunction(() => Number((document.querySelector('.grid-row .grid-rownum') as HTMLElement | null)?.textContent ?? '0') > 5000);
      assert.ok((await paintedPixels(tl)) > 2000);
    });
  });

  it('opens raw lines, and pivots from the summary links and from a grid cell to the right identity', async () => {
    const events = [anEvent({ requestId: 'req-42', sessionId: 'sess-9', _line: 7 }), anEvent({ timestamp: T0 + 60_000, sourceIPAddress: '203.0.113.9', requestId: 'req-43', _line: 8 })];
    await withPage(openTimelinePage(browser(), 'light', timelineHost(aTimeline(events))), async (tl) => {
      const { page } = tl;
      await page.waitForSelector('.grid-row');
      await page.locator('.tl-list[data-list="IP addresses"] .tl-pivot', { hasText: '203.0.113.9' }).click();
      await page.locator('.tl-list[data-list="Sessions"] .tl-pivot', { hasText: 'sess-9' }).click();
      const requestCell = page.locator('.grid-row').first().locator(`.grid-cell[data-col="8"]`);
      assert.equal(await requestCell.textContent(), 'req-42');
      await requestCell.click({ button: 'right' });
      await page.locator('.cell-menu [data-action="show-timeline"]').click();
      await waitFor(() => sentOf(tl, 'pivot').length === 3, 'three pivots');
      assert.deepEqual(
        sentOf(tl, 'pivot').map((m) => m.params.identity),
        [
          { kind: 'ip', value: '203.0.113.9' },
          { kind: 'session', value: 'sess-9' },
          { kind: 'request', value: 'req-42' },
        ],
      );
      // A cell holding no identity offers no menu.
      await page.locator('.grid-row').first().locator('.grid-cell[data-col="3"]').click({ button: 'right' });
      assert.equal(await page.locator('.cell-menu').count(), 0);
      await page.locator('.grid-row').first().locator('.grid-rownum').dblclick();
      await waitFor(() => sentOf(tl, 'openRaw').length === 1, 'openRaw');
      assert.deepEqual(sentOf(tl, 'openRaw')[0]!.params, { file: events[0]!._file, line: 7 });
    });
  });

  it('sends the window and as-of the user sets, refuses a bad date, and shows progress with a working Cancel', async () => {
    const timeline = aTimeline(manyEvents(50));
    await withPage(openTimelinePage(browser(), 'light', timelineHost(timeline)), async (tl) => {
      const { page } = tl;
      await page.waitForSelector('.grid-row');
      const from = page.locator('[data-name="from"]');
      await from.evaluate((e: HTMLElement & { value: string }) => {
        e.value = '2026-13-01';
        e.dispatchEvent(new Event('change'));
      });
      await page.locator('[data-action="run"]').click();
      await page.locator('.tl-status[data-state="error"]', { hasText: 'From and To must be dates (yyyy-mm-dd)' }).waitFor();
      assert.equal(sentOf(tl, 'run').length, 0, 'a bad date is not sent');

      await page.locator('[data-name="window-mode"]').evaluate((e: HTMLElement & { value: string }) => {
        e.value = 'around';
        e.dispatchEvent(new Event('change'));
      });
      await page.locator('[data-name="around"]').evaluate((e: HTMLElement & { value: string }) => {
        e.value = '2026-11-30T12:00:00Z';
        e.dispatchEvent(new Event('change'));
      });
      await page.locator('[data-name="as-of"]').evaluate((e: HTMLElement & { value: string }) => {
        e.value = 'scope-end';
        e.dispatchEvent(new Event('change'));
      });
      await page.locator('[data-action="run"]').click();
      await waitFor(() => sentOf(tl, 'run').length === 1, 'run');
      assert.deepEqual(sentOf(tl, 'run')[0]!.params, { window: { kind: 'around', at: '2026-11-30T12:00:00Z', windowMs: 6 * 3_600_000 }, asOf: { kind: 'scope-end' } });

      await tl.send({ kind: 'notify', method: 'status', params: { state: 'loading', message: 'Reading files', done: 3, total: 12 } });
      await page.locator('.tl-status', { hasText: 'Reading files (3 of 12)' }).waitFor();
      assert.equal(await page.locator('.tl-status vscode-progress-ring').count(), 1);
      await page.locator('[data-action="cancel"]').click();
      await waitFor(() => sentOf(tl, 'cancel').length === 1, 'cancel');
      await tl.send({ kind: 'notify', method: 'status', params: { state: 'cancelled' } });
      await page.locator('.tl-status', { hasText: 'Cancelled.' }).waitFor();
      assert.equal(await page.locator('[data-action="cancel"]').isVisible(), false);
      await tl.send({ kind: 'notify', method: 'status', params: { state: 'ready', timeline: aTimeline([], aQuery().identity), durationMs: 5 } });
      await page.locator('.tl-status', { hasText: 'No events of this identity in the window.' }).waitFor();
      await tl.send({ kind: 'notify', method: 'status', params: { state: 'ready', timeline, durationMs: 5, eventsFound: 250_000 } });
      await page.locator('.tl-status', { hasText: '50 events in 5 ms · showing the first 50: narrow the window to see the rest' }).waitFor();
      await tl.send({ kind: 'notify', method: 'status', params: { state: 'ready', timeline: aTimeline([], aQuery().identity), durationMs: 5 } });
      assert.equal(await page.locator('.grid-row').count(), 0);
      assert.equal(await page.locator('.tl-strip').isVisible(), false);
    });
  });

  it("offers Show Timeline on a notebook grid cell that holds an identity, and nothing on one that does not", async () => {
    const columns = ['email', 'sourceIPAddress', 'n', 'requestParams'];
    const host = scriptedHost({
      run: (_sql, reply, id) => reply({ kind: 'reply', id, ok: true, result: { columns, columnKinds: ['value', 'value', 'value', 'json'], rows: [['ann@example.com', '203.0.113.9', 4, '{"user":"x@y.z"}']], rowCount: 1, truncated: false, durationMs: 3 } }),
    });
    await withPage(openNotebookPage(browser(), 'light', host.handler), async (nb) => {
      const { page } = nb;
      await page.locator('[data-action="run"]').first().click();
      const row = page.locator('.cell').first().locator('.grid-row').first();
      await row.waitFor();
      const shown: unknown[] = [];
      for (const column of [0, 1]) {
        await row.locator(`.grid-cell[data-col="${column}"]`).click({ button: 'right' });
        const item = page.locator('.cell-menu [data-action="show-timeline"]');
        assert.match((await item.textContent()) ?? '', column === 0 ? /^Show Timeline of actor ann@example\.com$/ : /^Show Timeline of IP address 203\.0\.113\.9$/);
        await item.click();
        assert.equal(await page.locator('.cell-menu').count(), 0, 'the menu closes');
      }
      await waitFor(() => nb.sent.filter((m) => m.method === 'showTimeline').length === 2, 'two showTimeline messages');
      for (const m of nb.sent) if (m.method === 'showTimeline') shown.push(m.params);
      assert.deepEqual(shown, [{ identity: { kind: 'actor', value: 'ann@example.com' } }, { identity: { kind: 'ip', value: '203.0.113.9' } }]);
      for (const column of [2, 3]) {
        await row.locator(`.grid-cell[data-col="${column}"]`).click({ button: 'right' });
        assert.equal(await page.locator('.cell-menu').count(), 0, `no menu on column ${column}`);
      }
      await row.locator('.grid-cell[data-col="0"]').click({ button: 'right' });
      await page.keyboard.press('Escape');
      assert.equal(await page.locator('.cell-menu').count(), 0, 'Escape closes the menu');
      assert.deepEqual(realProblems(nb), []);
    });
  });

  it('keeps hostile log text as text: no element, handler or dialog comes from it', async () => {
    const hostile = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
    const events = [
      anEvent({ serviceName: hostile, actionName: hostile, userAgent: hostile, sourceIPAddress: '198.51.100.7', sessionId: hostile, errorMessage: hostile }),
      anEvent({ timestamp: T0 + 1000, workspaceId: '0', serviceName: 'accounts\u202Egnp.exe', userAgent: `${hostile}\u202E` }),
    ];
    const identity = { kind: 'actor' as const, value: `<b>${hostile}</b>@example.com` };
    await withPage(openTimelinePage(browser(), 'dark', timelineHost(aTimeline(events, identity))), async (tl) => {
      const { page } = tl;
      await page.waitForSelector('.grid-row');
      assert.equal(await page.locator('img, script:not([nonce]), b').count(), 0);
      assert.ok((await page.locator('.tl-lane-label').allTextContents()).includes(`1234567890123456 · ${hostile}`));
      assert.ok((await page.locator('.tl-lane-label').allTextContents()).includes('account · accounts[U+202E]gnp.exe'), 'bidi controls are shown, not obeyed');
      assert.match((await page.locator('.tl-title').textContent()) ?? '', /<b><img src=x/);
      assert.ok((await page.locator('.tl-list[data-list="User agents"]').textContent())?.includes(hostile));
      assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
      assert.deepEqual(realProblems(tl), []);
      assert.deepEqual(await cspViolations(tl), []);
    });
  });
});
