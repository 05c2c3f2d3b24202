/**
 * Every command id, view id and context key, declared once; package.json's contributions must
 * match (a test checks). Code registers and runs commands only through these names.
 */
export const COMMANDS = {
  addBucket: 'auditLens.addBucket',
  addFolder: 'auditLens.addFolder',
  openSample: 'auditLens.openSample',
  removeSource: 'auditLens.removeSource',
  refresh: 'auditLens.refresh',
  refreshNode: 'auditLens.refreshNode',
  setDateRange: 'auditLens.setDateRange',
  clearDateRange: 'auditLens.clearDateRange',
  openRawFile: 'auditLens.openRawFile',
  copyUri: 'auditLens.copyUri',
  validate: 'auditLens.validate',
  associateLanguage: 'auditLens.associateLanguage',
  showLog: 'auditLens.showLog',
  openNotebook: 'auditLens.openNotebook',
  notebookOpenFile: 'auditLens.notebook.openFile',
  notebookSave: 'auditLens.notebook.save',
  notebookSaveAs: 'auditLens.notebook.saveAs',
  notebookRunAll: 'auditLens.notebook.runAll',
  notebookExportDatabricks: 'auditLens.notebook.exportDatabricks',
  databricksSetToken: 'auditLens.databricks.setToken',
  databricksClearToken: 'auditLens.databricks.clearToken',
  runDetections: 'auditLens.runDetections',
  findingsOpenRow: 'auditLens.findings.openRow',
  findingsOpenInNotebook: 'auditLens.findings.openInNotebook',
  findingsShowTimeline: 'auditLens.findings.showTimeline',
  findingsIgnoreActor: 'auditLens.findings.ignoreActor',
  findingsIgnoreAgent: 'auditLens.findings.ignoreAgent',
  showTimeline: 'auditLens.showTimeline',
  watchSource: 'auditLens.watchSource',
  stopWatching: 'auditLens.stopWatching',
  showCoverage: 'auditLens.showCoverage',
  clearRecordCache: 'auditLens.clearRecordCache',
} as const;

export type CommandId = (typeof COMMANDS)[keyof typeof COMMANDS];

/** The sources tree's view id (and its focus command, which VS Code derives from it). */
export const SOURCES_VIEW = 'auditLens.sources';
/** The Findings view's id. */
export const FINDINGS_VIEW = 'auditLens.findings';

/** Context key: true when at least one source is configured; the welcome content shows while it is not. */
export const HAS_SOURCES = 'auditLens.hasSources';
/** Context key: true while the sources tree shows a date range only. */
export const DATE_RANGE_ACTIVE = 'auditLens.dateRangeActive';
