/** Where duplicate events fall: each event seen in more than one place, counted once per workspace and UTC day of a copy. */
import type { FileCoverage } from '../../core/coverage';
import { parseIdentityKey } from '../../core/coverage/read';
import type { DuplicateDay } from './protocol';

export class DuplicateDays {
  /** Identity key → the workspace of each copy seen. */
  private readonly copies = new Map<string, string[]>();

  add(coverage: FileCoverage): void {
    for (const { key } of coverage.identities) {
      const workspaces = this.copies.get(key);
      if (workspaces) workspaces.push(coverage.file.workspaceId);
      else this.copies.set(key, [coverage.file.workspaceId]);
    }
  }

  days(): DuplicateDay[] {
    const cells = new Map<string, DuplicateDay>();
    for (const [key, workspaces] of this.copies) {
      if (workspaces.length < 2) continue;
      const date = new Date(parseIdentityKey(key).timestamp).toISOString().slice(0, 10);
      for (const workspaceId of new Set(workspaces)) {
        const cellKey = `${workspaceId}|${date}`;
        const cell = cells.get(cellKey) ?? { workspaceId, date, events: 0 };
        cell.events++;
        cells.set(cellKey, cell);
      }
    }
    return [...cells.values()].sort((a, b) => (a.workspaceId === b.workspaceId ? (a.date < b.date ? -1 : 1) : a.workspaceId < b.workspaceId ? -1 : 1));
  }
}
