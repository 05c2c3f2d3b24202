/** `--format table`: aligned columns, NULL for SQL NULL, long cells cut with …, a row-count footer. */
import { cellText, type ResultSet } from './result';
import { escapeForTerminal } from './terminal';

export interface TableOptions {
  /** Widest a cell may be before it is cut. */
  maxCellWidth?: number;
}

const ELLIPSIS = '…';

/** One line per cell: control characters are shown escaped, so columns stay aligned and the terminal obeys none. */
function displayText(value: unknown): string {
  const text = cellText(value);
  return text === null ? 'NULL' : escapeForTerminal(text);
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });
/** Emoji and East Asian wide or fullwidth characters take two terminal columns. */
const WIDE = /\p{Extended_Pictographic}|\p{Regional_Indicator}|[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{20000}-\u{3fffd}]/u;

/** Terminal columns of one user-perceived character: combining marks ride on their base. */
function clusterWidth(cluster: string): number {
  return WIDE.test(cluster) ? 2 : 1;
}

function fit(text: string, width: number): string {
  if (length(text) <= width) return text;
  let out = '';
  let used = 0;
  for (const { segment } of graphemes.segment(text)) {
    const w = clusterWidth(segment);
    if (used + w > width - 1) break;
    out += segment;
    used += w;
  }
  return out + ELLIPSIS;
}

/** Width of a text in terminal columns, so columns stay aligned around emoji and CJK text. */
function length(text: string): number {
  let width = 0;
  for (const { segment } of graphemes.segment(text)) width += clusterWidth(segment);
  return width;
}

function isNumeric(value: unknown): boolean {
  return typeof value === 'number' || typeof value === 'bigint';
}

export function rowCountFooter(result: Pick<ResultSet, 'rowCount' | 'rows'>): string {
  const total = `${result.rowCount} ${result.rowCount === 1 ? 'row' : 'rows'}`;
  return result.rows.length < result.rowCount ? `${total} (showing first ${result.rows.length})` : total;
}

export function renderTable(result: ResultSet, options: TableOptions = {}): string {
  const maxWidth = Math.max(4, options.maxCellWidth ?? 60);
  const cells = result.rows.map((row) => result.columns.map((_, i) => fit(displayText(row[i]), maxWidth)));
  const headers = result.columns.map((c) => fit(escapeForTerminal(c), maxWidth));
  const widths = headers.map((h, i) => Math.max(length(h), ...cells.map((row) => length(row[i]!))));
  const pad = (text: string, i: number, right: boolean): string => {
    const gap = ' '.repeat(widths[i]! - length(text));
    return right ? gap + text : text + gap;
  };
  const numericColumn = result.columns.map(
    (_, i) => result.rows.some((row) => isNumeric(row[i])) && result.rows.every((row) => row[i] === null || row[i] === undefined || isNumeric(row[i])),
  );
  const line = (texts: string[], alignNumbers: boolean): string =>
    texts.map((t, i) => pad(t, i, alignNumbers && numericColumn[i]!)).join('  ').trimEnd();
  const lines = [line(headers, false), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const row of cells) lines.push(line(row, true));
  lines.push(rowCountFooter(result));
  return lines.join('\n') + '\n';
}
