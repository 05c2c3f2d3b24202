export { findingKey, MAX_REMEMBERED_FINDINGS, WatchState, type WatchMemory } from './state';
export { NEWEST_DATES, newestFiles } from './newest';
