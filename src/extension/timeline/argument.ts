/** The Show Timeline command's argument, from a notebook cell or a Findings row: `{identity, scope?, asOf?}`. Pure. */
import { parseIdentity } from '../../protocol/timeline';
import { parseAsOfChoice, type AsOfChoice } from '../../shared/asOf';
import { parseScope, type NotebookScope } from '../../shared/notebook/format';
import type { Identity } from '../../shared/timeline';

export interface ShowTimelineArgument {
  identity: Identity;
  scope?: NotebookScope;
  /** The as-of choice of the notebook or detection run it came from. */
  asOf?: AsOfChoice;
}

/** The argument when it is well formed (a scope or as-of that is not is dropped); undefined means ask the user. */
export function parseShowTimelineArgument(arg: unknown): ShowTimelineArgument | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const identity = parseIdentity((arg as { identity?: unknown }).identity);
  if (!identity) return undefined;
  const rawScope = (arg as { scope?: unknown }).scope;
  const scope = rawScope === undefined ? undefined : parseScope(rawScope);
  const asOf = parseAsOfChoice((arg as { asOf?: unknown }).asOf);
  return { identity, ...(scope?.ok ? { scope: scope.value } : {}), ...(asOf ? { asOf } : {}) };
}

