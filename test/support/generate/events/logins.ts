/** Logins and logouts: successful ones, failed ones (null email) and IP access list denials. */
import type { Actor, EventContext } from '../context';
import type { ActionRow } from '../actionTable';
import type { EventBuilder } from './types';

const GUESSED_USERS = ['admin@example.com', 'root@example.com', 'test@example.com', 'j.doe@example.com'];

function attemptedUser(ctx: EventContext): string {
  return ctx.rng.chance(0.6) ? ctx.person().email : ctx.rng.pick(GUESSED_USERS);
}

function hostileActor(ctx: EventContext, email: string | null): Actor {
  return { email, ip: ctx.rng.pick(ctx.world.hostileIps), userAgent: ctx.rng.pick(['python-requests/2.31.0', 'curl/7.88.1', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)']), sessionId: null };
}

function blockedMessage(ctx: EventContext, ip: string): string {
  return ctx.workspace
    ? `Source IP address: ${ip} is blocked by Databricks IP ACL for workspace: ${ctx.workspace.id}`
    : `Source IP address: ${ip} is blocked by Databricks IP ACL for account: ${ctx.world.accountId}`;
}

/** login, samlLogin, jwtLogin, gcpWorkspaceBrowserLogin and (with a token) tokenLogin. */
export const login: EventBuilder = (ctx, row: ActionRow) => {
  const { rng } = ctx;
  const roll = rng.next();
  if (row.action !== 'tokenLogin' && roll < 0.08) {
    const user = attemptedUser(ctx);
    ctx.emit({
      service: row.service,
      action: row.action,
      params: { user },
      actor: hostileActor(ctx, null),
      statusCode: 401,
      errorMessage: rng.pick(['Invalid username or password', 'Authentication failed', 'User not found']),
    });
    return;
  }
  if (roll < 0.11) {
    const user = attemptedUser(ctx);
    const actor = hostileActor(ctx, user);
    ctx.emit({
      service: row.service,
      action: row.action,
      params: row.action === 'tokenLogin' ? { tokenId: rng.hex(64), user } : { user },
      actor,
      statusCode: 403,
      errorMessage: blockedMessage(ctx, actor.ip!),
    });
    return;
  }
  if (row.action === 'tokenLogin') {
    const actor = ctx.workspace && rng.chance(0.3) ? ctx.servicePrincipal() : ctx.user(true);
    ctx.emit({ service: row.service, action: row.action, params: { tokenId: rng.hex(64), user: actor.email! }, actor });
    return;
  }
  const actor = ctx.user(false);
  ctx.emit({ service: row.service, action: row.action, params: { user: actor.email! }, actor });
};

export const logout: EventBuilder = (ctx, row) => {
  const actor = ctx.user(false);
  ctx.emit({ service: row.service, action: row.action, params: { user: actor.email! }, actor });
};
