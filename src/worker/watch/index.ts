export { backoff, duration, MAX_BACKOFF_MS, runPolls, sleep, type PollLoop } from './loop';
export { ROWS_PER_POLL, watchIdentity, Watcher, type NewFinding, type PollOptions, type PollResult, type WatchTarget } from './poll';
