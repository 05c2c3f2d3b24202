/**
 * Which workspaces of a source look like their delivery stopped, from the date folders the tree
 * already listed (no other read): a workspace whose newest date folder is at least
 * STOPPED_AFTER_DAYS older than the newest date folder of the other workspaces listed.
 */
export const STOPPED_AFTER_DAYS = 2;

const DAY_MS = 86_400_000;

export interface StoppedDelivery {
  /** The workspace's newest date folder. */
  lastDate: string;
  /** The newest date folder of the source's other workspaces. */
  othersNewest: string;
}

/** `newest`: the newest date folder of each workspace of one source whose dates were listed. */
export function stoppedDelivery(newest: ReadonlyMap<string, string>, workspaceId: string): StoppedDelivery | undefined {
  const lastDate = newest.get(workspaceId);
  if (lastDate === undefined) return undefined;
  let othersNewest: string | undefined;
  for (const [other, date] of newest) if (other !== workspaceId && (othersNewest === undefined || date > othersNewest)) othersNewest = date;
  if (othersNewest === undefined) return undefined;
  const behind = (Date.parse(`${othersNewest}T00:00:00Z`) - Date.parse(`${lastDate}T00:00:00Z`)) / DAY_MS;
  return behind >= STOPPED_AFTER_DAYS ? { lastDate, othersNewest } : undefined;
}

export function stoppedDeliveryText(stopped: StoppedDelivery): string {
  return `delivery may have stopped: last date ${stopped.lastDate}`;
}

/** The tree's record of newest date folders per source and workspace, as the listings come in. */
export class NewestDates {
  private readonly bySource = new Map<string, Map<string, string>>();

  /**
   * Records a workspace's listed dates (ascending); returns the workspaces of the source whose
   * mark changed with it, so their rows can be redrawn.
   */
  record(sourceUri: string, workspaceId: string, ascending: readonly string[]): string[] {
    const newest = this.bySource.get(sourceUri) ?? new Map<string, string>();
    this.bySource.set(sourceUri, newest);
    const before = new Map([...newest.keys()].map((id) => [id, stoppedDelivery(newest, id)?.lastDate]));
    const last = ascending.at(-1);
    if (last === undefined) newest.delete(workspaceId);
    else newest.set(workspaceId, last);
    const ids = new Set([...before.keys(), ...newest.keys()]);
    return [...ids].filter((id) => before.get(id) !== stoppedDelivery(newest, id)?.lastDate);
  }

  stopped(sourceUri: string, workspaceId: string): StoppedDelivery | undefined {
    const newest = this.bySource.get(sourceUri);
    return newest ? stoppedDelivery(newest, workspaceId) : undefined;
  }

  /** Forgets one source's listings, or all of them. */
  forget(sourceUri?: string): void {
    if (sourceUri === undefined) this.bySource.clear();
    else this.bySource.delete(sourceUri);
  }
}
