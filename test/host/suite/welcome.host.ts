/**
 * The sources view's welcome content: offered (through its `when` context key) while no source is
 * configured, and its three commands work — add a bucket through a scripted input box, add a
 * folder through a scripted open dialog, open the bundled sample.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { HAS_SOURCES } from '../../../src/extension/contextKeys';
import { api, children, fixture, sampleBucket, waitFor } from './helpers';

const config = () => vscode.workspace.getConfiguration('auditLens');
const userSources = () => config().inspect<string[]>('sources')?.globalValue;

async function setUserSources(sources: string[] | undefined): Promise<void> {
  await config().update('sources', sources, vscode.ConfigurationTarget.Global);
  const { services, contextKeys } = await api();
  const expected = sources ?? [];
  await waitFor('the extension to see the sources', () =>
    JSON.stringify(services.settings.sources) === JSON.stringify(expected) && contextKeys.get(HAS_SOURCES) === expected.length > 0 ? true : undefined,
  );
}

interface WelcomeContribution {
  view: string;
  contents: string;
  when?: string;
}

describe('the welcome view', () => {
  let saved: string[] | undefined;

  before(async () => {
    saved = userSources();
    await setUserSources([]);
  });

  after(() => setUserSources(saved));

  it('is offered while no source is configured: its when clause holds and the tree is empty', async () => {
    const extension = vscode.extensions.getExtension('audit-lens.audit-lens')!;
    const contributions = (extension.packageJSON as { contributes: { viewsWelcome: WelcomeContribution[] } }).contributes.viewsWelcome;
    const welcome = contributions.find((w) => w.view === 'auditLens.sources');
    assert.ok(welcome);
    assert.equal(welcome.when, `!${HAS_SOURCES}`);
    const { contextKeys } = await api();
    assert.equal(contextKeys.get(HAS_SOURCES), false);
    assert.deepEqual(await children(), []);
    const links = [...welcome.contents.matchAll(/\]\(command:([\w.]+)\)/g)].map((m) => m[1]);
    assert.deepEqual(links, ['auditLens.addBucket', 'auditLens.addFolder', 'auditLens.openSample']);
    const registered = await vscode.commands.getCommands(true);
    for (const command of links) assert.ok(registered.includes(command!), `${command} is registered`);
  });

  it('adds a bucket typed into the input box, and the welcome gives way to the tree', async () => {
    const { services, contextKeys } = await api();
    const added = await services.prompts.answerWith([{ kind: 'inputBox', value: 'gs://welcome-bucket/audit/' }], () => vscode.commands.executeCommand<boolean>('auditLens.addBucket'));
    assert.equal(added, true);
    assert.deepEqual(userSources(), ['gs://welcome-bucket/audit']);
    await waitFor('the context key to flip', () => (contextKeys.get(HAS_SOURCES) === true ? true : undefined));
    assert.deepEqual((await children()).map((c) => c.label), ['welcome-bucket/audit']);
    await setUserSources([]);
  });

  it('does not let the input box submit a bucket name GCS would refuse', async () => {
    const { services } = await api();
    await assert.rejects(
      services.prompts.answerWith([{ kind: 'inputBox', value: 'gs://Not_A_Bucket' }], () => vscode.commands.executeCommand('auditLens.addBucket')),
      /refused by the input box: 'Not_A_Bucket' is not a bucket name/,
    );
    assert.deepEqual(userSources(), []);
  });

  it('adds the folder picked in the open dialog', async () => {
    const { services } = await api();
    const folder = fixture().folderSource;
    const added = await services.prompts.answerWith([{ kind: 'openDialog', value: [vscode.Uri.file(folder)] }], () => vscode.commands.executeCommand<boolean>('auditLens.addFolder'));
    assert.equal(added, true);
    assert.deepEqual(userSources(), [folder]);
    await waitFor('the folder in the tree', async () => ((await children()).some((c) => c.node.kind === 'source' && c.node.sourceUri === folder) ? true : undefined));
    await setUserSources([]);
  });

  it('fails a test, instead of waiting for a user, when a prompt comes unscripted or a scripted one never comes', async () => {
    const { services } = await api();
    await assert.rejects(services.prompts.answerWith([], () => vscode.commands.executeCommand('auditLens.addBucket')), /unexpected inputBox prompt 'Add a GCS bucket/);
    await assert.rejects(services.prompts.answerWith([{ kind: 'saveDialog', value: undefined }], () => vscode.commands.executeCommand('auditLens.addFolder')), /expected a saveDialog prompt, got openDialog/);
    await assert.rejects(services.prompts.answerWith([{ kind: 'inputBox', value: 'gs://x' }], () => vscode.commands.executeCommand('auditLens.addBucket', 'gs://typed-bucket')), /1 scripted answer\(s\) were not asked for: inputBox/);
    await setUserSources([]);
  });

  it('adds nothing when the dialogs are dismissed', async () => {
    const { services } = await api();
    assert.equal(await services.prompts.answerWith([{ kind: 'openDialog', value: undefined }], () => vscode.commands.executeCommand<boolean>('auditLens.addFolder')), false);
    assert.equal(await services.prompts.answerWith([{ kind: 'inputBox', value: undefined }], () => vscode.commands.executeCommand<boolean>('auditLens.addBucket')), false);
    assert.deepEqual(userSources(), []);
  });

  it('opens the bundled sample as a source with its workspaces', async () => {
    await vscode.commands.executeCommand('auditLens.openSample');
    assert.deepEqual(userSources(), [sampleBucket()]);
    const roots = await waitFor('the sample in the tree', async () => {
      const found = await children();
      return found.length > 0 ? found : undefined;
    });
    assert.deepEqual(roots.map((r) => r.label), ['bucket']);
    const workspaces = await children(roots[0]!.node);
    assert.ok(workspaces.length >= 2 && workspaces[0]!.label === 'Account level', workspaces.map((w) => w.label).join(', '));
  });
});
