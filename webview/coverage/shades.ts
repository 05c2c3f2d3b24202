/** How a heatmap cell is shaded and described: pure, so it is tested without a browser. */
import type { CoverageDay } from '../../src/protocol/coverage';

/** Shades of a cell that holds events (0 is kept for none). */
export const LEVELS = 5;

/** 0 for no events, else 1–LEVELS on a log scale up to `max`, so quiet days still show next to busy ones. */
export function shadeLevel(events: number, max: number): number {
  if (events <= 0 || max <= 0) return 0;
  return Math.min(LEVELS, Math.max(1, Math.ceil((LEVELS * Math.log1p(events)) / Math.log1p(max))));
}

/** The least events of each level (for the legend): level l holds counts above the bound of l−1. */
export function levelBounds(max: number): { level: number; from: number; to: number }[] {
  const bounds: { level: number; from: number; to: number }[] = [];
  let from = 1;
  for (let level = 1; level <= LEVELS && from <= max; level++) {
    const to = level === LEVELS ? max : Math.min(max, Math.floor(Math.expm1((level * Math.log1p(max)) / LEVELS)));
    if (to >= from) {
      bounds.push({ level, from, to });
      from = to + 1;
    }
  }
  return bounds;
}

const count = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
const hourLabel = (hour: number) => `${String(hour).padStart(2, '0')}:00`;

export function workspaceName(workspaceId: string): string {
  return workspaceId === '0' ? 'Account level' : `Workspace ${workspaceId}`;
}

/** A day cell in words: what its title and its accessible name say. */
export function describeDay(workspaceId: string, day: CoverageDay): string {
  const parts = [`${workspaceName(workspaceId)}, ${day.date}: ${count(day.events, 'event')} in ${count(day.files, 'file')}`];
  if (day.gapHours.length > 0) parts.push(...day.gaps.map((g) => `Gap: ${g}`));
  if (day.duplicates > 0) parts.push(`${count(day.duplicates, 'event')} delivered more than once`);
  return parts.join('\n');
}

/** An hour cell in words. */
export function describeHour(workspaceId: string, day: CoverageDay, hour: number): string {
  const parts = [`${workspaceName(workspaceId)}, ${day.date} ${hourLabel(hour)}–${hourLabel((hour + 1) % 24)} UTC: ${count(day.hours[hour] ?? 0, 'event')} in ${count(day.hourFiles[hour] ?? 0, 'file')}`];
  if (day.gapHours.includes(hour)) parts.push(...day.gaps.map((g) => `Gap: ${g}`));
  return parts.join('\n');
}

export { hourLabel };
