/**
 * Hostile values in every log field, shown in the grid, the JSON view, the charts, the scope bar,
 * the library and error messages, in real Chromium: nothing executes. A payload that ran would
 * set window.__pwned, open a dialog, create an element, or trip the CSP.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CellResult } from '../../src/protocol/notebook';
import { cspViolations, openNotebookPage, realProblems, suiteBrowser } from './harness';
import { aDocument, scriptedHost } from './builders';
import type { CellValue } from '../../src/core/sql/values';
import { hasBidiControls, showBidiControls } from '../../src/shared/text/untrusted';
import { EVENT_COLUMNS, OBJECT_COLUMNS } from '../../src/shared/auditRecord';

const HOSTILE = [
  `<script>window.__pwned='script'</script>`,
  `<img src=x onerror="window.__pwned='img'">`,
  `javascript:window.__pwned='js'`,
  `<svg onload="window.__pwned='svg'"><script>window.__pwned='svg-script'</script></svg>`,
  `<a href="javascript:window.__pwned='a'">click</a>`,
  `"><iframe srcdoc="<script>parent.__pwned='iframe'</script>"></iframe>`,
  `\u202Egnp.exe\u202C \u2066isolated\u2069 \u200F`,
  `{{constructor.constructor('window.__pwned="template"')()}}`,
  `<style>body{display:none}</style><link rel=stylesheet href=x>`,
];

const COLUMNS: readonly string[] = EVENT_COLUMNS;
const JSON_COLUMNS: ReadonlySet<string> = new Set(OBJECT_COLUMNS);

function hostileRow(payload: string, i: number): CellValue[] {
  return COLUMNS.map((c) => {
    if (c === 'timestamp') return 1_704_067_200_000 + i * 86_400_000;
    if (c === 'userIdentity') return JSON.stringify({ email: payload });
    if (c === 'requestParams') return JSON.stringify({ [payload]: payload, nested: JSON.stringify({ deep: payload }) });
    if (c === 'response') return JSON.stringify({ statusCode: 200, errorMessage: payload, result: payload });
    return payload;
  });
}

function hostileResult(): CellResult {
  const rows = HOSTILE.map(hostileRow);
  return { columns: [...COLUMNS.slice(0, -1), HOSTILE[1]], columnKinds: COLUMNS.map((c) => (JSON_COLUMNS.has(c) ? 'json' : 'value')), rows, rowCount: rows.length, truncated: false, durationMs: 1 };
}

function hostileBars(): CellResult {
  return { columns: ['label', 'n'], columnKinds: ['value', 'value'], rows: HOSTILE.map((p, i) => [p, i + 1]), rowCount: HOSTILE.length, truncated: false, durationMs: 1 };
}

describe('hostile corpus in Chromium', () => {
  const browser = suiteBrowser();

  it('renders every hostile value as text in the grid, JSON view, charts, scope, library and errors; nothing runs', async () => {
    let runs = 0;
    const doc = aDocument(HOSTILE.slice(0, 3).map((p) => ({ title: p, sql: `SELECT '${p}'` })));
    doc.scope.sources = [HOSTILE[2], HOSTILE[0]];
    const host = scriptedHost({
      document: doc,
      library: HOSTILE.map((p, i) => ({ id: `h${i}`, title: p, question: p, rationale: p, sql: p, category: 'detection' as const })),
      histogram: HOSTILE.flatMap((p, i) => [{ date: `2024-01-0${(i % 9) + 1}`, serviceName: p, count: i + 1 }]),
      status: { state: 'error', error: { code: 'data', userMessage: HOSTILE[1], detail: HOSTILE[0] } },
      run: (_sql, reply, id) => {
        runs++;
        if (runs === 1) return reply({ kind: 'reply', id, ok: true, result: hostileResult() });
        if (runs === 2) return reply({ kind: 'reply', id, ok: true, result: hostileBars() });
        return reply({ kind: 'reply', id, ok: false, error: { code: 'sql', userMessage: HOSTILE[3], detail: HOSTILE[5], position: { offset: 2, length: 5 } } });
      },
    });
    const nb = await openNotebookPage(browser(), 'dark', host.handler);
    try {
      const { page } = nb;
      await page.waitForFunction(() => document.querySelectorAll('.cell').length === 3);
      await nb.send({ kind: 'notify', method: 'scopeStatus', params: { state: 'ready', summary: { files: 1, bytes: 1, recordsLoaded: 9, linesRejected: 0, problemCount: 0, durationMs: 1 } } });
      await page.waitForSelector('.histogram svg rect');

      const cells = page.locator('.cell');
      await cells.nth(0).locator('[data-action="run"]').click();
      await page.waitForSelector('.cell >> nth=0 >> .grid-row');
      const gridText = await cells.nth(0).locator('.grid-body').textContent();
      for (const p of HOSTILE) assert.ok(gridText?.includes(showBidiControls(p)), `grid shows ${JSON.stringify(p)} as text`);
      assert.equal(await cells.nth(0).locator('.grid-header-cell').last().textContent(), HOSTILE[1]);

      // Every JSON cell of every row opens in the pretty view.
      for (let r = 0; r < HOSTILE.length; r++) {
        for (const column of ['userIdentity', 'requestParams', 'response']) {
          await cells.nth(0).locator(`.grid-row[data-pos="${r}"] .grid-cell[data-col="${COLUMNS.indexOf(column)}"]`).dblclick();
          const text = await cells.nth(0).locator('.json-panel').textContent();
          const shown = showBidiControls(HOSTILE[r]!);
          assert.ok(text?.includes(showBidiControls(JSON.stringify(HOSTILE[r]).slice(1, -1))) || text?.includes(shown), `${column} of row ${r} shown as text`);
          assert.equal(hasBidiControls(text ?? ''), false, `${column} of row ${r}: bidi controls shown as markers`);
        }
      }
      await cells.nth(0).locator('[data-action="toggle-chart"]').click();
      await page.waitForSelector('.cell >> nth=0 >> .chart svg');

      await cells.nth(1).locator('[data-action="run"]').click();
      await page.waitForSelector('.cell >> nth=1 >> .grid-row');
      await cells.nth(1).locator('[data-action="toggle-chart"]').click();
      await page.waitForSelector('.cell >> nth=1 >> .chart-bars svg rect');
      const titles = await cells.nth(1).locator('svg title').allTextContents();
      for (const p of HOSTILE) assert.ok(titles.some((t) => t.startsWith(showBidiControls(p))), `bar title keeps ${JSON.stringify(p)}`);
      const barLabels = await cells.nth(1).locator('.chart-label').allTextContents();
      assert.ok(barLabels.some((l) => l.startsWith('[U+202E]gnp.exe')), `bar labels mark bidi controls: ${barLabels.join(' | ')}`);

      await cells.nth(2).locator('[data-action="run"]').click();
      await page.waitForSelector('.cell >> nth=2 >> .cell-error');
      assert.match((await cells.nth(2).locator('.cell-error').textContent()) ?? '', /<svg onload=/);

      await page.locator('vscode-dropdown[data-name="library"]').click();
      await page.locator('[data-name="library"] vscode-option').nth(2).click();
      await page.waitForFunction(() => document.querySelectorAll('.cell').length === 4);

      const legend = await page.locator('.histogram .chart-legend').textContent();
      assert.ok(legend?.includes(HOSTILE[8]), `legend: ${legend}`);
      assert.ok(legend?.includes('[U+202E]gnp.exe[U+202C] [U+2066]isolated[U+2069] [U+200F]'), `legend marks bidi controls: ${legend}`);
      assert.ok(gridText?.includes('[U+202E]gnp.exe[U+202C]'), 'grid marks bidi controls');
      const rendered = await page.locator('.grid-body, .grid-header, .json-panel, .chart, .chart-legend, .cell-error, .scope-status').allTextContents();
      assert.deepEqual(rendered.filter(hasBidiControls), [], 'no bidi control reaches a cell, a header, the JSON view, a chart, a legend, an error or the scope bar');
      assert.match((await page.locator('.scope-status').textContent()) ?? '', /records loaded/);

      const state = await page.evaluate(() => ({
        pwned: (window as unknown as { __pwned?: unknown }).__pwned,
        scripts: document.scripts.length,
        injected: document.querySelectorAll('#app img, #app iframe, #app a, #app script, #app style, #app link, #app svg [onload], #app [onerror], #app [onclick]').length,
        hidden: getComputedStyle(document.body).display,
      }));
      assert.deepEqual(state, { pwned: undefined, scripts: 1, injected: 0, hidden: 'block' });
      assert.deepEqual(realProblems(nb), []);
      assert.deepEqual(await cspViolations(nb), []);
    } finally {
      await nb.close();
    }
  });
});
