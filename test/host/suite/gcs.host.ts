import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { deliveryTree, GCS_BUCKET, GCS_PREFIX } from '../fixtures';
import { childNamed, children, fixture } from './helpers';

describe('gs: files', () => {
  const delivered = deliveryTree()[1]!;
  const uri = () => vscode.Uri.parse(`gs://${GCS_BUCKET}/${GCS_PREFIX}/${delivered.relativePath}`);

  it('reads an object through workspace.fs', async () => {
    const bytes = await vscode.workspace.fs.readFile(uri());
    assert.equal(Buffer.from(bytes).toString('utf8'), delivered.text);
    const stat = await vscode.workspace.fs.stat(uri());
    assert.equal(stat.type, vscode.FileType.File);
    assert.equal(stat.size, Buffer.byteLength(delivered.text));
  });

  it('opens an object in an editor as an audit log', async () => {
    const document = await vscode.workspace.openTextDocument(uri());
    assert.equal(document.languageId, 'databricks-audit-log');
    assert.equal(document.getText(), delivered.text);
  });

  it('lists prefixes as folders and objects as files', async () => {
    const folder = vscode.Uri.parse(`gs://${GCS_BUCKET}/${GCS_PREFIX}`);
    const entries = await vscode.workspace.fs.readDirectory(folder);
    assert.deepEqual(
      entries.sort(([a], [b]) => a.localeCompare(b)),
      [['workspaceId=0', vscode.FileType.Directory], ['workspaceId=1234567890123456789', vscode.FileType.Directory]],
    );
  });

  it('reports a missing object as FileNotFound', async () => {
    await assert.rejects(
      Promise.resolve(vscode.workspace.fs.readFile(vscode.Uri.parse(`gs://${GCS_BUCKET}/${GCS_PREFIX}/nope.json`))),
      (error: unknown) => error instanceof vscode.FileSystemError && error.code === 'FileNotFound',
    );
  });

  it('opens the raw file of an action from the tree at its first event', async () => {
    const source = await childNamed(undefined, fixture().gcsSource.slice('gs://'.length));
    const workspace = await childNamed(source.node, '1234567890123456789');
    const date = await childNamed(workspace.node, '2024-05-02');
    const [service] = await children(date.node);
    const [action] = await children(service!.node);
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('auditLens.openRawFile', action!.node);
    assert.equal(editor.document.uri.scheme, 'gs');
    assert.match(editor.document.uri.path, /date=2024-05-02\/auditlogs_ws-3\.json$/);
    assert.equal(editor.selection.active.line, 0);
  });

  it('copies the gs:// location of a date', async () => {
    const source = await childNamed(undefined, fixture().gcsSource.slice('gs://'.length));
    const workspace = await childNamed(source.node, '1234567890123456789');
    const date = await childNamed(workspace.node, '2024-05-01');
    const copied = await vscode.commands.executeCommand<string>('auditLens.copyUri', date.node);
    assert.equal(copied, `gs://${GCS_BUCKET}/${GCS_PREFIX}/workspaceId=1234567890123456789/date=2024-05-01/`);
    assert.equal(await vscode.env.clipboard.readText(), copied);
  });
});
