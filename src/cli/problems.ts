/** Summarises lines that could not be loaded: the first few as `file:line: reason`, then a count. */
import type { LoadSummaryLike } from './engine';

export function formatLoadProblems(summary: Pick<LoadSummaryLike, 'problems' | 'problemCount'>, shown = 5): string {
  const total = Math.max(summary.problemCount, summary.problems.length);
  if (total === 0) return '';
  const lines = [`warning: ${total} ${total === 1 ? 'line was' : 'lines were'} skipped while loading:`];
  for (const p of summary.problems.slice(0, shown)) lines.push(`  ${p.file}:${p.line}: ${p.reason}`);
  const rest = total - Math.min(shown, summary.problems.length);
  if (rest > 0) lines.push(`  … and ${rest} more`);
  return lines.join('\n') + '\n';
}
