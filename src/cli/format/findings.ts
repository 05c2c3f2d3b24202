/**
 * The three outputs of `audit-lens detect`: a terminal report (one section per detection with
 * findings, most severe first, then a line per severity), one JSON object, and a Markdown report
 * to paste into a ticket; and the two of `detect --test`: a line per test, or one JSON object.
 */
import { BUILTIN_PACK, bySeverity, severityCounts, SEVERITIES, type Detection, type DetectionRun, type SeverityCounts } from '../../core/analyses';
import type { DetectionTestResult } from '../../core/detections';
import type { PartitionFilter } from '../../core/layout';
import { escapeControls } from '../../core/controlChars';
import { rowsJsonText } from '../../core/sql/values';
import { markdownTable, markdownText } from './markdown';
import type { ResultSet } from './result';
import { renderTable, rowCountFooter } from './table';
import { plural } from '../../shared/text/quantities';

export interface FindingsReport {
  runs: readonly DetectionRun[];
  /** Records loaded for the run. */
  records: number;
  sources: readonly string[];
  filter: PartitionFilter;
  /** The instant (epoch ms) the detections' "now" answered at, when the run pinned one. */
  asOf?: number;
  /** The files of the scope, and how many of them the record cache served (not read again). */
  files?: { total: number; fromCache: number };
}

/** " in 316 files, 300 of them from the record cache" when the cache served any. */
function fromCacheNote(report: FindingsReport): string {
  return report.files && report.files.fromCache > 0 ? ` in ${plural(report.files.total, 'file')}, ${report.files.fromCache} of them from the record cache` : '';
}


function withFindings(runs: readonly DetectionRun[]): DetectionRun[] {
  return bySeverity(runs.filter((run) => run.result.rowCount > 0));
}

function summaryLines(runs: readonly DetectionRun[], counts: SeverityCounts): string[] {
  return SEVERITIES.map((severity) => {
    const hits = runs.filter((run) => run.detection.severity === severity && run.result.rowCount > 0).length;
    const total = runs.filter((run) => run.detection.severity === severity).length;
    return `${severity.padEnd(6)}  ${plural(counts[severity], 'finding')} from ${hits} of ${plural(total, 'detection')}`;
  });
}

/** String cells with their control characters escaped, so the terminal shows them as text. */
function safeCells(result: ResultSet): ResultSet {
  return { ...result, rows: result.rows.map((row) => row.map((v) => (typeof v === 'string' ? escapeControls(v) : v))) };
}

export function renderFindingsTable(report: FindingsReport): string {
  const found = withFindings(report.runs);
  const sections = found.map(({ detection, result }) => {
    const pack = detection.pack === BUILTIN_PACK ? '' : ` · pack ${escapeControls(detection.pack)}`;
    const heading = `== ${detection.severity.toUpperCase()} · ${escapeControls(detection.title)} (${escapeControls(detection.id)})${pack} · ${plural(result.rowCount, 'finding')} ==`;
    return `${heading}\n${escapeControls(detection.question)}\n\n${renderTable(safeCells(result), { maxCellWidth: 40 })}`;
  });
  const summary = [
    found.length === 0
      ? `No findings: ${plural(report.runs.length, 'detection')} over ${plural(report.records, 'record')}${fromCacheNote(report)}.`
      : `Summary: ${plural(report.runs.length, 'detection')} over ${plural(report.records, 'record')}${fromCacheNote(report)}`,
    ...summaryLines(report.runs, severityCounts(report.runs)),
  ];
  return [...sections, summary.join('\n') + '\n'].join('\n');
}

/** Exactly one object: every detection run, with rowCount 0 where nothing was found. */
export function* renderFindingsJson(report: FindingsReport): Generator<string> {
  yield '{"detections":[';
  for (const [index, { detection, result }] of report.runs.entries()) {
    const rows = result.rowsJson ?? rowsJsonText(result.rows, result.columnKinds);
    const head = `{"id":${JSON.stringify(detection.id)},"title":${JSON.stringify(detection.title)},"severity":${JSON.stringify(detection.severity)},"pack":${JSON.stringify(detection.pack)}`;
    yield `${index === 0 ? '' : ','}${head},"rowCount":${result.rowCount},"columns":${JSON.stringify(result.columns)},"rows":${rows}}`;
  }
  const asOf = report.asOf === undefined ? '' : `,"asOf":${JSON.stringify(new Date(report.asOf).toISOString())}`;
  const files = report.files === undefined ? '' : `,"files":${report.files.total},"filesFromCache":${report.files.fromCache}`;
  yield `],"summary":${JSON.stringify(severityCounts(report.runs))},"records":${report.records}${files}${asOf}}\n`;
}

function scopeLine(report: FindingsReport): string {
  const sources = report.sources.map((s) => `\`${escapeControls(s).replace(/`/g, "'")}\``).join(', ');
  const { from, to, workspaces } = report.filter;
  const dates = from || to ? `${from ?? 'the first date'} to ${to ?? 'the last date'}` : 'every date';
  const ws = workspaces && workspaces.length > 0 ? workspaces.map((w) => (w === '0' ? 'account level (0)' : w)).join(', ') : 'every workspace';
  return `- **Sources:** ${sources}\n- **Dates:** ${dates}\n- **Workspaces:** ${ws}\n- **Records read:** ${report.records.toLocaleString('en-US')}${fromCacheNote(report)}\n- **Detections run:** ${report.runs.length}${report.asOf === undefined ? '' : `\n- **As of:** ${new Date(report.asOf).toISOString()}`}`;
}

export function renderFindingsMarkdown(report: FindingsReport): string {
  const counts = severityCounts(report.runs);
  const out = ['# Audit Lens findings', '', scopeLine(report), '', '| severity | findings |', '| --- | ---: |'];
  for (const severity of SEVERITIES) out.push(`| ${severity} | ${counts[severity]} |`);
  const found = withFindings(report.runs);
  if (found.length === 0) out.push('', 'No detection found anything.');
  for (const { detection, result } of found) {
    out.push('', `## ${detection.severity.toUpperCase()}: ${markdownText(detection.title)} (\`${detection.id}\`)`, '');
    out.push(`**${markdownText(detection.question)}** ${markdownText(detection.rationale)}`, '');
    out.push(`Pack: ${detection.pack === BUILTIN_PACK ? 'built-in' : `\`${escapeControls(detection.pack).replace(/`/g, "'")}\``}`, '');
    out.push(...markdownTable(result), '', `*${rowCountFooter(result)}*`);
  }
  return out.join('\n') + '\n';
}

/** A run of `detect --test`: every test's result, and the detections that have none. */
export interface DetectionTestsReport {
  results: readonly DetectionTestResult[];
  untested: readonly Detection[];
  /** Detections whose tests were looked for. */
  detections: number;
}

function packLabel(detection: Detection): string {
  return detection.pack === BUILTIN_PACK ? '' : `  [${escapeControls(detection.pack)}]`;
}

/** A line per test (pass or FAIL, the detection, fires or quiet, why), the untested, and a count. */
export function renderDetectionTestsTable(report: DetectionTestsReport): string {
  const lines = report.results.map((r) => `${r.passed ? 'pass' : 'FAIL'}  ${escapeControls(r.detection.id)} ${r.kind}: ${escapeControls(r.reason)}${packLabel(r.detection)}`);
  for (const d of report.untested) lines.push(`skip  ${escapeControls(d.id)}: no tests${packLabel(d)}`);
  const failed = report.results.filter((r) => !r.passed).length;
  const summary = `${failed === 0 ? 'All tests passed' : `${plural(failed, 'test')} failed`}: ${plural(report.results.length - failed, 'test')} passed, ${failed} failed, over ${plural(report.detections, 'detection')}${report.untested.length > 0 ? ` (${report.untested.length} without tests)` : ''}.`;
  return [...lines, summary].join('\n') + '\n';
}

/** One object: {"tests":[{"id","pack","kind","passed","records","rows","reason"}],"untested":[ids],"summary":{…}}. */
export function renderDetectionTestsJson(report: DetectionTestsReport): string {
  const tests = report.results.map((r) => ({ id: r.detection.id, pack: r.detection.pack, kind: r.kind, passed: r.passed, records: r.records, rows: r.rows, reason: r.reason }));
  const failed = report.results.filter((r) => !r.passed).length;
  const summary = { detections: report.detections, passed: report.results.length - failed, failed, untested: report.untested.length };
  return JSON.stringify({ tests, untested: report.untested.map((d) => d.id), summary }) + '\n';
}
