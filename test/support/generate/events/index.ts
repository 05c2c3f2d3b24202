/** Which builder emits each action; everything without a dedicated builder uses the generic one. */
import type { ActionRow } from '../actionTable';
import type { EventContext } from '../context';
import { paramsFor } from '../params';
import { createCluster, lifecycle, resizeCluster } from './clusters';
import { createJob, runNow, runOutcome, submitRun } from './jobs';
import { login, logout } from './logins';
import { ADMIN_ACTIONS, genieAccess, generateDbToken, requestPermissions, requestThenResponse, workspaceConfEdit } from './security';
import type { EventBuilder } from './types';

export type { EventBuilder } from './types';

const WORKSPACE_BUILDERS: Record<string, EventBuilder> = {
  'accounts.login': login,
  'accounts.samlLogin': login,
  'accounts.jwtLogin': login,
  'accounts.tokenLogin': login,
  'accounts.logout': logout,
  'accounts.generateDbToken': generateDbToken,
  'clusters.create': createCluster,
  'clusters.start': lifecycle('start', 'RUNNING'),
  'clusters.restart': lifecycle('restart', 'RUNNING'),
  'clusters.delete': lifecycle('delete', 'TERMINATED'),
  'clusters.resize': resizeCluster,
  'jobs.create': createJob,
  'jobs.runNow': runNow,
  'jobs.submitRun': submitRun,
  'jobs.runSucceeded': runOutcome(true),
  'jobs.runFailed': runOutcome(false),
  'sqlPermissions.requestPermissions': requestPermissions,
  'genie.databricksAccess': genieAccess,
  'workspace.workspaceConfEdit': workspaceConfEdit,
  'workspace.workspaceExport': requestThenResponse(),
  'notebook.downloadLargeResults': requestThenResponse(),
};

const ACCOUNT_BUILDERS: Record<string, EventBuilder> = {
  'accounts.login': login,
  'accounts.gcpWorkspaceBrowserLogin': login,
  'accounts.logout': logout,
};

const FAILURES = [
  [400, 'INVALID_PARAMETER_VALUE: The request is malformed'],
  [403, 'PERMISSION_DENIED: You do not have permission to perform this action'],
  [404, 'RESOURCE_DOES_NOT_EXIST: The requested resource does not exist'],
] as const;

/** Documented keys with realistic values; occasionally fails; key casing sometimes varies. */
const generic: EventBuilder = (ctx, row) => {
  const { rng } = ctx;
  const params = paramsFor(row.keys, ctx);
  if ('dashboardId' in params && rng.chance(0.3)) {
    params.DashboardId = params.dashboardId!;
    delete params.dashboardId;
  }
  const isAdminAction = ADMIN_ACTIONS.has(`${row.service}.${row.action}`) || row.level === 'account';
  const actor = isAdminAction ? ctx.admin() : ctx.anyActor();
  const failure = rng.chance(0.03) ? rng.pick(FAILURES) : undefined;
  ctx.emit({
    service: row.service,
    action: row.action,
    params,
    actor,
    statusCode: failure ? failure[0] : 200,
    errorMessage: failure ? failure[1] : null,
    // Account-level events about one workspace carry that workspace's id.
    recordWorkspaceId: row.level === 'account' && params.workspace_id ? params.workspace_id : undefined,
  });
};

export function buildEvent(ctx: EventContext, row: ActionRow): void {
  const builders = row.level === 'account' ? ACCOUNT_BUILDERS : WORKSPACE_BUILDERS;
  (builders[`${row.service}.${row.action}`] ?? generic)(ctx, row);
}
