/** Query-driven pruning: skip delivered lines a query cannot read, before they are parsed. */
export { derivePrefilter } from './analyze';
export { compileLineTest, compilePrefilter, isSearchableName, type CompiledPrefilter, type LinePrefilter, type LineTest } from './prefilter';
