/**
 * The scope a notebook opens with: from a command argument ({sources, workspaces?, from?, to?}),
 * from a tree node (source, workspace, month, date, service, action), or from the settings.
 * Pure, so it is tested without VS Code.
 */
import * as path from 'node:path';
import { AuditLensError } from '../../core/errors';
import { lastDays } from '../../core/layout';
import { parseScope, type NotebookCell, type NotebookScope } from '../../shared/notebook/format';

interface NodeLike {
  kind: string;
  sourceUri?: unknown;
  workspaceId?: unknown;
  date?: unknown;
  dates?: unknown;
  service?: unknown;
  action?: unknown;
}

function isNodeLike(value: unknown): value is NodeLike & { sourceUri: string } {
  return typeof value === 'object' && value !== null && typeof (value as NodeLike).kind === 'string' && typeof (value as NodeLike).sourceUri === 'string';
}

export interface OpeningScope {
  scope: NotebookScope;
  /** A first cell focused on the node (a service or an action), if any. */
  cell?: Omit<NotebookCell, 'id'>;
}

function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export function scopeFromNode(node: NodeLike & { sourceUri: string }): OpeningScope | undefined {
  const scope: NotebookScope = { sources: [node.sourceUri] };
  if (typeof node.workspaceId === 'string' && /^\d+$/.test(node.workspaceId)) scope.workspaces = [node.workspaceId];
  if (typeof node.date === 'string') {
    scope.from = node.date;
    scope.to = node.date;
  } else if (Array.isArray(node.dates) && node.dates.length > 0 && node.dates.every((d) => typeof d === 'string')) {
    const dates = [...(node.dates as string[])].sort();
    scope.from = dates[0];
    scope.to = dates[dates.length - 1];
  }
  const checked = parseScope(scope);
  if (!checked.ok) return undefined;
  if (typeof node.service === 'string') {
    const where = [`serviceName = ${sqlString(node.service)}`];
    if (typeof node.action === 'string') where.push(`actionName = ${sqlString(node.action)}`);
    const title = typeof node.action === 'string' ? `${node.service}.${node.action}` : node.service;
    return {
      scope: checked.value,
      cell: { title, sql: `SELECT timestamp, userIdentity.email, sourceIPAddress, actionName, requestParams, response, _file, _line\nFROM audit_logs\nWHERE ${where.join(' AND ')}\nORDER BY timestamp DESC` },
    };
  }
  return { scope: checked.value };
}

/** Interprets the command's argument; undefined when it is missing or not understood. */
export function scopeFromArgument(arg: unknown): OpeningScope | undefined {
  if (arg === undefined || arg === null) return undefined;
  if (isNodeLike(arg)) return scopeFromNode(arg);
  const parsed = parseScope(arg);
  return parsed.ok ? { scope: parsed.value } : undefined;
}

/** The default scope: every configured source, over the last `days` days (0: all dates). */
export function defaultScope(sources: readonly string[], days: number, now = new Date()): NotebookScope {
  const scope: NotebookScope = { sources: [...sources] };
  if (days > 0) {
    const range = lastDays(days, now);
    scope.to = range.to;
    scope.from = range.from;
  }
  return scope;
}

function sourceLabel(source: string): string {
  return /^gs:\/\//i.test(source) ? source.replace(/\/+$/, '') : path.basename(source.replace(/[\\/]+$/, '')) || source;
}

/**
 * What a notebook's tab says about its scope, so two notebooks can be told apart:
 * `gs://bucket/prefix · workspace 123 · 2024-05-06…2024-05-12` (only the parts the scope sets).
 */
/** A scope with no source is a usage error naming what could not be done (`read`, `run detections over`). */
export function requireSources(scope: Pick<NotebookScope, 'sources'>, toDo = 'read'): void {
  if (scope.sources.length === 0) throw new AuditLensError('usage', `No sources to ${toDo}: add a gs:// bucket or a folder to the Audit Lens tree.`);
}

export function scopeLabel(scope: NotebookScope): string {
  const parts: string[] = [];
  const [first, ...others] = scope.sources;
  parts.push(first === undefined ? 'no source' : others.length > 0 ? `${sourceLabel(first)} +${others.length}` : sourceLabel(first));
  const workspaces = scope.workspaces ?? [];
  if (workspaces.length === 1) parts.push(workspaces[0] === '0' ? 'account level' : `workspace ${workspaces[0]}`);
  else if (workspaces.length > 1) parts.push(`${workspaces.length} workspaces`);
  if (scope.from && scope.from === scope.to) parts.push(scope.from);
  else if (scope.from || scope.to) parts.push(`${scope.from ?? ''}\u2026${scope.to ?? ''}`);
  return parts.join(' \u00b7 ');
}
