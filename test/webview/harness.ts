/**
 * Runs the built notebook webview (dist/webview.js) in Debian's Chromium: a local HTTP server on
 * 127.0.0.1 serves the same HTML the extension builds (same CSP), a stubbed acquireVsCodeApi
 * records every message, and a FakeHost in this process replies the way the extension would.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { after, before } from 'node:test';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { webviewHtml } from '../../src/extension/webview/html';
import type { HostMessage, WebviewMessage } from '../../src/protocol/notebook';
import type { CoverageHostMessage, CoverageWebviewMessage } from '../../src/protocol/coverage';
import type { TimelineHostMessage, TimelineWebviewMessage } from '../../src/protocol/timeline';
import { themes, type ThemeName } from './themes';

const ROOT = path.resolve(__dirname, '../..');
export const CHROMIUM = '/usr/bin/chromium';
export const chromiumAvailable = existsSync(CHROMIUM);

/**
 * Builds dist/webview.js, dist/timeline.js and dist/coverage.js the way esbuild.config.mjs does, so
 * the test runs the current code. Test files run side by side and the host suite serves these
 * files: each is replaced whole (written beside, then renamed), and only when it changed.
 */
export async function buildWebview(): Promise<void> {
  const built = await esbuild.build({
    write: false,
    entryPoints: { webview: path.join(ROOT, 'webview/main.ts'), timeline: path.join(ROOT, 'webview/timeline/main.ts'), coverage: path.join(ROOT, 'webview/coverage/main.ts') },
    outdir: path.join(ROOT, 'dist'),
    bundle: true,
    sourcemap: true,
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
    logLevel: 'warning',
    legalComments: 'none',
  });
  await mkdir(path.join(ROOT, 'dist'), { recursive: true });
  for (const file of built.outputFiles) {
    const current = await readFile(file.path).catch(() => undefined);
    if (current?.equals(file.contents)) continue;
    const beside = `${file.path}.${process.pid}.tmp`;
    await writeFile(beside, file.contents);
    await rename(beside, file.path);
  }
}

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };

/** The webview pages the extension builds: the query notebook and the timeline (which adds its stylesheet to the notebook's). */
export type PageName = 'notebook' | 'timeline' | 'coverage';

function pageHtml(page: PageName, origin: string): string {
  const styleUri = `${origin}/media/notebook.css`;
  if (page === 'coverage') return webviewHtml({ cspSource: origin, scriptUri: `${origin}/dist/coverage.js`, styleUri, extraStyleUris: [`${origin}/media/coverage.css`] });
  if (page === 'timeline') return webviewHtml({ cspSource: origin, scriptUri: `${origin}/dist/timeline.js`, styleUri, extraStyleUris: [`${origin}/media/timeline.css`] });
  return webviewHtml({ cspSource: origin, scriptUri: `${origin}/dist/webview.js`, styleUri });
}

export async function startPageServer(theme: ThemeName, pageName: PageName = 'notebook'): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      if (url.pathname === '/' || url.pathname === '/index.html') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(pageHtml(pageName, origin).replace('<body>', `<body class="vscode-${theme}">`));
        return;
      }
      if (url.pathname === '/theme.css') {
        const vars = Object.entries(themes[theme]).map(([k, v]) => `${k}: ${v};`).join(' ');
        res.writeHead(200, { 'content-type': 'text/css' });
        res.end(`:root { ${vars} }`);
        return;
      }
      const file = path.join(ROOT, path.normalize(url.pathname).replace(/^([/\\])+/, ''));
      if (!file.startsWith(path.join(ROOT, 'dist')) && !file.startsWith(path.join(ROOT, 'media'))) {
        res.writeHead(404).end();
        return;
      }
      try {
        const body = await readFile(file);
        res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
        res.end(body);
      } catch {
        res.writeHead(404).end();
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

export type Reply = (message: HostMessage) => Promise<void>;
export type HostHandler = (message: WebviewMessage, reply: Reply) => void | Promise<void>;

/** A webview page in Chromium: what it posted (`Sent`), and a way to post it what the host would (`Received`). */
export interface WebviewPage<Sent, Received> {
  page: Page;
  /** Every message the webview posted, in order. */
  sent: Sent[];
  /** Browser-side problems: page errors, dialogs, CSP violations, console errors. */
  problems: string[];
  send(message: Received): Promise<void>;
  close(): Promise<void>;
}

export type NotebookPage = WebviewPage<WebviewMessage, HostMessage>;
export type TimelinePage = WebviewPage<TimelineWebviewMessage, TimelineHostMessage>;

/** Opens the notebook page with a stubbed VS Code API whose messages go to `handler`. */
export function openNotebookPage(browser: Browser, theme: ThemeName, handler: HostHandler, initialState?: unknown): Promise<NotebookPage> {
  return openPage<WebviewMessage, HostMessage>(browser, theme, 'notebook', handler, initialState);
}

/** Opens the timeline page; `handler` gets each message it posts and may answer through `send`. */
export function openTimelinePage(browser: Browser, theme: ThemeName, handler: (message: TimelineWebviewMessage, send: (m: TimelineHostMessage) => Promise<void>) => void | Promise<void>): Promise<TimelinePage> {
  return openPage<TimelineWebviewMessage, TimelineHostMessage>(browser, theme, 'timeline', handler);
}

export type CoveragePage = WebviewPage<CoverageWebviewMessage, CoverageHostMessage>;

export function openCoveragePage(browser: Browser, theme: ThemeName, handler: (message: CoverageWebviewMessage, send: (m: CoverageHostMessage) => Promise<void>) => void | Promise<void>): Promise<CoveragePage> {
  return openPage<CoverageWebviewMessage, CoverageHostMessage>(browser, theme, 'coverage', handler);
}

async function openPage<Sent, Received>(browser: Browser, theme: ThemeName, pageName: PageName, handler: (message: Sent, send: (m: Received) => Promise<void>) => void | Promise<void>, initialState?: unknown): Promise<WebviewPage<Sent, Received>> {
  const { server, url } = await startPageServer(theme, pageName);
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, colorScheme: theme });
  const page = await context.newPage();
  const sent: Sent[] = [];
  const problems: string[] = [];
  const send = async (message: Received) => {
    await page.evaluate((m) => window.postMessage(m, '*'), message as unknown as Record<string, unknown>);
  };
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  let closing = false;
  await page.exposeFunction('__auditLensHostReceive', (message: Sent) => {
    sent.push(message);
    // A test may end while the host still answers the page's last message: an answer that fails
    // because the page is closing is no failure; any other still fails the file.
    void Promise.resolve(handler(message, send)).catch((error: unknown) => {
      if (!closing) throw error;
    });
  });
  // A string, not a function: tsx would wrap a function's inner names with helpers the page lacks.
  await page.addInitScript(`(() => {
    let saved = ${JSON.stringify(initialState ?? null)};
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sample));
    window.acquireVsCodeApi = () => ({
      postMessage: (m) => window.__auditLensHostReceive(m),
      getState: () => saved,
      setState: (s) => { saved = s; window.__savedState = s; },
    });
  })();`);
  // The theme variables come from an extra stylesheet, as VS Code injects its own.
  await page.route('**/media/notebook.css', async (route) => {
    const response = await route.fetch();
    const theme = await (await fetch(`${url}theme.css`)).text();
    await route.fulfill({ response, body: theme + '\n' + (await response.text()) });
  });
  await page.goto(url);
  return {
    page,
    sent,
    problems,
    send,
    close: async () => {
      closing = true;
      await context.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The toolkit (FAST) appends one empty <style> element while registering its design tokens; the CSP
 * blocks it (it carries no rules: its hash is the empty string's) and the components render from
 * constructable stylesheets. Every other violation or error counts.
 */
const TOOLKIT_EMPTY_STYLE = /Applying inline style violates.*sha256-47DEQpj8HBSa\+\/TImW\+5JCeuQeRkm5NMpJWZG3hSuFU=/;

export function realProblems(page: Pick<NotebookPage, 'problems'>): string[] {
  return page.problems.filter((p) => !TOOLKIT_EMPTY_STYLE.test(p));
}

export async function cspViolations(page: Pick<NotebookPage, 'page'>): Promise<string[]> {
  const all = await page.page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);
  return all.filter((v) => v.trim() !== 'style-src-elem inline');
}

/** Where the browser tests put their screenshots. */
export const SCREENSHOTS = path.join(ROOT, '.test-output');

/** A full-page screenshot to SCREENSHOTS/`file`, the mouse moved off the page first so no hover shows. */
export async function fullPageShot(opened: Pick<NotebookPage, 'page'>, file: string): Promise<void> {
  await opened.page.mouse.move(0, 0);
  await opened.page.screenshot({ path: path.join(SCREENSHOTS, file), fullPage: true });
}

/** Runs `use` on the page `opening` opens, and closes that page whatever happens. */
export async function withPage<P extends { close(): Promise<void> }>(opening: Promise<P>, use: (opened: P) => Promise<void>): Promise<void> {
  const opened = await opening;
  try {
    await use(opened);
  } finally {
    await opened.close();
  }
}

/** The messages of one method a page posted, in order. */
export function sentOf<Sent extends { method: string }, M extends Sent['method']>(opened: { sent: Sent[] }, method: M): Extract<Sent, { method: M }>[] {
  return opened.sent.filter((m): m is Extract<Sent, { method: M }> => m.method === method);
}

/** Chromium for one suite: the webview is built and the browser launched before its tests, closed after. */
export function suiteBrowser(): () => Browser {
  let browser: Browser | undefined;
  before(async () => {
    assert.ok(chromiumAvailable, 'the browser tests need Debian chromium at /usr/bin/chromium (apt-get install -y chromium)');
    await buildWebview();
    await mkdir(SCREENSHOTS, { recursive: true });
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });
  return () => browser!;
}

/** Polls `condition` every 25 ms, failing after 5 s with what it waited for. */
export async function waitFor(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (condition()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.fail(`timed out waiting for ${what}`);
}
