/** What the workbench page rendered, and clicks in it, through the harness's page bridge. */
import { PAGE_BRIDGE_ENV, type BridgeRequest, type RenderedElement } from '../harness/pageBridge';
import { WORD_JOINER } from '../../../src/shared/text/untrusted';
import * as vscode from 'vscode';
import { waitFor } from './helpers';

async function ask<T>(request: BridgeRequest): Promise<T> {
  const url = process.env[PAGE_BRIDGE_ENV];
  if (!url) throw new Error(`${PAGE_BRIDGE_ENV} is not set: looking at the page needs the code-server harness (test/host/host.test.ts)`);
  const response = await fetch(url, { method: 'POST', body: JSON.stringify(request) });
  if (!response.ok) throw new Error(`page bridge: ${await response.text()}`);
  return (await response.json()) as T;
}

/** Every element matching the selector, as rendered now. */
export function rendered(selector: string): Promise<RenderedElement[]> {
  return ask({ action: 'inspect', selector });
}

/** Clicks the first element matching the selector (and holding the text, if given). */
export async function click(selector: string, hasText?: string): Promise<void> {
  await ask({ action: 'click', selector, hasText });
}

/** The text a person reads: without the invisible word joiners that break link and icon syntax. */
export function visible(text: string): string {
  return text.split(WORD_JOINER).join('');
}

/** Waits until some element matching the selector shows the text; returns the elements then. */
export function whenRendered(selector: string, text: string, limitMs = 20_000): Promise<RenderedElement[]> {
  return waitFor(
    `${JSON.stringify(text)} in ${selector}`,
    async () => {
      const elements = await rendered(selector);
      return elements.some((e) => visible(e.text).includes(text)) ? elements : undefined;
    },
    limitMs,
  );
}

export const SELECTORS = {
  /** The rows of the Audit Lens Sources view. */
  treeRows: '[id="workbench.view.extension.auditLens"] .monaco-list-row[role="treeitem"]',
  /**
   * The messages in the notification center (open it with showNotifications): a toast taller than
   * the test page's window is not drawn, the center lists every notification.
   */
  notifications: '.notifications-center .notification-list-item-message',
  /** The open quick pick's rows and its title. */
  quickPickRows: '.quick-input-widget .quick-input-list .monaco-list-row',
  quickPickTitle: '.quick-input-widget .quick-input-title',
  /** Status bar entries. */
  statusBar: '.statusbar-item',
} as const;

/** Opens the notification center and waits until a message there shows the text; returns the messages then. */
export async function notificationsShowing(text: string): Promise<RenderedElement[]> {
  await vscode.commands.executeCommand('notifications.showList');
  return whenRendered(SELECTORS.notifications, text);
}
