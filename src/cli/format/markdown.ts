/** Log text in a Markdown report: punctuation made literal, control characters made visible, tables on one line per row. */
import { escapeControls } from '../../core/controlChars';
import { cellText, type ResultSet } from './result';

/** Markdown punctuation made literal, then control characters made visible (their escapes stay literal). */
export function markdownText(text: string): string {
  return escapeControls(text.replace(/[\\`*_[\]<>()#+!|~]/g, (c) => `\\${c}`));
}

/** A table cell: log text escaped, pipes and Markdown punctuation made literal, on one line. */
function markdownCell(value: unknown): string {
  const text = cellText(value);
  if (text === null) return '*NULL*';
  const escaped = markdownText(text);
  return escaped.length > 200 ? `${escaped.slice(0, 199)}…` : escaped;
}

/** The rows as a Markdown table; `_file` and `_line` become one `_file:_line` column. */
export function markdownTable(result: ResultSet): string[] {
  const file = result.columns.indexOf('_file');
  const line = result.columns.indexOf('_line');
  const located = file >= 0 && line >= 0;
  const shown = result.columns.map((_, i) => i).filter((i) => !located || (i !== file && i !== line));
  const header = [...shown.map((i) => markdownText(result.columns[i]!)), ...(located ? ['`_file:_line`'] : [])];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => ' --- ').join('|')}|`];
  for (const row of result.rows) {
    const cells = shown.map((i) => markdownCell(row[i]));
    if (located) cells.push(`${markdownCell(row[file])}:${markdownCell(row[line])}`);
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines;
}
