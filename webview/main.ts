/** Entry point of the notebook webview (bundled to dist/webview.js). */
import { emptyNotebook, parseNotebook, type NotebookDocument } from '../src/shared/notebook/format';
import { NotebookApp } from './app';
import { HostConnection } from './rpc';
import { registerToolkit } from './ui/toolkit';

function restored(state: unknown): NotebookDocument {
  if (typeof state === 'object' && state !== null && 'document' in state) {
    const doc = parseNotebook((state as { document: unknown }).document);
    if (doc.ok) return doc.value;
  }
  return emptyNotebook();
}

registerToolkit();
const api = acquireVsCodeApi();
const host = new HostConnection(api);
const mount = document.getElementById('app') ?? document.body;
new NotebookApp(host, api, mount, restored(api.getState()));
