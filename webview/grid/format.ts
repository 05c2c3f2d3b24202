/** Pure helpers for the results grid: display text, sorting, TSV and Markdown copies. */

/** One line of display text for a cell value; null shows as NULL. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Uint8Array) return `<${value.length} bytes>`;
  return JSON.stringify(value);
}

/** The value as copied: NULL is empty, everything else as displayed. */
export function copyText(value: unknown): string {
  return value === null || value === undefined ? '' : cellText(value);
}

function rank(value: unknown): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === 'number' || typeof value === 'bigint') return 1;
  return 2;
}

/** Orders NULLs first, then numbers numerically, then text by code unit (stable and locale-free). */
export function compareValues(a: unknown, b: unknown): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 0) return 0;
  if (ra === 1) return Number(a) - Number(b);
  const sa = cellText(a);
  const sb = cellText(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Row indexes in display order for a sort on one column (stable: ties keep the query's order). */
export function sortedOrder(rows: readonly unknown[][], column: number, direction: 'asc' | 'desc'): Uint32Array {
  const order = new Uint32Array(rows.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  const sign = direction === 'asc' ? 1 : -1;
  const sorted = Array.from(order).sort((x, y) => sign * compareValues(rows[x][column], rows[y][column]) || x - y);
  order.set(sorted);
  return order;
}

function tsvField(text: string): string {
  return text.replace(/[\t\r\n]+/g, ' ');
}

/** Rows as tab-separated values with a header line. Tabs and line breaks inside values become spaces. */
export function toTsv(columns: readonly string[], rows: readonly unknown[][]): string {
  const lines = [columns.map(tsvField).join('\t')];
  for (const row of rows) lines.push(row.map((v) => tsvField(copyText(v))).join('\t'));
  return lines.join('\n') + '\n';
}

function markdownField(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n|\r/g, '<br>');
}

/** Rows as a GitHub-flavoured Markdown table; pipes and backslashes are escaped, line breaks become <br>. */
export function toMarkdown(columns: readonly string[], rows: readonly unknown[][]): string {
  const header = `| ${columns.map(markdownField).join(' | ')} |`;
  const rule = `| ${columns.map(() => '---').join(' | ')} |`;
  const body = rows.map((row) => `| ${row.map((v) => markdownField(copyText(v))).join(' | ')} |`);
  return [header, rule, ...body].join('\n') + '\n';
}
