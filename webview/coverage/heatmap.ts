/**
 * The heatmap: workspaces as rows × UTC days as columns, or one workspace's day as 24 hour cells.
 * Cells are buttons in one tab stop (arrow keys move between them, Home and End to a row's ends):
 * a day cell zooms to its hours on click or Enter and opens its files on O; an hour cell opens its
 * files on click or Enter. Every text goes in as text.
 */
import type { CoverageCellRef, CoverageDay, CoverageRow, CoverageView } from '../../src/protocol/coverage';
import { showBidiControls } from '../../src/shared/text/untrusted';
import { clear, h } from '../dom';
import { button } from '../ui/components';
import { describeDay, describeHour, hourLabel, levelBounds, shadeLevel, workspaceName } from './shades';

export interface HeatmapActions {
  openFiles(cell: CoverageCellRef): void;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export class Heatmap {
  readonly element = h('div', { className: 'cv-map' });
  private readonly legend = h('div', { className: 'cv-legend', attrs: { 'aria-label': 'Legend' } });
  private view: CoverageView | undefined;
  /** The zoomed day: a row index and a column index of the view. */
  private zoomed: { row: number; column: number } | undefined;
  /** The day cell to focus when the zoom is left. */
  private returnTo: { row: number; column: number } | undefined;

  constructor(private readonly actions: HeatmapActions) {}

  show(view: CoverageView): void {
    this.view = view;
    this.zoomed = undefined;
    this.render();
  }

  /** Zooms to a workspace's day (tests and the page's own cells call it). */
  zoom(workspaceId: string, date: string): void {
    const row = this.view?.rows.findIndex((r) => r.workspaceId === workspaceId) ?? -1;
    const column = this.view?.days.indexOf(date) ?? -1;
    if (row < 0 || column < 0) return;
    this.zoomed = { row, column };
    this.returnTo = { row, column };
    this.render();
    this.element.querySelector<HTMLElement>('.cv-cell[tabindex="0"]')?.focus();
  }

  back(): void {
    this.zoomed = undefined;
    this.render();
    const at = this.returnTo;
    if (at) this.element.querySelector<HTMLElement>(`.cv-cell[data-row="${at.row}"][data-column="${at.column}"]`)?.focus();
  }

  private render(): void {
    clear(this.element);
    const view = this.view;
    if (!view) return;
    this.element.appendChild(this.legend);
    if (view.rows.length === 0 || view.days.length === 0) {
      this.element.appendChild(h('p', { className: 'cv-empty', text: 'No events in the scope.' }));
      return;
    }
    const zoomed = this.zoomed;
    const row = zoomed ? view.rows[zoomed.row] : undefined;
    const day = zoomed && row ? row.days[zoomed.column] : undefined;
    if (row && day) this.renderHours(row, day);
    else this.renderDays(view);
  }

  private renderDays(view: CoverageView): void {
    const max = Math.max(0, ...view.rows.flatMap((r) => r.days.map((d) => d.events)));
    this.drawLegend('Events per day:', max, true, 'Click or Enter: the hours of a day · O: open its files');
    const months = h('tr', { className: 'cv-months' }, h('th', { attrs: { scope: 'col' } }));
    const dayHeads = h('tr', { className: 'cv-days' }, h('th', { className: 'cv-corner', text: 'Workspace', attrs: { scope: 'col' } }));
    const spans = new Map<string, number>();
    for (const date of view.days) spans.set(date.slice(0, 7), (spans.get(date.slice(0, 7)) ?? 0) + 1);
    for (const [month, span] of spans) {
      months.appendChild(h('th', { className: 'cv-month', text: span >= 3 ? `${MONTHS[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}` : span === 2 ? MONTHS[Number(month.slice(5, 7)) - 1]! : '', title: month, attrs: { scope: 'colgroup', colspan: String(span) } }));
    }
    for (const date of view.days) dayHeads.appendChild(h('th', { className: 'cv-day', text: String(Number(date.slice(8, 10))), title: date, attrs: { scope: 'col', abbr: date } }));
    const body = h('tbody');
    view.rows.forEach((r, rowIndex) => {
      const head = h('th', { className: 'cv-row-head', attrs: { scope: 'row' } }, h('span', { className: 'cv-ws', text: showBidiControls(r.workspaceId === '0' ? 'Account level' : r.workspaceId) }));
      if (r.stopped) {
        const last = r.lastEvent ? `${r.lastEvent.slice(0, 10)} ${r.lastEvent.slice(11, 16)} UTC` : 'none';
        head.classList.add('cv-stopped');
        head.appendChild(h('span', { className: 'cv-stopped-mark', text: '⚠ delivery may have stopped', title: `Delivery may have stopped: last event ${last}` }));
      }
      const tr = h('tr', {}, head);
      r.days.forEach((d, column) => {
        const cell = this.cell(rowIndex, column, d.events, max, describeDay(r.workspaceId, d), d.gapHours.length > 0, d.duplicates > 0);
        cell.dataset.workspace = r.workspaceId;
        cell.dataset.date = d.date;
        cell.addEventListener('click', () => this.zoom(r.workspaceId, d.date));
        cell.addEventListener('keydown', (e) => {
          if (e.key === 'o' || e.key === 'O') {
            e.preventDefault();
            this.actions.openFiles({ workspaceId: r.workspaceId, date: d.date });
          }
        });
        tr.appendChild(h('td', {}, cell));
      });
      body.appendChild(tr);
    });
    const table = h('table', { className: `cv-grid cv-grid-days${view.days.length <= 31 ? ' cv-wide' : ''}`, attrs: { 'aria-label': 'Events per workspace and UTC day. Enter zooms to the hours of a day; O opens its files.' } }, h('thead', {}, months, dayHeads), body);
    this.element.appendChild(h('div', { className: 'cv-scroll' }, table));
    this.enableArrows(table);
  }

  private renderHours(row: CoverageRow, day: CoverageDay): void {
    const max = Math.max(0, ...day.hours);
    this.drawLegend('Events per hour:', max, false, 'Click or Enter: open the hour\'s files · Escape: back');
    const backButton = button({ label: '← Back', title: 'Back to the days', action: 'back', onClick: () => this.back() });
    const openDay = button({ label: 'Open the day\'s files', title: 'Open the files the pass read that hold events of this day', action: 'open-day', onClick: () => this.actions.openFiles({ workspaceId: row.workspaceId, date: day.date }) });
    const title = h('h2', { className: 'cv-zoom-title', text: `${showBidiControls(workspaceName(row.workspaceId))} · ${day.date} (UTC)` });
    const heads = h('tr', {}, ...day.hours.map((_, hour) => h('th', { className: 'cv-hour', text: hourLabel(hour).slice(0, 2), attrs: { scope: 'col', abbr: hourLabel(hour) } })));
    const cells = h('tr', {});
    day.hours.forEach((events, hour) => {
      const cell = this.cell(0, hour, events, max, describeHour(row.workspaceId, day, hour), day.gapHours.includes(hour), false);
      cell.classList.add('cv-hour-cell');
      cell.textContent = events > 0 ? events.toLocaleString('en-US') : '';
      cell.dataset.hour = String(hour);
      cell.addEventListener('click', () => this.actions.openFiles({ workspaceId: row.workspaceId, date: day.date, hour }));
      cells.appendChild(h('td', {}, cell));
    });
    const table = h('table', { className: 'cv-grid cv-grid-hours', attrs: { 'aria-label': `Events per UTC hour of ${day.date}. Enter opens the hour's files.` } }, h('thead', {}, heads), h('tbody', {}, cells));
    const facts = h('p', { className: 'cv-zoom-facts', text: describeDay(row.workspaceId, day).split('\n').slice(1).join(' · ') || `${day.events.toLocaleString('en-US')} events in ${day.files.toLocaleString('en-US')} files` });
    this.element.append(h('div', { className: 'cv-zoom-bar' }, backButton, title, openDay), facts, h('div', { className: 'cv-scroll' }, table));
    this.enableArrows(table);
    table.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' || e.key === 'Backspace') {
        e.preventDefault();
        this.back();
      }
    });
  }

  /** The shades of the grid shown (their bounds follow its busiest cell), and its marks. */
  private drawLegend(title: string, max: number, duplicates: boolean, hint: string): void {
    clear(this.legend);
    const swatch = (className: string, label: string) => h('span', { className: 'cv-key' }, h('span', { className: `cv-swatch ${className}`, attrs: { 'aria-hidden': 'true' } }), h('span', { text: label }));
    const number = (n: number) => n.toLocaleString('en-US');
    this.legend.append(
      h('span', { className: 'cv-legend-title', text: title }),
      swatch('cv-l0', 'none'),
      ...levelBounds(max).map((b) => swatch(`cv-l${b.level}`, b.from === b.to ? number(b.from) : `${number(b.from)}–${number(b.to)}`)),
      swatch('cv-l3 cv-gap', 'gap'),
      ...(duplicates ? [swatch('cv-l3 cv-dup', 'duplicates')] : []),
      h('span', { className: 'cv-hint', text: hint }),
    );
  }

  private cell(row: number, column: number, events: number, max: number, text: string, gap: boolean, duplicates: boolean): HTMLButtonElement {
    const classes = ['cv-cell', `cv-l${shadeLevel(events, max)}`];
    if (gap) classes.push('cv-gap');
    if (duplicates) classes.push('cv-dup');
    return h('button', {
      className: classes.join(' '),
      title: showBidiControls(text),
      attrs: { type: 'button', 'aria-label': showBidiControls(text.replace(/\n/g, '. ')), tabindex: row === 0 && column === 0 ? '0' : '-1' },
      dataset: { row: String(row), column: String(column), events: String(events) },
    });
  }

  /** One tab stop for the grid; arrows, Home and End move the focus (and the tab stop) between cells. */
  private enableArrows(table: HTMLTableElement): void {
    table.addEventListener('keydown', (e) => {
      const from = e.target instanceof HTMLElement ? e.target.closest<HTMLElement>('.cv-cell') : null;
      if (!from) return;
      const row = Number(from.dataset.row);
      const column = Number(from.dataset.column);
      const move: Record<string, [number, number]> = { ArrowLeft: [row, column - 1], ArrowRight: [row, column + 1], ArrowUp: [row - 1, column], ArrowDown: [row + 1, column], Home: [row, 0], End: [row, Number.MAX_SAFE_INTEGER] };
      const to = move[e.key];
      if (!to) return;
      e.preventDefault();
      const rowCells = [...table.querySelectorAll<HTMLElement>(`.cv-cell[data-row="${to[0]}"]`)];
      const target = rowCells[Math.min(to[1], rowCells.length - 1)];
      if (!target || to[1] < 0) return;
      from.tabIndex = -1;
      target.tabIndex = 0;
      target.focus();
    });
    table.addEventListener('focusin', (e) => {
      const cell = e.target instanceof HTMLElement ? e.target.closest<HTMLElement>('.cv-cell') : null;
      if (!cell) return;
      for (const other of table.querySelectorAll<HTMLElement>('.cv-cell[tabindex="0"]')) if (other !== cell) other.tabIndex = -1;
      cell.tabIndex = 0;
    });
  }
}
