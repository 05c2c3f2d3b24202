/** `coverage`'s report as a terminal table, JSON or Markdown. Text from paths is escaped. */
import { escapeControls } from '../../core/controlChars';
import type { CoverageReport, WorkspaceCoverage } from '../../core/coverage';
import { plural } from '../../shared/text/quantities';

export const COVERAGE_FORMATS = ['table', 'json', 'markdown'] as const;
export type CoverageFormat = (typeof COVERAGE_FORMATS)[number];

/** Files listed per kind in the table; JSON lists them all. */
const SHOWN = 10;
const iso = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString().replace('.000Z', 'Z'));
const hourText = (text: string) => text.replace(':00:00.000Z', ':00Z');


/** The documented JSON shape: workspaces with their hours and gaps, then duplicates, late and rewritten files. */
export function renderCoverageJson(report: CoverageReport): string {
  return `${JSON.stringify({
    sources: report.sources,
    rules: { gap: `no event in an hour run whose neighbour hours each hold at least ${report.gapRule.minNeighbourEvents} events`, minNeighbourEvents: report.gapRule.minNeighbourEvents, lateAfterMinutes: report.lateAfterMinutes },
    files: report.files,
    workspaces: report.workspaces.map((w) => ({
      workspaceId: w.workspaceId,
      events: w.events,
      files: w.files,
      first: w.first,
      last: w.last,
      stopped: w.stopped,
      hours: w.hours,
      gaps: w.gaps,
    })),
    duplicates: report.duplicates,
    late: report.late,
    lateNotes: report.lateNotes,
    rewritten: report.rewritten,
    unreadable: report.unreadable,
    rejectedLines: report.rejectedLines,
  })}\n`;
}

function workspaceLine(w: WorkspaceCoverage): string {
  const level = w.workspaceId === '0' ? ' (account)' : '';
  const flags = [w.gaps.length > 0 ? plural(w.gaps.length, 'gap') : '', w.stopped ? 'delivery may have stopped' : ''].filter(Boolean).join(', ');
  return `  ${escapeControls(w.workspaceId)}${level}: ${plural(w.events, 'event')} in ${plural(w.files, 'file')}, ${plural(w.hours.length, 'hour')} with events, ${iso(w.first)} .. ${iso(w.last)}${flags ? ` — ${flags}` : ''}`;
}

export function renderCoverageTable(report: CoverageReport): string {
  const out: string[] = [`coverage of ${report.sources.map(escapeControls).join(', ')}: ${plural(report.files, 'file')}, ${plural(report.workspaces.length, 'workspace')}`, ''];
  out.push('workspaces:');
  for (const w of report.workspaces) out.push(workspaceLine(w));
  out.push('', `gaps (no event in hours whose neighbours each hold ≥ ${report.gapRule.minNeighbourEvents} events):`);
  const gaps = report.workspaces.flatMap((w) => w.gaps.map((g) => ({ w, g })));
  if (gaps.length === 0) out.push('  none');
  for (const { w, g } of gaps) {
    const after = g.after === null ? 'silent to the end of the scope' : `${g.after} after`;
    out.push(`  ${escapeControls(w.workspaceId)}: ${hourText(g.from)} .. ${hourText(g.to)} (${plural(g.hours, 'hour')}; ${g.before} events before, ${after})`);
  }
  out.push('', `duplicate events (same requestId, timestamp, serviceName, actionName): ${report.duplicates.events}`);
  for (const d of report.duplicates.examples) {
    out.push(`  ${escapeControls(d.serviceName)}.${escapeControls(d.actionName)} ${escapeControls(d.requestId)} at ${iso(d.timestamp)}:`);
    for (const place of d.places) out.push(`    ${escapeControls(place)}`);
  }
  out.push('', `late deliveries (written more than ${report.lateAfterMinutes} minutes after their newest event): ${report.late.length}`);
  for (const note of report.lateNotes) out.push(`  note: ${escapeControls(note)}`);
  for (const l of report.late.slice(0, SHOWN)) out.push(`  ${escapeControls(l.file)}: written ${iso(l.written)}, ${l.delayMinutes} minutes after its newest event (${plural(l.events, 'event')})`);
  if (report.late.length > SHOWN) out.push(`  … and ${report.late.length - SHOWN} more (--format json lists them all)`);
  out.push('', `rewritten since the last coverage run: ${report.rewritten.length}`);
  for (const r of report.rewritten) {
    const what = r.appendOnly ? `${plural(r.linesAdded, 'line')} added` : `CHANGED, NOT ONLY APPENDED: ${r.before.lines} lines before, ${r.after.lines} now; old lines were changed or removed`;
    out.push(`  ${escapeControls(r.file)}: ${what}`);
  }
  if (report.unreadable.length > 0) {
    out.push('', `unreadable files: ${report.unreadable.length}`);
    for (const u of report.unreadable) out.push(`  ${escapeControls(u.file)}: ${escapeControls(u.reason)}`);
  }
  return `${out.join('\n')}\n`;
}

const cell = (text: string) => escapeControls(text).replace(/\|/g, '\\|');

export function renderCoverageMarkdown(report: CoverageReport): string {
  const out: string[] = [`# Audit-log coverage`, '', `Sources: ${report.sources.map((s) => `\`${cell(s)}\``).join(', ')} · ${plural(report.files, 'file')}`, ''];
  out.push('| workspace | events | files | first | last | gaps | stopped |', '| --- | ---: | ---: | --- | --- | ---: | --- |');
  for (const w of report.workspaces) out.push(`| ${cell(w.workspaceId)} | ${w.events} | ${w.files} | ${iso(w.first)} | ${iso(w.last)} | ${w.gaps.length} | ${w.stopped ? 'yes' : ''} |`);
  out.push('', `## Gaps`, '', `A gap is a run of hours without events whose neighbour hours each hold at least ${report.gapRule.minNeighbourEvents} events.`, '');
  const gaps = report.workspaces.flatMap((w) => w.gaps.map((g) => `- ${cell(w.workspaceId)}: ${hourText(g.from)} to ${hourText(g.to)} (${plural(g.hours, 'hour')})${g.after === null ? ', silent to the end of the scope' : ''}`));
  out.push(...(gaps.length > 0 ? gaps : ['None.']));
  out.push('', `## Duplicate events`, '', `${report.duplicates.events} extra copies.`, '');
  for (const d of report.duplicates.examples) out.push(`- \`${cell(d.serviceName)}.${cell(d.actionName)}\` ${cell(d.requestId)} at ${iso(d.timestamp)}: ${d.places.map((p) => `\`${cell(p)}\``).join(', ')}`);
  out.push('', `## Late deliveries`, '', ...report.lateNotes.map((n) => `> ${cell(n)}`), ...(report.late.length > 0 ? report.late.map((l) => `- \`${cell(l.file)}\`: ${l.delayMinutes} minutes after its newest event`) : ['None.']));
  out.push('', `## Rewritten files`, '', ...(report.rewritten.length > 0 ? report.rewritten.map((r) => `- \`${cell(r.file)}\`: ${r.appendOnly ? `${r.linesAdded} lines added` : '**changed, not only appended**'}`) : ['None.']));
  if (report.unreadable.length > 0) out.push('', `## Unreadable files`, '', ...report.unreadable.map((u) => `- \`${cell(u.file)}\`: ${cell(u.reason)}`));
  return `${out.join('\n')}\n`;
}
