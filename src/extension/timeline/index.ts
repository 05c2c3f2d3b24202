/**
 * Registers the Timeline view: the Show Timeline command (from the palette it asks for the
 * identity, offering the recent ones; from a notebook cell or a Findings row it carries the
 * identity and scope), and the panels it opens, one per identity and scope.
 */
import * as vscode from 'vscode';
import type { NotebookScope } from '../../shared/notebook/format';
import { IDENTITY_KINDS, type Identity, type IdentityKind } from '../../shared/timeline';
import { identityKindLabel } from '../../shared/identityOfCell';
import { MAX_IDENTITY_LENGTH, type TimelineQuery } from '../../protocol/timeline';
import { parseShowTimelineArgument } from './argument';
import { initialQuery } from './query';
import type { AsOfChoice } from '../../shared/asOf';
import { runTimeline } from '../../worker/timeline/runTimeline';
import { COMMANDS } from '../commands/ids';
import { registerCommands } from '../commands/register';
import { defaultScope } from '../notebook/scope';
import { webviewOptions } from '../webview/host';
import type { ExtensionServices } from '../services';
import { TIMELINE_VIEW_TYPE, TimelinePanel, timelineTitle, type TimelineRunner } from './panel';
import { readRecent, RECENT_IDENTITIES_KEY, rememberIdentity } from './recent';
import { restoredTimeline } from './restore';

export { TIMELINE_VIEW_TYPE, TimelinePanel } from './panel';

/** What the extension (and its host tests) can do with timelines. */
export interface TimelineController {
  readonly panels: readonly TimelinePanel[];
  /** Opens (or reveals) the timeline of an identity over a scope (default: the configured sources), as of now or `asOf`. */
  open(identity: Identity, scope?: NotebookScope, asOf?: AsOfChoice): TimelinePanel;
  readonly recent: readonly Identity[];
}

const KIND_PROMPTS: Record<IdentityKind, string> = {
  actor: 'an email address (or the user a failed login tried)',
  ip: 'an IP address',
  session: 'a session id',
  request: 'a request id',
};

function sameScope(a: NotebookScope, b: NotebookScope): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function registerTimeline(context: vscode.ExtensionContext, services: ExtensionServices, run: TimelineRunner = runTimeline): TimelineController {
  const panels: TimelinePanel[] = [];
  const recent = () => readRecent(context.globalState.get(RECENT_IDENTITIES_KEY));

  const open = (identity: Identity, scope?: NotebookScope, asOf?: AsOfChoice): TimelinePanel => {
    const over = scope ?? defaultScope(services.settings.sources, services.settings.defaultDateRange);
    void context.globalState.update(RECENT_IDENTITIES_KEY, rememberIdentity(recent(), identity));
    const existing = panels.find((p) => p.identity.kind === identity.kind && p.identity.value === identity.value && sameScope(p.scope, over));
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const webviewPanel = vscode.window.createWebviewPanel(TIMELINE_VIEW_TYPE, timelineTitle(identity), vscode.ViewColumn.Active, webviewOptions(context.extensionUri));
    services.log.info(`timeline: opened for ${identity.kind}`);
    return adopt(webviewPanel, { ...initialQuery(identity, over), ...(asOf ? { asOf } : {}) }, over);
  };

  const adopt = (webviewPanel: vscode.WebviewPanel, query: TimelineQuery, scope: NotebookScope): TimelinePanel => {
    const panel = new TimelinePanel(webviewPanel, services, query, scope, run, {
      pivot: (next, nextScope) => open(next, nextScope),
      onDispose: (closed) => panels.splice(panels.indexOf(closed), 1),
    });
    panels.push(panel);
    return panel;
  };

  /** A restored page may name sources: read them only in a trusted workspace, or when they are the user's own. */
  const mayRead = (sources: readonly string[]) => vscode.workspace.isTrusted || sources.every((s) => services.settings.sources.includes(s));

  /** Asks which identity: a recent one, or a kind and then its value. */
  const askIdentity = async (): Promise<Identity | undefined> => {
    type Item = vscode.QuickPickItem & { identity?: Identity; newKind?: IdentityKind };
    const remembered = recent();
    const items: Item[] = [
      ...(remembered.length > 0 ? [{ label: 'Recent', kind: vscode.QuickPickItemKind.Separator }] : []),
      ...remembered.map((identity) => ({ label: identity.value, description: identityKindLabel(identity.kind), identity })),
      { label: 'New', kind: vscode.QuickPickItemKind.Separator },
      ...IDENTITY_KINDS.map((newKind) => ({ label: `New ${identityKindLabel(newKind)}…`, description: `Enter ${KIND_PROMPTS[newKind]}`, newKind })),
    ];
    const picked = await services.prompts.showQuickPick(items, { title: 'Show Timeline of…', placeHolder: 'A recent identity, or the kind of a new one' });
    if (!picked) return undefined;
    if (picked.identity) return picked.identity;
    const kind = picked.newKind;
    if (kind === undefined) return undefined;
    const value = await services.prompts.showInputBox({
      title: `Show Timeline of ${identityKindLabel(kind)}`,
      prompt: `Enter ${KIND_PROMPTS[kind]}`,
      validateInput: (text) => (text.trim() === '' ? 'Enter a value' : text.length > MAX_IDENTITY_LENGTH ? `At most ${MAX_IDENTITY_LENGTH} characters` : undefined),
    });
    return value === undefined ? undefined : { kind, value: value.trim() };
  };

  const showTimeline = async (arg?: unknown): Promise<TimelinePanel | undefined> => {
    const given = parseShowTimelineArgument(arg);
    if (given) return open(given.identity, given.scope, given.asOf);
    const identity = await askIdentity();
    return identity ? open(identity) : undefined;
  };

  context.subscriptions.push(
    ...registerCommands({ [COMMANDS.showTimeline]: showTimeline }),
    vscode.window.registerWebviewPanelSerializer(TIMELINE_VIEW_TYPE, {
      deserializeWebviewPanel: async (webviewPanel: vscode.WebviewPanel, state: unknown) => {
        const restored = restoredTimeline(state, defaultScope(services.settings.sources, services.settings.defaultDateRange), mayRead);
        if (restored) adopt(webviewPanel, restored.query, restored.scope);
        else webviewPanel.dispose();
      },
    }),
    { dispose: () => [...panels].forEach((p) => p.dispose()) },
  );

  return {
    get panels() {
      return panels;
    },
    get recent() {
      return recent();
    },
    open,
  };
}
