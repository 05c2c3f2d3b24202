export { DEFAULT_LATE_AFTER_MINUTES, measureCoverage, type CoverageRequest, type CoverageWorkOptions } from './measure';
export type { FileCoverage } from './read';
export { DEFAULT_MIN_NEIGHBOUR_EVENTS, findGaps } from './gaps';
export { identityKey, identityOf, type EventIdentity } from './read';
export type * from './types';
