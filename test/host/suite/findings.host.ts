/**
 * The Findings view in a real VS Code: Run Detections over the bundled sample (a source node) and
 * over one date of the fixture folder, the tree severity → detection → rows with counts, the
 * badge with the high-severity findings, a row opening its raw line, a detection opening as a
 * notebook cell over the same scope, and a cancelled run.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { detections, severityCounts } from '../../../src/core/analyses';
import { rowActor, type FindingNode, type FindingsResult } from '../../../src/extension/findings/model';
import type { TreeNode, WorkspaceNode } from '../../../src/extension/tree/nodes';
import { api, children, fixture, sampleBucket, shownMark, shownSince, waitFor, whenLoaded } from './helpers';

async function findings() {
  return (await api()).findings;
}

function label(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}

describe('the Findings view', function () {
  this.timeout(120_000);
  let result: FindingsResult;

  before(async () => {
    const ran = await vscode.commands.executeCommand<FindingsResult | undefined>('auditLens.runDetections', { kind: 'source', sourceUri: sampleBucket() });
    assert.ok(ran, 'the run finished');
    result = ran;
  });

  // The next suites find the sidebar as a new window has it: a Findings view full of rows leaves the
  // Sources view too short to show the rows they click.
  after(async () => {
    const { findings } = await api();
    findings.cancel();
    findings.provider.setState({ state: 'idle' });
  });

  it('runs every detection over the source node’s scope', async () => {
    assert.deepEqual(result.scope, { sources: [sampleBucket()] });
    assert.deepEqual(result.runs.map((r) => r.detection.id), detections.map((d) => d.id));
    // The records the detections read: a part of the sample's 3,312.
    assert.ok(result.records > 1000, `${result.records} records`);
    const { view } = await findings();
    // An earlier suite may have run them over the sample already: then the record cache served its files.
    assert.match(view.message ?? '', /^bucket · [\d,]+ records( \(\d+ of \d+ files from the record cache\))? · 33 detections · as of now \(\d{4}-\d\d-\d\dT[\d:.]+Z\)$/);
  });

  it('runs again from the record cache, the same findings, until Clear Record Cache empties it', async () => {
    const run = async () => (await vscode.commands.executeCommand<FindingsResult | undefined>('auditLens.runDetections', { kind: 'source', sourceUri: sampleBucket() }))!;
    const again = await run();
    assert.deepEqual(again.runs.map((r) => r.result.rowCount), result.runs.map((r) => r.result.rowCount));
    assert.ok(again.fromCache && again.fromCache.cached === again.fromCache.files, JSON.stringify(again.fromCache));
    assert.match((await findings()).view.message ?? '', / · [\d,]+ records \((\d+) of \1 files from the record cache\) · /);
    const mark = await shownMark();
    await vscode.commands.executeCommand('auditLens.clearRecordCache');
    await waitFor('the notification', async () => ((await shownSince(mark)).some((t) => t.surface === 'notification' && /^Audit Lens: cleared the record cache \(.+\)\. The next load reads every file again\.$/.test(t.text)) ? true : undefined));
    const fresh = await run();
    assert.equal(fresh.fromCache, undefined, 'every file read again');
    assert.deepEqual(fresh.runs.map((r) => r.result.rowCount), result.runs.map((r) => r.result.rowCount));
  });

  it('shows severity → detection (with counts) → rows, most severe first', async () => {
    const { provider } = await findings();
    const counts = severityCounts(result.runs);
    const roots = provider.getChildren();
    const severities = roots.map((n) => provider.getTreeItem(n));
    assert.deepEqual(severities.map(label), ['High', 'Medium', 'Low', 'Info'].filter((s) => counts[s.toLowerCase() as keyof typeof counts] > 0));
    assert.match(String(severities[0]!.description), new RegExp(`^${counts.high} findings · \\d+ detections$`));
    const high = provider.getChildren(roots[0]);
    const first = high[0] as Extract<FindingNode, { kind: 'detection' }>;
    assert.equal(first.run.detection.severity, 'high');
    const item = provider.getTreeItem(first);
    assert.equal(label(item), first.run.detection.title);
    assert.equal(item.description, `${first.run.result.rowCount} · ${first.run.detection.id}`);
    assert.equal(provider.getChildren(first).length, first.run.result.rowCount);
  });

  it('puts the count of high-severity findings on the view’s badge', async () => {
    const { view } = await findings();
    const high = severityCounts(result.runs).high;
    assert.ok(high > 0, 'the sample has high-severity findings');
    assert.equal(view.badge?.value, high);
  });

  it('opens a row’s raw line', async () => {
    const { provider } = await findings();
    const detection = provider.getChildren(provider.getChildren()[0]).find((n) => n.kind === 'detection' && n.run.detection.id === 'admin-removals')!;
    const row = provider.getChildren(detection)[0]!;
    const item = provider.getTreeItem(row);
    assert.equal(item.command?.command, 'auditLens.findings.openRow');
    await vscode.commands.executeCommand(item.command!.command, ...(item.command!.arguments ?? []));
    const editor = await waitFor('the raw file to open', () => vscode.window.visibleTextEditors.find((e) => e.document.uri.path.includes('/samples/bucket/workspaceId=')));
    const text = editor.document.lineAt(editor.selection.active.line).text;
    assert.match(text, /"serviceName":"accounts"/);
    assert.match(text, /"actionName":"removeAdmin"/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('opens a detection as a notebook cell with its SQL over the same scope', async () => {
    const { provider } = await findings();
    const { notebooks } = await api();
    const detection = provider.getChildren(provider.getChildren()[0])[0] as Extract<FindingNode, { kind: 'detection' }>;
    const panel = await vscode.commands.executeCommand<{ document: { scope: unknown; cells: { sql: string; analysisId?: string }[] }; dispose(): void; scopeStatus: { state: string } }>(
      'auditLens.findings.openInNotebook',
      detection,
    );
    try {
      assert.equal(notebooks.active, panel);
      assert.deepEqual(panel.document.scope, result.scope);
      assert.equal(panel.document.cells[0]!.sql, detection.run.detection.sql);
      assert.equal(panel.document.cells[0]!.analysisId, detection.run.detection.id);
      await whenLoaded(panel, 'the detection’s notebook');
    } finally {
      panel.dispose();
    }
  });

  it('is offered on source, workspace, month and date nodes, and runs from the palette over the configured sources', async () => {
    const { services, tree, findings: controller } = await api();
    const contributes = vscode.extensions.getExtension('audit-lens.audit-lens')!.packageJSON.contributes as {
      menus: Record<string, { command: string; when?: string }[]>;
    };
    const onNodes = contributes.menus['view/item/context']!.find((m) => m.command === 'auditLens.runDetections')!;
    const when = new RegExp(/viewItem =~ \/(.+)\/$/.exec(onNodes.when ?? '')![1]!);
    const offered = (node: TreeNode) => when.test(tree.getTreeItem(node).contextValue ?? '');
    const source = (await children()).find((c) => c.node.kind === 'source' && c.node.sourceUri === fixture().folderSource)!.node;
    const workspace = (await children(source)).find((c) => c.node.kind === 'workspace' && c.node.workspaceId !== '0')!.node as WorkspaceNode;
    const date = (await children(workspace))[0]!.node;
    const service = (await children(date))[0]!.node;
    const action = (await children(service))[0]!.node;
    const month: TreeNode = { kind: 'month', sourceUri: workspace.sourceUri, workspaceId: workspace.workspaceId, month: '2024-05', dates: ['2024-05-01'] };
    assert.deepEqual([source, workspace, month, date, service, action].map((n) => [n.kind, offered(n)]), [
      ['source', true],
      ['workspace', true],
      ['month', true],
      ['date', true],
      ['service', false],
      ['action', false],
    ]);
    assert.ok(!contributes.menus['commandPalette']!.some((m) => m.command === 'auditLens.runDetections'), 'not hidden from the palette');
    const all = await vscode.commands.executeCommand<FindingsResult | undefined>('auditLens.runDetections');
    assert.ok(all);
    assert.deepEqual(all.scope.sources, services.settings.sources);
    assert.ok(all.records > 0);
    assert.equal(controller.state.state, 'done');
  });

  it('runs over one date of a workspace, and a cancelled run leaves the view empty', async () => {
    const controller = await findings();
    const { folderSource } = fixture();
    const dated = await controller.run({ kind: 'date', sourceUri: folderSource, workspaceId: '0', date: '2024-05-01' });
    assert.ok(dated);
    assert.deepEqual(dated.scope, { sources: [folderSource], workspaces: ['0'], from: '2024-05-01', to: '2024-05-01' });
    assert.match(controller.view.message ?? '', /· account level · 2024-05-01 · 2 records · 33 detections · as of now \([^)]+\)$/);
    assert.equal(controller.view.badge, undefined, 'no high-severity findings there');
    const pending = controller.run({ kind: 'source', sourceUri: sampleBucket() });
    controller.cancel();
    assert.equal(await pending, undefined);
    assert.equal(controller.state.state, 'idle');
    assert.deepEqual(controller.provider.getChildren(), []);
  });

  it('ignores a row’s actor for its detection in the workspace’s settings, and runs again without it', async () => {
    const controller = await findings();
    const config = () => vscode.workspace.getConfiguration('auditLens');
    const ran = await controller.run({ kind: 'source', sourceUri: sampleBucket() });
    assert.ok(ran);
    const rows = controller.provider
      .getChildren()
      .flatMap((severity) => controller.provider.getChildren(severity))
      .flatMap((detection) => controller.provider.getChildren(detection))
      .filter((n): n is Extract<FindingNode, { kind: 'row' }> => n.kind === 'row');
    const row = rows.find((n) => /\bcanIgnoreActor\b/.test(controller.provider.getTreeItem(n).contextValue ?? ''));
    assert.ok(row, 'the sample has a finding whose detection can ignore its actor');
    const actor = rowActor(row.run, row.index)!;
    const { id } = row.run.detection;
    const countBefore = row.run.result.rowCount;
    const contributes = vscode.extensions.getExtension('audit-lens.audit-lens')!.packageJSON.contributes as { menus: Record<string, { command: string; when?: string }[]> };
    assert.ok(contributes.menus['view/item/context']!.some((m) => m.command === 'auditLens.findings.ignoreActor' && /canIgnoreActor/.test(m.when ?? '')));
    try {
      const outcome = await vscode.commands.executeCommand<string | undefined>('auditLens.findings.ignoreActor', row);
      assert.equal(outcome, 'added');
      const written = config().inspect<Record<string, Record<string, unknown[]>>>('detectionParameters')?.workspaceValue;
      assert.ok(written?.[id]?.ignoreActors?.includes(actor), JSON.stringify(written));
      assert.equal(config().inspect('detectionParameters')?.globalValue, undefined, 'the user’s settings are left alone');
      const rerun = await waitFor('the detections to run again without the actor', () => {
        const state = controller.state;
        if (state.state !== 'done' || state.result === ran) return undefined;
        return state.result.runs.find((r) => r.detection.id === id);
      }, 60_000);
      assert.ok((rerun.detection.parameters.ignoreActors!.default as unknown[]).includes(actor), 'the run used the setting’s list');
      assert.ok(rerun.result.rowCount < countBefore, `${rerun.result.rowCount} rows after, ${countBefore} before`);
      assert.equal(rerun.result.rows.some((_, index) => rowActor(rerun, index) === actor), false);
      assert.equal(await vscode.commands.executeCommand('auditLens.findings.ignoreActor', row), 'already');
    } finally {
      await config().update('detectionParameters', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});
