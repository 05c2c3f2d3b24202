/** The identities whose timelines were opened last, most recent first: what the Show Timeline command offers. Pure. */
import { parseIdentity } from '../../protocol/timeline';
import type { Identity } from '../../shared/timeline';

export const RECENT_IDENTITIES_KEY = 'auditLens.timeline.recentIdentities';
export const MAX_RECENT_IDENTITIES = 10;

/** The stored list, keeping only well-formed entries (the state may come from an older or edited profile). */
export function readRecent(stored: unknown): Identity[] {
  if (!Array.isArray(stored)) return [];
  return stored.flatMap((entry) => parseIdentity(entry) ?? []).slice(0, MAX_RECENT_IDENTITIES);
}

/** The list with `identity` first, once. */
export function rememberIdentity(recent: readonly Identity[], identity: Identity): Identity[] {
  const others = recent.filter((r) => r.kind !== identity.kind || r.value !== identity.value);
  return [identity, ...others].slice(0, MAX_RECENT_IDENTITIES);
}
