/**
 * File names, folder names and log fields that spell markdown command links (with and without
 * arguments), `$(icon)`s, bidi controls and HTML, driven through every path that shows a name.
 * What VS Code rendered is read from the page: no link or icon may come from a name, no bidi
 * control may reach the screen, and every name must still be shown.
 */
import * as assert from 'node:assert/strict';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { NotebookPanel } from '../../../src/extension/notebook';
import type { TreeNode } from '../../../src/extension/tree/nodes';
import { hasBidiControls, showBidiControls } from '../../../src/shared/text/untrusted';
import { HOSTILE_NAMES, HOSTILE_SERVICE, renderedIcons, renderedLinks } from '../../support/hostileText';
import { GCS_BUCKET, HOSTILE_DATE, HOSTILE_FOLDER_NAME, HOSTILE_GCS_PREFIX, HOSTILE_WORKSPACE } from '../fixtures';
import type { RenderedElement } from '../harness/pageBridge';
import { api, children, fixture, shownMark, shownSince, waitFor, whenLoaded } from './helpers';
import { click, notificationsShowing, rendered, SELECTORS, visible, whenRendered } from './workbench';

const fileName = (name: string) => `auditlogs_${name}.json`;
/** The action of the hostile service's record (one file holds it). */
const HOSTILE_ACTION = HOSTILE_NAMES[4];
const ACTION_FILE = fileName(HOSTILE_NAMES[1]);

function assertInert(elements: RenderedElement[], where: string): void {
  assert.ok(elements.length > 0, `${where}: something is rendered`);
  for (const e of elements) {
    assert.deepEqual(e.links, [], `${where}: no link in ${JSON.stringify(e.text)}`);
    assert.deepEqual(e.labelIcons, [], `${where}: no icon in ${JSON.stringify(e.text)}`);
    assert.equal(hasBidiControls(e.text), false, `${where}: no bidi control in ${JSON.stringify(e.text)}`);
  }
}

async function assertShownInert(from: number): Promise<void> {
  for (const { surface, text } of await shownSince(from)) {
    assert.deepEqual(renderedLinks(text), [], `${surface}: ${JSON.stringify(text)}`);
    assert.deepEqual(renderedIcons(text), [], `${surface}: ${JSON.stringify(text)}`);
    assert.equal(hasBidiControls(text), false, `${surface}: ${JSON.stringify(text)}`);
  }
}

async function clearNotifications(): Promise<void> {
  await vscode.commands.executeCommand('notifications.clearAll');
  await vscode.commands.executeCommand('notifications.hideList');
  await waitFor('the notifications to close', async () => ((await rendered(SELECTORS.notifications)).length === 0 ? true : undefined));
}

async function nodeOf(parent: TreeNode | undefined, predicate: (node: TreeNode) => boolean, what: string): Promise<TreeNode> {
  const found = (await children(parent)).find((c) => predicate(c.node));
  assert.ok(found, `${what} in the tree`);
  return found.node;
}

function describeSource(kind: 'folder' | 'bucket', sourceUri: () => string, rowText: string, makeMissing: () => Promise<() => Promise<void>>) {
  describe(`hostile names from a ${kind}`, () => {
    let date: TreeNode;
    let service: TreeNode;

    before(async () => {
      const added = await vscode.commands.executeCommand<boolean>(kind === 'folder' ? 'auditLens.addFolder' : 'auditLens.addBucket', sourceUri());
      assert.equal(added, true);
      await vscode.commands.executeCommand('auditLens.sources.focus');
      await vscode.commands.executeCommand('workbench.actions.treeView.auditLens.sources.collapseAll');
      const source = await nodeOf(undefined, (n) => n.kind === 'source' && n.sourceUri === sourceUri(), 'the source');
      const workspace = await nodeOf(source, (n) => n.kind === 'workspace', 'the workspace');
      date = await nodeOf(workspace, (n) => n.kind === 'date' && n.date === HOSTILE_DATE, 'the date');
      service = await nodeOf(date, (n) => n.kind === 'service' && n.service === HOSTILE_SERVICE, 'the hostile service');
    });

    after(async () => {
      await clearNotifications();
      (await api()).fileValidation.collection.clear();
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.commands.executeCommand('auditLens.removeSource', { kind: 'source', sourceUri: sourceUri() });
    });

    it('shows the source, service and action names in the tree as text, and the scan’s bad line', async () => {
      await whenRendered(SELECTORS.treeRows, rowText);
      await click(SELECTORS.treeRows, rowText);
      await click(SELECTORS.treeRows, HOSTILE_WORKSPACE);
      await whenRendered(SELECTORS.treeRows, HOSTILE_DATE);
      await click(SELECTORS.treeRows, HOSTILE_DATE);
      await whenRendered(SELECTORS.treeRows, showBidiControls(HOSTILE_SERVICE));
      await click(SELECTORS.treeRows, '[svc]');
      const rows = await whenRendered(SELECTORS.treeRows, showBidiControls(HOSTILE_ACTION));
      assert.ok(rows.some((r) => visible(r.text).includes('1 line(s) are not audit records')), 'the scan reports the bad line');
      assertInert(rows, 'tree');
      const { tree } = await api();
      const item = tree.getTreeItem(service);
      assert.equal(visible(String(item.label)), showBidiControls(HOSTILE_SERVICE));
    });

    it('lists every file of the date in the open-raw-file quick pick as text, and opens the one picked', async () => {
      const from = await shownMark();
      const opening = vscode.commands.executeCommand<vscode.TextEditor | undefined>('auditLens.openRawFile', date);
      const rows = await whenRendered(SELECTORS.quickPickRows, showBidiControls(fileName(HOSTILE_NAMES[4])));
      for (const name of HOSTILE_NAMES) {
        assert.ok(rows.some((r) => visible(r.text).includes(showBidiControls(fileName(name)))), `the quick pick shows ${JSON.stringify(name)}`);
      }
      assertInert(rows, 'quick pick');
      assertInert(await rendered(SELECTORS.quickPickTitle), 'quick pick title');
      await click(SELECTORS.quickPickRows, 'squirrel');
      const editor = await opening;
      assert.ok(editor?.document.uri.path.endsWith(fileName(HOSTILE_NAMES[3])), editor?.document.uri.toString());
      await assertShownInert(from);
    });

    it('reports a file that vanished, when opening it raw, with its name as text', async () => {
      await clearNotifications();
      const from = await shownMark();
      const action = await nodeOf(service, (n) => n.kind === 'action', 'the hostile action');
      const restore = await makeMissing();
      try {
        const opened = await vscode.commands.executeCommand<vscode.TextEditor | undefined>('auditLens.openRawFile', action);
        assert.equal(opened, undefined, `nothing opens: ${opened?.document.uri.toString()}`);
        const toasts = await notificationsShowing('Open raw file');
        assertInert(toasts, 'notification');
        // VS Code quotes the path as a URI, so `?` after it is %3F: look for the part before that.
        const quoted = ACTION_FILE.slice(0, ACTION_FILE.indexOf('?'));
        assert.ok(toasts.some((t) => visible(t.text).includes(quoted)), `the notification names the file: ${toasts.map((t) => t.text).join(' | ')}`);
        await assertShownInert(from);
      } finally {
        await restore();
      }
    });

    it('validates the date with the file names as text in its progress and summary', async () => {
      await clearNotifications();
      const from = await shownMark();
      const totals = await vscode.commands.executeCommand<{ files: number }>('auditLens.validate', date);
      assert.equal(totals?.files, HOSTILE_NAMES.length);
      const progress = (await shownSince(from)).filter((s) => s.surface === 'progress').map((s) => visible(s.text));
      for (const name of HOSTILE_NAMES) assert.ok(progress.includes(showBidiControls(fileName(name))), `progress names ${JSON.stringify(name)}: ${progress.join(' | ')}`);
      assertInert(await notificationsShowing(`Validated ${HOSTILE_NAMES.length} file(s)`), 'notification');
      await assertShownInert(from);
    });

    it('shows the copied location in the status bar as text', async () => {
      const from = await shownMark();
      await vscode.commands.executeCommand('auditLens.copyUri', date);
      const entries = await whenRendered(SELECTORS.statusBar, 'Copied');
      assertInert(entries.filter((e) => e.text.includes('Copied')), 'status bar');
      await assertShownInert(from);
    });
  });
}

describeSource('folder', () => fixture().hostileFolderSource, 'hostile-[s]', async () => {
  const file = path.join(fixture().hostileFolderSource, `workspaceId=${HOSTILE_WORKSPACE}`, `date=${HOSTILE_DATE}`, ACTION_FILE);
  const text = readFileSync(file);
  rmSync(file);
  return async () => writeFileSync(file, text);
});

describeSource('bucket', () => fixture().hostileGcsSource, `${GCS_BUCKET}/hostile-$`, async () => {
  const object = `${HOSTILE_GCS_PREFIX}/workspaceId=${HOSTILE_WORKSPACE}/date=${HOSTILE_DATE}/${ACTION_FILE}`;
  const endpoint = fixture().gcsEndpoint;
  const media = await fetch(`${endpoint}/storage/v1/b/${GCS_BUCKET}/o/${encodeURIComponent(object)}?alt=media`);
  assert.equal(media.status, 200, 'the object is there before it vanishes');
  const text = Buffer.from(await media.arrayBuffer());
  const deleted = await fetch(`${endpoint}/storage/v1/b/${GCS_BUCKET}/o/${encodeURIComponent(object)}`, { method: 'DELETE' });
  assert.ok(deleted.ok, `deleted: ${deleted.status}`);
  return async () => {
    const put = await fetch(`${endpoint}/upload/storage/v1/b/${GCS_BUCKET}/o?uploadType=media&name=${encodeURIComponent(object)}`, { method: 'POST', body: text });
    assert.ok(put.ok, `restored: ${put.status}`);
  };
});

describe('a hostile file opened raw from the notebook', () => {
  it('reports a file that vanished with its name as text', async () => {
    await clearNotifications();
    const folder = fixture().hostileFolderSource;
    const panel = await vscode.commands.executeCommand<NotebookPanel>('auditLens.openNotebook', { sources: [folder] });
    // The notebook opens raw only the files it loaded: load the whole scope (a new notebook loads per cell).
    await panel.reload();
    await whenLoaded(panel, 'the hostile notebook');
    const file = path.join(folder, `workspaceId=${HOSTILE_WORKSPACE}`, `date=${HOSTILE_DATE}`, fileName(HOSTILE_NAMES[0]));
    const text = readFileSync(file);
    rmSync(file);
    try {
      await panel.receive({ kind: 'notify', method: 'openRaw', params: { file, line: 1 } });
      const messages = await notificationsShowing(`Open ${showBidiControls(fileName(HOSTILE_NAMES[0]))}`);
      assertInert(messages, 'notification');
    } finally {
      writeFileSync(file, text);
      panel.dispose();
      await clearNotifications();
    }
  });
});

describe('a hostile folder that disappears', () => {
  after(async () => {
    await vscode.commands.executeCommand('auditLens.removeSource', { kind: 'source', sourceUri: fixture().hostileFolderSource });
  });

  it('shows the listing error, which quotes the folder, in the tree as text', async () => {
    const folder = fixture().hostileFolderSource;
    assert.equal(await vscode.commands.executeCommand<boolean>('auditLens.addFolder', folder), true);
    const moved = `${folder}-moved`;
    renameSync(folder, moved);
    try {
      await vscode.commands.executeCommand('auditLens.sources.focus');
      await vscode.commands.executeCommand('workbench.actions.treeView.auditLens.sources.collapseAll');
      await click(SELECTORS.treeRows, 'hostile-[s]');
      const rows = await whenRendered(SELECTORS.treeRows, `Folder not found: ${showBidiControls(folder)}`);
      assertInert(rows, 'tree');
      assert.ok(HOSTILE_FOLDER_NAME.includes('\u202E'));
    } finally {
      renameSync(moved, folder);
    }
  });
});
