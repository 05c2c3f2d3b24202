/**
 * Lets the suite, inside the extension host, look at what the workbench page rendered and click in
 * it: a small HTTP server on 127.0.0.1 that the harness answers with Playwright. The suite finds it
 * through PAGE_BRIDGE_ENV.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';

export const PAGE_BRIDGE_ENV = 'AUDIT_LENS_HOST_PAGE';

/** One element as rendered: its text, the links and the icons inside it. */
export interface RenderedElement {
  text: string;
  ariaLabel: string | null;
  ariaExpanded: string | null;
  links: { text: string; href: string | null }[];
  /** Class names of every codicon inside the element's label text (not the row's own icon). */
  labelIcons: string[];
}

export type BridgeRequest =
  | { action: 'inspect'; selector: string }
  | { action: 'click'; selector: string; hasText?: string };

export interface PageBridge {
  url: string;
  close(): Promise<void>;
}

async function body(request: IncomingMessage): Promise<BridgeRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as BridgeRequest;
}

async function answer(page: Page, request: BridgeRequest): Promise<unknown> {
  if (request.action === 'inspect') {
    return page.$$eval(request.selector, (elements) =>
      elements.map((element) => ({
        text: element.textContent ?? '',
        ariaLabel: element.getAttribute('aria-label'),
        ariaExpanded: element.getAttribute('aria-expanded'),
        links: [...element.querySelectorAll('a[href], a[data-href]')].map((a) => ({ text: a.textContent ?? '', href: a.getAttribute('href') ?? a.getAttribute('data-href') })),
        labelIcons: [...element.querySelectorAll('.monaco-icon-label-container .codicon, .notification-list-item-message .codicon, .label-name .codicon, .label-description .codicon, .statusbar-item-label .codicon')].map((i) => i.className),
      })),
    );
  }
  const target = page.locator(request.selector).filter(request.hasText ? { hasText: request.hasText } : {}).first();
  await target.click({ timeout: 10_000 });
  return { clicked: true };
}

/** Starts the bridge; `page` is read per request, so the server can start before the page opens. */
export async function startPageBridge(page: () => Page | undefined): Promise<PageBridge> {
  const server: Server = createServer((request, response) => {
    void (async () => {
      try {
        const current = page();
        if (!current) throw new Error('the workbench page is not open');
        const result = await answer(current, await body(request));
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
      } catch (error) {
        response.writeHead(500, { 'content-type': 'text/plain' }).end(String(error instanceof Error ? error.message : error));
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
