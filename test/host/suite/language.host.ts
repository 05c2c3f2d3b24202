import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, childNamed, fixture, hoverText, waitFor } from './helpers';

/** Hover markdown escapes punctuation (`spark\_version`) and spaces (`&nbsp;`); compare the plain text. */
const plain = (markdown: string) => markdown.replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1');

async function openBadFile(): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(fixture().badFile));
  await vscode.window.showTextDocument(document);
  return document;
}

function positionOf(document: vscode.TextDocument, line: number, needle: string, offset = 1): vscode.Position {
  const at = document.lineAt(line).text.indexOf(needle);
  assert.ok(at >= 0, `'${needle}' on line ${line + 1}`);
  return new vscode.Position(line, at + offset);
}

describe('audit-log language', () => {
  it('gives auditlogs_*.json files their own language, so the JSON validator stays out', async () => {
    const document = await openBadFile();
    assert.equal(document.languageId, 'databricks-audit-log');
    const fromJson = vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === 'json');
    assert.deepEqual(fromJson, []);
  });

  it('reports the validator findings at their exact ranges', async () => {
    const document = await openBadFile();
    const diagnostics = await waitFor('diagnostics of the bad file', () => {
      const found = vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === 'Audit Lens');
      return found.length > 0 ? found : undefined;
    });
    const casing = diagnostics.find((d) => d.code === 'key-casing');
    assert.ok(casing, `key-casing among ${diagnostics.map((d) => d.code).join(', ')}`);
    const key = document.lineAt(0).text.indexOf('"Cluster_Name"');
    assert.deepEqual([casing.range.start.line, casing.range.start.character, casing.range.end.character], [0, key, key + '"Cluster_Name"'.length]);

    const timestamp = diagnostics.find((d) => d.code === 'wrong-type' && d.range.start.line === 1);
    assert.ok(timestamp);
    assert.equal(document.getText(timestamp.range), '"2024-05-01T08:00:00Z"');
    assert.equal(timestamp.severity, vscode.DiagnosticSeverity.Error);

    const broken = diagnostics.find((d) => d.range.start.line === 2);
    assert.equal(broken?.code, 'invalid-json');
  });

  it('offers quick fixes: the documented key name, epoch milliseconds', async () => {
    const document = await openBadFile();
    const diagnostics = await waitFor('diagnostics', () => {
      const found = vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === 'Audit Lens');
      return found.length > 0 ? found : undefined;
    });
    const casing = diagnostics.find((d) => d.code === 'key-casing')!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, casing.range);
    const rename = actions.find((a) => a.title === 'Rename to cluster_name');
    assert.ok(rename?.edit, `rename among ${actions.map((a) => a.title).join(' | ')}`);
    const timestamp = diagnostics.find((d) => d.code === 'wrong-type' && d.range.start.line === 1)!;
    const stampActions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, timestamp.range);
    const epoch = stampActions.find((a) => a.title.startsWith('Write as epoch milliseconds'));
    assert.equal(epoch?.title, `Write as epoch milliseconds (${Date.parse('2024-05-01T08:00:00Z')})`);

    assert.ok(await vscode.workspace.applyEdit(rename.edit));
    try {
      assert.ok(document.lineAt(0).text.includes('"cluster_name":"etl"'));
      await waitFor('the casing finding to go', () =>
        vscode.languages.getDiagnostics(document.uri).some((d) => d.code === 'key-casing') ? undefined : true,
      );
    } finally {
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    assert.ok(document.lineAt(0).text.includes('"Cluster_Name"'));
  });

  it('hovers a documented requestParams key with its service, action and description', async () => {
    const document = await openBadFile();
    const text = plain(await hoverText(document.uri, positionOf(document, 0, '"spark_version"')));
    assert.match(text, /clusters · create · spark_version/);
    assert.match(text, /Documented keys of clusters\.create: .*`cluster_name`/);
  });

  it('says when a key is not documented for the action', async () => {
    const document = await openBadFile();
    const text = plain(await hoverText(document.uri, positionOf(document, 0, '"Cluster_Name"')));
    assert.match(text, /clusters · create · Cluster_Name/);
    assert.match(text, /Not documented for this action/);
    assert.match(text, /documented spelling is cluster_name/);
  });

  it('hovers serviceName and actionName values with their level and keys', async () => {
    const document = await openBadFile();
    const service = plain(await hoverText(document.uri, positionOf(document, 0, '"clusters"')));
    assert.match(service, /service clusters\*\* — workspace level/);
    assert.match(service, /Actions: .*`create`/);
    const action = plain(await hoverText(document.uri, positionOf(document, 0, '"create"')));
    assert.match(action, /action clusters\.create\*\* — workspace level/);
  });

  it('hovers a timestamp with the time in UTC and local time', async () => {
    const document = await openBadFile();
    const stamp = /"timestamp":(\d+)/.exec(document.lineAt(0).text)![1]!;
    const text = plain(await hoverText(document.uri, positionOf(document, 0, stamp, 2)));
    assert.match(text, new RegExp(`UTC: ${new Date(Number(stamp)).toISOString().slice(0, 19).replace('T', ' ')}`));
    assert.match(text, /Local: /);
  });

  it('treats another JSON Lines file as an audit log on request', async () => {
    const uri = vscode.Uri.file(fixture().jsonLinesFile);
    const languageId = await vscode.commands.executeCommand<string>('auditLens.associateLanguage', uri);
    assert.equal(languageId, 'databricks-audit-log');
    const document = await vscode.workspace.openTextDocument(uri);
    assert.equal(document.languageId, 'databricks-audit-log');
  });

  it('validates a date of the tree into the Problems panel', async () => {
    const { fileValidation } = await api();
    const source = await childNamed(undefined, 'logs');
    const workspace = await childNamed(source.node, '1234567890123456789');
    const date = await childNamed(workspace.node, '2024-05-01');
    const totals = await vscode.commands.executeCommand<{ files: number; errors: number }>('auditLens.validate', date.node);
    assert.equal(totals.files, 2);
    assert.equal(totals.errors, 0);
    let files = 0;
    fileValidation.collection.forEach(() => files++);
    assert.equal(files, 2);
  });
});
