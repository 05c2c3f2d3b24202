/** Actions that security reviews look for, with the actors and values they have in practice. */
import type { Actor } from '../context';
import { encode } from '../context';
import type { EventBuilder } from './types';

const PRIVILEGES = ['SELECT', 'MODIFY', 'READ_METADATA', 'USAGE', 'CREATE'];

/** Table access checks when table ACLs are on: which principal asked for what on which table. */
export const requestPermissions: EventBuilder = (ctx) => {
  const { rng } = ctx;
  const ws = ctx.ws;
  const requests = rng.sample(ws.tables, rng.int(1, 3)).map((name) => ({
    privilege: rng.pick(PRIVILEGES),
    securable: { type: 'TABLE', name },
  }));
  const denied = rng.chance(0.07);
  ctx.emit({
    service: 'sqlPermissions',
    action: 'requestPermissions',
    params: { requests: encode(requests) },
    actor: ctx.anyActor(),
    statusCode: denied ? 403 : 200,
    errorMessage: denied ? `PERMISSION_DENIED: User does not have ${requests[0]!.privilege} on table ${requests[0]!.securable.name}` : null,
  });
};

/** A Databricks employee accessing the workspace, approved by an admin. */
export const genieAccess: EventBuilder = (ctx) => {
  const { rng } = ctx;
  const staff = `${rng.pick(['support', 'eng-oncall', 'escalation'])}-${rng.alnum(4)}@databricks.com`;
  const actor: Actor = { email: staff, ip: `52.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`, userAgent: 'Databricks-Genie/1.0', sessionId: null };
  const approver = ctx.ws.people.find((p) => p.isAdmin)!.email;
  ctx.emit({
    service: 'genie',
    action: 'databricksAccess',
    params: {
      duration: String(rng.pick([60, 120, 240])),
      approver,
      reason: rng.pick(['Support case investigation', 'Debugging cluster startup failure']),
      authType: rng.pick(['WORKSPACE_ACCESS', 'GENIE_ACCESS']),
      user: staff,
    },
    actor,
  });
};

export const workspaceConfEdit: EventBuilder = (ctx) => {
  const key = ctx.rng.pick(['enableResultsDownloading', 'enableExportNotebook', 'enableTokensConfig', 'enableIpAccessLists', 'enableDbfsFileBrowser']);
  ctx.emit({
    service: 'workspace',
    action: 'workspaceConfEdit',
    params: { workspaceConfKeys: key, workspaceConfValues: String(ctx.rng.chance(0.5)) },
    actor: ctx.admin(),
  });
};

export const generateDbToken: EventBuilder = (ctx) => {
  const actor = ctx.user(ctx.rng.chance(0.5));
  const person = ctx.ws.people.find((p) => p.email === actor.email)!;
  const lifetimeDays = ctx.rng.weighted([[90, 5], [30, 3], [1, 1], [0, 1]] as const);
  ctx.emit({
    service: 'accounts',
    action: 'generateDbToken',
    params: {
      userId: person.userId,
      // "0" lifetime: a token that never expires.
      tokenExpirationTime: lifetimeDays === 0 ? 'null' : String(ctx.time + lifetimeDays * 86_400_000),
    },
    actor,
    result: encode({ token_id: ctx.rng.hex(64) }),
  });
};

/** A long action logged twice: the request half has no status yet, the response half follows. */
export function requestThenResponse(): EventBuilder {
  return (ctx, row) => {
    const ws = ctx.ws;
    const notebook = ctx.rng.pick(ws.notebooks);
    const params: Record<string, string> =
      row.action === 'workspaceExport'
        ? { workspaceExportFormat: ctx.rng.pick(['SOURCE', 'DBC', 'HTML', 'JUPYTER']), notebookFullPath: notebook.path }
        : { notebookId: notebook.id, notebookFullPath: notebook.path };
    const actor = ctx.user();
    const requestId = ctx.newRequestId();
    ctx.emit({ service: row.service, action: row.action, params, actor, requestId, statusCode: null });
    ctx.emit({ service: row.service, action: row.action, params, actor, requestId, delayMs: ctx.rng.int(2, 40) * 1000 });
  };
}

/** Actions only administrators perform. */
export const ADMIN_ACTIONS = new Set([
  'accounts.add',
  'accounts.setAdmin',
  'accounts.removeAdmin',
  'accounts.delete',
  'accounts.createGroup',
  'accounts.removeGroup',
  'accounts.resetPassword',
  'accounts.validateEmail',
  'accounts.addPrincipalToGroup',
  'globalInitScripts.create',
  'globalInitScripts.update',
  'globalInitScripts.delete',
  'groups.createGroup',
  'groups.removeGroup',
  'groups.addPrincipalToGroup',
  'iamRole.changeIamRoleAcl',
  'workspace.purgeWorkspaceNodes',
  'dbfs.mount',
  'dbfs.unmount',
  'sqlanalytics.createEndpoint',
]);
