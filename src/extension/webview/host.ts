/**
 * The VS Code side every Audit Lens webview panel stands on: the page (strict CSP, scripts by
 * nonce, resources only from our folders), validated messages in, typed notifications out, and
 * disposal with the panel.
 */
import * as vscode from 'vscode';
import { DisposableBase } from '../disposable';
import { webviewHtml } from './html';
import type { Notification } from './messages';

/** Where the webview may load from: our bundle and our stylesheets, nothing else. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    retainContextWhenHidden: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

/** A panel's page: its script in dist/, its stylesheets in media/ (the notebook's first), its title. */
export interface WebviewPage {
  script: string;
  styles: readonly string[];
  title: string;
}

export interface WebviewHostOptions {
  page: WebviewPage;
  /** Validates and acts on what the page sent (see MessageGate): nothing else reads it. */
  receive(raw: unknown): Promise<unknown>;
}

/** Hosts one webview panel; the panel closes when the host is disposed, and the owner is disposed when the panel closes. */
export class WebviewHost<OutMap> extends DisposableBase {
  constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    options: WebviewHostOptions,
    owner: vscode.Disposable,
  ) {
    super();
    this.register(panel);
    const asWebview = (...segments: string[]) => panel.webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...segments)).toString();
    panel.webview.options = webviewOptions(extensionUri);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'notebook-icon.svg');
    const [style = 'notebook.css', ...extraStyles] = options.page.styles;
    panel.webview.html = webviewHtml({
      cspSource: panel.webview.cspSource,
      scriptUri: asWebview('dist', options.page.script),
      styleUri: asWebview('media', style),
      extraStyleUris: extraStyles.map((s) => asWebview('media', s)),
      title: options.page.title,
    });
    this.register(panel.webview.onDidReceiveMessage((raw: unknown) => void options.receive(raw)));
    this.register(panel.onDidDispose(() => owner.dispose()));
  }

  post(message: unknown): void {
    void this.panel.webview.postMessage(message);
  }

  notify<M extends keyof OutMap>(method: M, params: OutMap[M]): void {
    this.post({ kind: 'notify', method, params } as Notification<OutMap>);
  }
}
