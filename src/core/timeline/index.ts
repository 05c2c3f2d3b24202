/** One identity's events across every workspace and the account level: the SQL that finds them and their assembly. */
export { timelineStatements, TIMELINE_COLUMNS, type TimelineColumn } from './statements';
export { assembleTimeline, orderEvents, summarize, NO_SERVICE } from './assemble';
export { windowPartitionFilter, windowBefore, isEmptyWindow, type TimelineWindow } from './window';
export { planTimeline, type TimelinePlan, type TimelineSelection } from './plan';
