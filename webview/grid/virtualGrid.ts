/**
 * A virtualized results grid: only the rows in view (plus a small margin) are in the DOM, every
 * row has the same height, and row elements are reused while scrolling. Sort by a column (click
 * its header), resize columns (drag the header edge), select rows (click, Shift, Ctrl/Cmd), copy
 * the active cell or the selected rows with headers as TSV (Ctrl/Cmd+C).
 */
import { h, clear } from '../dom';
import { showBidiControls } from '../../src/shared/text/untrusted';
import { cellText, copyText, sortedOrder, toTsv } from './format';

export const ROW_HEIGHT = 24;
const OVERSCAN = 8;
const MIN_COLUMN_WIDTH = 48;

/** The row-number column: as wide as the largest row number, at 8px a digit. */
function rowNumberWidth(rows: number): number {
  return Math.max(36, String(rows).length * 8 + 20);
}

/** A column holds numbers when its first rows hold only numbers (or nulls), at least one. */
function isNumberColumn(rows: readonly unknown[][], column: number): boolean {
  const sample = rows.slice(0, 50).map((r) => r[column]);
  return sample.some((v) => typeof v === 'number') && sample.every((v) => v === null || v === undefined || typeof v === 'number');
}

export interface GridData {
  columns: string[];
  columnKinds: ('json' | 'value')[];
  rows: unknown[][];
}

export interface GridCallbacks {
  copy(text: string, what: string): void;
  openRaw?(file: string, line: number): void;
  showValue?(column: string, value: unknown): void;
  /** A right-click on a cell (the notebook and the timeline offer "Show Timeline" there). */
  cellMenu?(column: string, value: unknown, event: MouseEvent): void;
  /**
   * When given, sorting is the engine's job (the rows shown are only part of the result): the
   * grid marks the column and asks for the sorted query instead of reordering what it holds.
   */
  sortInEngine?(column: number, direction: 'asc' | 'desc' | undefined): void;
}

export interface SortState {
  column: number;
  direction: 'asc' | 'desc';
}

export class VirtualGrid {
  readonly element: HTMLDivElement;
  private readonly viewport: HTMLDivElement;
  private readonly header: HTMLDivElement;
  private readonly body: HTMLDivElement;
  private readonly rowPool: HTMLDivElement[] = [];
  private widths: number[];
  private order: Uint32Array;
  private sort: SortState | undefined;
  private readonly selected = new Set<number>();
  private anchor: number | undefined;
  private active: { row: number; column: number } | undefined;
  private readonly fileColumn: number;
  private readonly lineColumn: number;
  private frame = 0;
  private readonly numberWidth: number;
  private readonly numberColumns: boolean[];

  constructor(private readonly data: GridData, private readonly callbacks: GridCallbacks, sortedBy?: SortState) {
    this.sort = sortedBy;
    this.widths = data.columns.map((name, i) => initialWidth(name, data.rows, i));
    this.numberWidth = rowNumberWidth(data.rows.length);
    this.numberColumns = data.columns.map((_, i) => isNumberColumn(data.rows, i));
    this.order = identityOrder(data.rows.length);
    this.fileColumn = data.columns.indexOf('_file');
    this.lineColumn = data.columns.indexOf('_line');
    this.header = h('div', { className: 'grid-header', attrs: { role: 'row' } });
    this.body = h('div', { className: 'grid-body', attrs: { role: 'rowgroup' } });
    this.viewport = h('div', { className: 'grid-viewport', attrs: { tabindex: '0', role: 'grid', 'aria-rowcount': String(data.rows.length + 1) } }, this.header, this.body);
    this.element = h('div', { className: 'grid' }, this.viewport);
    this.viewport.style.height = `${Math.min(14, Math.max(data.rows.length, 1)) * ROW_HEIGHT + ROW_HEIGHT + 18}px`;
    this.body.style.height = `${data.rows.length * ROW_HEIGHT}px`;
    this.renderHeader();
    this.viewport.addEventListener('scroll', () => this.schedule());
    this.body.addEventListener('click', (e) => this.onClick(e));
    this.body.addEventListener('dblclick', (e) => this.onDoubleClick(e));
    this.body.addEventListener('contextmenu', (e) => this.onContextMenu(e));
    this.viewport.addEventListener('keydown', (e) => this.onKey(e));
    this.applyWidths();
    this.renderRows();
  }

  /** Rows currently in the DOM (for tests and diagnostics). */
  get renderedRowCount(): number {
    return this.body.childElementCount;
  }

  selectedRows(): unknown[][] {
    return [...this.selected].sort((a, b) => a - b).map((p) => this.data.rows[this.order[p]]);
  }

  copySelection(): void {
    if (this.selected.size > 1 || (this.selected.size === 1 && !this.active)) {
      this.callbacks.copy(toTsv(this.data.columns, this.selectedRows()), `${this.selected.size} row(s)`);
    } else if (this.active) {
      const value = this.data.rows[this.order[this.active.row]][this.active.column];
      this.callbacks.copy(copyText(value), 'cell');
    }
  }

  /** Sorts by a column; a third click on the same column restores the query's order. */
  sortBy(column: number, direction?: 'asc' | 'desc'): void {
    if (direction === undefined) {
      if (this.sort?.column !== column) direction = 'asc';
      else if (this.sort.direction === 'asc') direction = 'desc';
    }
    this.sort = direction ? { column, direction } : undefined;
    if (this.callbacks.sortInEngine) {
      this.renderHeader();
      this.applyWidths();
      this.callbacks.sortInEngine(column, direction);
      return;
    }
    this.order = direction ? sortedOrder(this.data.rows, column, direction) : identityOrder(this.data.rows.length);
    this.selected.clear();
    this.active = undefined;
    this.renderHeader();
    this.applyWidths();
    this.renderRows();
  }

  scrollToRow(position: number): void {
    this.viewport.scrollTop = position * ROW_HEIGHT;
    this.renderRows();
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.renderRows();
    });
  }

  private renderHeader(): void {
    clear(this.header);
    this.header.appendChild(h('div', { className: 'grid-cell grid-rownum', text: '#' }));
    this.data.columns.forEach((name, i) => {
      const arrow = this.sort?.column === i ? (this.sort.direction === 'asc' ? ' ▲' : ' ▼') : '';
      const label = h('span', { className: 'grid-header-label', text: showBidiControls(name) + arrow });
      const handle = h('div', { className: 'grid-resize', attrs: { 'aria-hidden': 'true' } });
      const cell = h('div', { className: `grid-cell grid-header-cell${this.numberColumns[i] ? ' number' : ''}`, title: `Sort by ${showBidiControls(name)}`, attrs: { role: 'columnheader', 'data-col': String(i) } }, label, handle);
      cell.addEventListener('click', (e) => {
        if (e.target === handle) return;
        this.sortBy(i);
      });
      handle.addEventListener('pointerdown', (e) => this.startResize(e, i, handle));
      this.header.appendChild(cell);
    });
  }

  private startResize(event: PointerEvent, column: number, handle: HTMLElement): void {
    event.preventDefault();
    event.stopPropagation();
    const startX = event.clientX;
    const startWidth = this.widths[column];
    handle.setPointerCapture(event.pointerId);
    const move = (e: PointerEvent) => {
      this.widths[column] = Math.max(MIN_COLUMN_WIDTH, startWidth + e.clientX - startX);
      this.applyWidths();
    };
    const up = () => {
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', up);
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', up);
  }

  /** Sets a column's width in pixels (resizing by keyboard or tests). */
  setColumnWidth(column: number, width: number): void {
    this.widths[column] = Math.max(MIN_COLUMN_WIDTH, width);
    this.applyWidths();
  }

  private applyWidths(): void {
    const total = this.numberWidth + this.widths.reduce((a, b) => a + b, 0);
    this.header.style.width = `${total}px`;
    this.body.style.width = `${total}px`;
    const cells = this.header.children;
    (cells[0] as HTMLElement).style.width = `${this.numberWidth}px`;
    for (let i = 0; i < this.widths.length; i++) (cells[i + 1] as HTMLElement).style.width = `${this.widths[i]}px`;
    for (const row of this.rowPool) this.sizeRow(row);
  }

  private sizeRow(row: HTMLDivElement): void {
    const cells = row.children;
    (cells[0] as HTMLElement).style.width = `${this.numberWidth}px`;
    for (let i = 0; i < this.widths.length; i++) (cells[i + 1] as HTMLElement).style.width = `${this.widths[i]}px`;
  }

  private makeRow(): HTMLDivElement {
    const row = h('div', { className: 'grid-row', attrs: { role: 'row' } });
    const num = h('div', { className: 'grid-cell grid-rownum' });
    row.appendChild(num);
    for (let i = 0; i < this.data.columns.length; i++) row.appendChild(h('div', { className: 'grid-cell', attrs: { role: 'gridcell', 'data-col': String(i) } }));
    this.sizeRow(row);
    return row;
  }

  private renderRows(): void {
    const count = this.data.rows.length;
    const height = this.viewport.clientHeight || 400;
    const first = Math.max(0, Math.floor(this.viewport.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(count, Math.ceil((this.viewport.scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
    const needed = Math.max(0, last - first);
    while (this.rowPool.length < needed) this.rowPool.push(this.makeRow());
    while (this.body.childElementCount > needed) this.body.removeChild(this.body.lastChild as Node);
    for (let k = 0; k < needed; k++) {
      const position = first + k;
      const row = this.rowPool[k];
      if (row.parentNode !== this.body) this.body.appendChild(row);
      this.fillRow(row, position);
    }
  }

  private fillRow(row: HTMLDivElement, position: number): void {
    const values = this.data.rows[this.order[position]];
    row.style.transform = `translateY(${position * ROW_HEIGHT}px)`;
    row.dataset.pos = String(position);
    row.setAttribute('aria-rowindex', String(position + 2));
    row.classList.toggle('selected', this.selected.has(position));
    const cells = row.children;
    const num = cells[0] as HTMLElement;
    num.textContent = String(this.order[position] + 1);
    if (this.hasProvenance(values)) {
      num.title = 'Double-click to open the raw line';
      num.classList.add('has-raw');
    }
    for (let i = 0; i < this.data.columns.length; i++) {
      const cell = cells[i + 1] as HTMLElement;
      const value = values[i];
      const text = cellText(value);
      cell.textContent = showBidiControls(text.length > 500 ? text.slice(0, 500) + '…' : text);
      cell.classList.toggle('null', value === null || value === undefined);
      cell.classList.toggle('json', this.data.columnKinds[i] === 'json');
      cell.classList.toggle('number', typeof value === 'number');
      cell.classList.toggle('active', this.active?.row === position && this.active.column === i);
    }
  }

  private hasProvenance(values: unknown[]): boolean {
    return this.fileColumn >= 0 && this.lineColumn >= 0 && typeof values[this.fileColumn] === 'string' && typeof values[this.lineColumn] === 'number';
  }

  private hit(event: MouseEvent): { position: number; column: number } | undefined {
    const target = event.target as HTMLElement;
    const row = target.closest('.grid-row') as HTMLElement | null;
    if (!row?.dataset.pos) return undefined;
    const cell = target.closest('.grid-cell') as HTMLElement | null;
    return { position: Number(row.dataset.pos), column: cell?.dataset.col ? Number(cell.dataset.col) : -1 };
  }

  private onClick(event: MouseEvent): void {
    const hit = this.hit(event);
    if (!hit) return;
    const { position } = hit;
    if (event.shiftKey && this.anchor !== undefined) {
      this.selected.clear();
      const [a, b] = [Math.min(this.anchor, position), Math.max(this.anchor, position)];
      for (let p = a; p <= b; p++) this.selected.add(p);
      this.active = undefined;
    } else if (event.ctrlKey || event.metaKey) {
      if (this.selected.has(position)) this.selected.delete(position);
      else this.selected.add(position);
      this.anchor = position;
      this.active = undefined;
    } else {
      this.selected.clear();
      this.selected.add(position);
      this.anchor = position;
      this.active = hit.column >= 0 ? { row: position, column: hit.column } : undefined;
    }
    this.viewport.focus({ preventScroll: true });
    this.renderRows();
  }

  private onDoubleClick(event: MouseEvent): void {
    const hit = this.hit(event);
    if (!hit) return;
    const values = this.data.rows[this.order[hit.position]];
    if (hit.column < 0) {
      if (this.hasProvenance(values)) this.callbacks.openRaw?.(values[this.fileColumn] as string, values[this.lineColumn] as number);
      return;
    }
    this.callbacks.showValue?.(this.data.columns[hit.column], values[hit.column]);
  }

  private onContextMenu(event: MouseEvent): void {
    const hit = this.hit(event);
    if (!hit || hit.column < 0 || !this.callbacks.cellMenu) return;
    this.callbacks.cellMenu(this.data.columns[hit.column], this.data.rows[this.order[hit.position]][hit.column], event);
  }

  private onKey(event: KeyboardEvent): void {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'c') {
      event.preventDefault();
      this.copySelection();
    } else if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'a') {
      event.preventDefault();
      for (let p = 0; p < this.data.rows.length; p++) this.selected.add(p);
      this.active = undefined;
      this.renderRows();
    } else if (event.key === 'Enter' && this.anchor !== undefined) {
      const values = this.data.rows[this.order[this.anchor]];
      if (this.hasProvenance(values)) this.callbacks.openRaw?.(values[this.fileColumn] as string, values[this.lineColumn] as number);
    }
  }
}

function identityOrder(n: number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return order;
}

function initialWidth(name: string, rows: readonly unknown[][], column: number): number {
  let longest = name.length + 2;
  for (let r = 0; r < Math.min(rows.length, 50); r++) longest = Math.max(longest, Math.min(cellText(rows[r][column]).length, 60));
  return Math.max(MIN_COLUMN_WIDTH, Math.min(440, longest * 8.2 + 22));
}
