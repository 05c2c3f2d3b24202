/**
 * Summarises what could not be loaded: the first few problems as `file:line: reason` (`file: reason`
 * for a whole file skipped), then a count, and how many lines a pushed-down load left unchecked.
 */
import type { LoadProblem, LoadSummary } from '../core/sql/loader';
import { escapeControls } from '../core/controlChars';

/** What a listing passed over, said once per kind, as information. */
export function formatListingNotes(notes: readonly string[]): string {
  return notes.map((note) => `note: ${escapeControls(note)}\n`).join('');
}

/** What the summary needs of a load's outcome: the problems' places and reasons, their count, and the lines left unparsed. */
export type ProblemsOf = Pick<LoadSummary, 'problemCount'> & Partial<Pick<LoadSummary, 'linesSkippedByFilter'>> & { problems: readonly Pick<LoadProblem, 'file' | 'line' | 'reason'>[] };

export function formatLoadProblems(summary: ProblemsOf, shown = 5): string {
  const total = Math.max(summary.problemCount, summary.problems.length);
  if (total === 0) return '';
  const lines = [`warning: ${total} ${total === 1 ? 'problem' : 'problems'} while loading:`];
  for (const p of summary.problems.slice(0, shown)) {
    const [file, reason] = [escapeControls(p.file), escapeControls(p.reason)];
    lines.push(p.line > 0 ? `  ${file}:${p.line}: ${reason}` : `  ${file}: ${reason}`);
  }
  const rest = total - Math.min(shown, summary.problems.length);
  if (rest > 0) lines.push(`  … and ${rest} more`);
  const unchecked = summary.linesSkippedByFilter ?? 0;
  if (unchecked > 0) lines.push(`  (${unchecked} lines no query reads were skipped unparsed; \`audit-lens validate\` checks every line)`);
  return lines.join('\n') + '\n';
}
