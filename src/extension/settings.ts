/** The one place that reads Audit Lens settings; untrusted workspaces cannot set sources or endpoints. */
import * as vscode from 'vscode';
import { defaultRowBudget } from '../core/sql/budget';
import { SETTING_RANGES, type SettingRange } from './settingRanges';

export const SECTION = 'auditLens';

export interface AuditLensSettings {
  sources: string[];
  /** Last N days; 0 means every date. */
  defaultDateRange: number;
  rowBudget: number;
  downloadConcurrency: number;
  /** Custom GCS JSON-API endpoint, or undefined for Google's. */
  gcsEndpoint: string | undefined;
  /** Longest wait for one GCS listing page or the next bytes of a download, in seconds. */
  gcsTimeout: number;
  /** The most the record cache holds, in MiB; 0: none. */
  recordCacheSize: number;
}

/** Settings a workspace may not choose when it is untrusted: only the user's own (global) value counts. */
const RESTRICTED = new Set(['sources', 'gcsEndpoint', 'databricks.host', 'databricks.profile', 'detectionPacks', 'detectionParameters']);

function read<T>(config: vscode.WorkspaceConfiguration, key: string, fallback: T, trusted: boolean): T {
  if (RESTRICTED.has(key) && !trusted) {
    const inspected = config.inspect<T>(key);
    return inspected?.globalValue ?? inspected?.defaultValue ?? fallback;
  }
  return config.get<T>(key, fallback);
}

function clampInteger(value: unknown, range: SettingRange): number {
  const n = typeof value === 'number' && Number.isFinite(value) ? Math.trunc(value) : range.default;
  return Math.min(range.maximum, Math.max(range.minimum, n));
}

function readInteger(config: vscode.WorkspaceConfiguration, key: keyof typeof SETTING_RANGES, trusted: boolean): number {
  const range = SETTING_RANGES[key];
  return clampInteger(read<unknown>(config, key, range.default, trusted), range);
}

/** The settings in force; `trusted` is the workspace's trust (a parameter so tests can read both ways). */
export function readSettings(trusted = vscode.workspace.isTrusted): AuditLensSettings {
  const config = vscode.workspace.getConfiguration(SECTION);
  const sources = read<unknown>(config, 'sources', [], trusted);
  const endpoint = read<unknown>(config, 'gcsEndpoint', '', trusted);
  return {
    sources: Array.isArray(sources) ? sources.filter((s): s is string => typeof s === 'string' && s.trim() !== '').map((s) => s.trim()) : [],
    defaultDateRange: readInteger(config, 'defaultDateRange', trusted),
    rowBudget: rowBudgetOf(readInteger(config, 'rowBudget', trusted)),
    downloadConcurrency: readInteger(config, 'downloadConcurrency', trusted),
    gcsEndpoint: typeof endpoint === 'string' && endpoint.trim() !== '' ? endpoint.trim() : undefined,
    gcsTimeout: readInteger(config, 'gcsTimeout', trusted),
    recordCacheSize: readInteger(config, 'recordCacheSize', trusted),
  };
}

/** Where notebooks on the Databricks engine run; empty strings are undefined. No token: that lives in secret storage. */
export interface DatabricksSettings {
  host: string | undefined;
  warehouseId: string | undefined;
  profile: string | undefined;
  auditTable: string | undefined;
}

export function readDatabricksSettings(trusted = vscode.workspace.isTrusted): DatabricksSettings {
  const config = vscode.workspace.getConfiguration(SECTION);
  const text = (key: string): string | undefined => {
    const value = read<unknown>(config, `databricks.${key}`, '', trusted);
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  };
  return { host: text('host'), warehouseId: text('warehouseId'), profile: text('profile'), auditTable: text('auditTable') };
}

/** 0 (the default) means the budget this machine's memory allows. */
function rowBudgetOf(setting: number): number {
  return setting === 0 ? defaultRowBudget() : Math.max(1000, setting);
}

/** Writes the source list to the user's settings (never the workspace's: it may be untrusted or shared). */
export async function writeSources(sources: readonly string[]): Promise<void> {
  await vscode.workspace.getConfiguration(SECTION).update('sources', [...sources], vscode.ConfigurationTarget.Global);
}

/**
 * The detection packs and parameters at the user's level and the workspace's, unchecked: the
 * detection library uses the workspace's only in a trusted workspace, and says when it ignores them.
 */
export function readDetectionSettings(): { packs: { user: unknown; workspace: unknown }; parameters: { user: unknown; workspace: unknown } } {
  const config = vscode.workspace.getConfiguration(SECTION);
  const levels = (key: string) => {
    const inspected = config.inspect<unknown>(key);
    return { user: inspected?.globalValue, workspace: inspected?.workspaceValue };
  };
  return { packs: levels('detectionPacks'), parameters: levels('detectionParameters') };
}

/** The workspace's own detection parameters (an ignore action adds to them), as written there. */
export function workspaceDetectionParameters(): unknown {
  return vscode.workspace.getConfiguration(SECTION).inspect<unknown>('detectionParameters')?.workspaceValue;
}

/** Writes the workspace's detection parameters (never the user's: an ignore is about this workspace's logs). */
export async function writeWorkspaceDetectionParameters(value: Record<string, unknown>): Promise<void> {
  await vscode.workspace.getConfiguration(SECTION).update('detectionParameters', value, vscode.ConfigurationTarget.Workspace);
}

/** Fires when any Audit Lens setting, or the workspace's trust, changes. */
export function onSettingsChanged(listener: () => void): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(SECTION)) listener();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(listener),
  );
}
