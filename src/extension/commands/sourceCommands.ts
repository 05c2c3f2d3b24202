/** Commands that manage sources and the tree: add/remove sources, the bundled sample, date range, refresh. */
import { stat } from 'node:fs/promises';
import * as vscode from 'vscode';
import { AuditLensError } from '../../core/errors';
import { checkFilter, isValidDate, lastDays, type PartitionFilter } from '../../core/layout';
import type { ExtensionServices } from '../services';
import { writeSources } from '../settings';
import { checkGcsUri, parseSourceInput, sameSource } from '../sourceInput';
import type { SourceNode, TreeNode } from '../tree/nodes';
import type { SourcesTreeProvider } from '../tree/provider';
import { safeWindow, uiText } from '../untrustedText';
import { COMMANDS, SOURCES_VIEW } from './ids';
import { registerCommands } from './register';

export async function addSource(services: ExtensionServices, uri: string): Promise<boolean> {
  const parsed = parseSourceInput(uri);
  if ('error' in parsed) {
    void safeWindow.showErrorMessage(parsed.error);
    return false;
  }
  if (parsed.kind === 'local') {
    const info = await stat(parsed.uri).catch(() => undefined);
    if (!info?.isDirectory()) {
      void safeWindow.showErrorMessage(`Not a folder: ${parsed.uri}`);
      return false;
    }
  }
  const current = services.settings.sources;
  if (current.some((s) => sameSource(s, parsed.uri))) {
    void safeWindow.showInformationMessage(`${parsed.uri} is already a source.`);
    return false;
  }
  await writeSources([...current, parsed.uri]);
  services.log.info(`added source ${parsed.uri}`);
  return true;
}

/** Parses "2024-01-01..2024-01-31", "2024-01-01.." or "..2024-01-31". */
export function parseDateRange(text: string): PartitionFilter | string {
  const match = /^\s*(\d{4}-\d{2}-\d{2})?\s*(?:\.\.|–|—|to)\s*(\d{4}-\d{2}-\d{2})?\s*$/.exec(text) ?? /^\s*(\d{4}-\d{2}-\d{2})\s*$/.exec(text);
  if (!match) return 'Write the range as YYYY-MM-DD..YYYY-MM-DD (either end may be left out).';
  const filter: PartitionFilter = { from: match[1], to: match.length > 2 ? match[2] : match[1] };
  if (!filter.from && !filter.to) return 'Give at least one date.';
  for (const d of [filter.from, filter.to]) if (d && !isValidDate(d)) return `${d} is not a calendar date.`;
  return checkFilter(filter)?.replace(/--(from|to)/g, '$1') ?? filter;
}

export function registerSourceCommands(services: ExtensionServices, tree: SourcesTreeProvider): vscode.Disposable[] {
  const { context } = services;
  return registerCommands({
    [COMMANDS.addBucket]: async (uri?: string) => {
      const value =
        typeof uri === 'string'
          ? uri
          : await services.prompts.showInputBox({
              title: 'Add a GCS bucket of Databricks audit logs',
              prompt: 'The bucket and the delivery path prefix, above the workspaceId= folders',
              placeHolder: 'gs://my-audit-logs/databricks',
              value: 'gs://',
              valueSelection: [5, 5],
              ignoreFocusOut: true,
              // Input box validation messages render links: the message quotes what was typed.
              validateInput: (text) => {
                const problem = checkGcsUri(text);
                return problem ? uiText(problem) : null;
              },
            });
      if (value) return addSource(services, value);
      return false;
    },
    [COMMANDS.addFolder]: async (folder?: string) => {
      let value = typeof folder === 'string' ? folder : undefined;
      if (!value) {
        const picked = await services.prompts.showOpenDialog({
          canSelectFiles: false,
          canSelectFolders: true,
          canSelectMany: false,
          openLabel: 'Add as Audit-Log Source',
          title: 'A folder laid out like the bucket: workspaceId=<id>/date=<yyyy-mm-dd>/auditlogs_<id>.json',
        });
        value = picked?.[0]?.fsPath;
      }
      if (value) return addSource(services, value);
      return false;
    },
    [COMMANDS.openSample]: async () => {
      const sample = vscode.Uri.joinPath(context.extensionUri, 'samples', 'bucket').fsPath;
      if (!services.settings.sources.some((s) => sameSource(s, sample))) await addSource(services, sample);
      await vscode.commands.executeCommand(`${SOURCES_VIEW}.focus`);
    },
    [COMMANDS.removeSource]: async (node?: SourceNode) => {
      let uri = node?.kind === 'source' ? node.sourceUri : undefined;
      if (!uri) uri = await safeWindow.pickString(services.settings.sources, { title: 'Remove which source?' });
      if (!uri) return;
      await writeSources(services.settings.sources.filter((s) => !sameSource(s, uri)));
      services.log.info(`removed source ${uri}`);
    },
    [COMMANDS.refresh]: () => tree.refresh(),
    [COMMANDS.refreshNode]: (node?: TreeNode) => tree.refresh(node),
    [COMMANDS.clearDateRange]: () => tree.setDateFilter({}),
    [COMMANDS.setDateRange]: async (range?: string) => {
      if (typeof range === 'string') {
        const parsed = parseDateRange(range);
        if (typeof parsed === 'string') throw new AuditLensError('usage', parsed, `auditLens.setDateRange(${JSON.stringify(range)})`);
        tree.setDateFilter(parsed);
        return;
      }
      const choices: (vscode.QuickPickItem & { filter?: PartitionFilter; custom?: true })[] = [
        { label: 'Last 7 days', filter: lastDays(7) },
        { label: 'Last 30 days', filter: lastDays(30) },
        { label: 'Last 90 days', filter: lastDays(90) },
        { label: 'Custom range…', custom: true },
        { label: 'All dates', filter: {} },
      ];
      const choice = await safeWindow.showQuickPick(choices, { title: 'Show which dates? (UTC, by date= folder)' });
      if (!choice) return;
      if (choice.filter) return tree.setDateFilter(choice.filter);
      const current = tree.dateFilter;
      const text = await vscode.window.showInputBox({
        title: 'Date range',
        prompt: 'YYYY-MM-DD..YYYY-MM-DD (leave an end out for an open range)',
        value: current.from || current.to ? `${current.from ?? ''}..${current.to ?? ''}` : '',
        ignoreFocusOut: true,
        validateInput: (t) => {
          const parsed = parseDateRange(t);
          return typeof parsed === 'string' ? parsed : null;
        },
      });
      if (text === undefined) return;
      const parsed = parseDateRange(text);
      if (typeof parsed !== 'string') tree.setDateFilter(parsed);
    },
  });
}
