/** The Show Timeline command's argument, from a notebook cell or a Findings row: `{identity, scope?}`. Pure. */
import { parseIdentity } from '../../protocol/timeline';
import { parseScope, type NotebookScope } from '../../shared/notebook/format';
import type { Identity } from '../../shared/timeline';

export interface ShowTimelineArgument {
  identity: Identity;
  scope?: NotebookScope;
}

/** The argument when it is well formed (a scope that is not is dropped); undefined means ask the user. */
export function parseShowTimelineArgument(arg: unknown): ShowTimelineArgument | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const identity = parseIdentity((arg as { identity?: unknown }).identity);
  if (!identity) return undefined;
  const rawScope = (arg as { scope?: unknown }).scope;
  const scope = rawScope === undefined ? undefined : parseScope(rawScope);
  return { identity, ...(scope?.ok ? { scope: scope.value } : {}) };
}

