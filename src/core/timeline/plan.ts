/** What a timeline loads and runs: its statements, the partitions around its window, and their pushdown. */
import type { PartitionFilter } from '../layout';
import { derivePushdown, type Pushdown } from '../sql/pushdown';
import type { Identity } from '../../shared/timeline';
import { timelineStatements } from './statements';
import { isEmptyWindow, windowPartitionFilter, type TimelineWindow } from './window';

/** Whose events, when, and where to look. */
export interface TimelineSelection {
  identity: Identity;
  /** Dates and workspaces to read (the window narrows the dates further). */
  filter?: PartitionFilter;
  window?: TimelineWindow;
  /** False loads every line whole (the answer is the same; for comparison). */
  pushdown?: boolean;
}

export interface TimelinePlan {
  statements: string[];
  filter: PartitionFilter;
  pushdown: Pushdown;
  /** True when the window holds no instant: nothing needs loading. */
  empty: boolean;
}

export function planTimeline(selection: TimelineSelection): TimelinePlan {
  const window = selection.window ?? {};
  const statements = timelineStatements(selection.identity, window);
  return {
    statements,
    filter: windowPartitionFilter(window, selection.filter),
    pushdown: selection.pushdown === false ? {} : derivePushdown(statements),
    empty: isEmptyWindow(window),
  };
}
