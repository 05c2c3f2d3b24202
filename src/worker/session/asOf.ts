/** The instant a notebook run answers at: the scope bar's choice over the scope and the files loaded so far. */
import { AuditLensError } from '../../core/errors';
import { lastPartitionDate } from '../../core/layout';
import { AS_OF_NOW, parseAsOfChoice, resolveAsOf, type AsOfChoice } from '../../shared/asOf';
import type { NotebookScope } from '../../shared/notebook/format';

/** The choice a run carries, else the notebook's, else the wall clock; anything malformed counts as absent. */
export function runChoice(sent: unknown, saved: AsOfChoice | undefined): AsOfChoice {
  return parseAsOfChoice(sent) ?? saved ?? AS_OF_NOW;
}

/**
 * Epoch ms for a choice: `scope-end` ends the scope's To date, else the last date loaded. With
 * neither it is a usage error (nothing says where the scope ends).
 */
export function runInstant(choice: AsOfChoice, scope: Pick<NotebookScope, 'to'> | undefined, loadedFiles: Iterable<string>, wallClock = Date.now()): number {
  const at = resolveAsOf(choice, scope?.to ?? lastPartitionDate(loadedFiles), wallClock);
  if (at === undefined) throw new AuditLensError('usage', 'As of the end of scope needs a To date in the scope bar, or something loaded: set one, or pick another instant.');
  return at;
}
