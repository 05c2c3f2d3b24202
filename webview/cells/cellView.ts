/** One notebook cell: title, SQL editor, run/cancel/move/delete, and its result (grid, chart, JSON, error). */
import type { CellResult, CompletionCatalog, ExportFormat, NotebookCell, WireError } from '../../src/protocol/notebook';
import { chartForResult } from '../charts/model';
import { drawChart } from '../charts/draw';
import { clear, h } from '../dom';
import { asOfText } from '../asOfControl';
import { SqlEditor } from '../editor/sqlEditor';
import { toMarkdown } from '../grid/format';
import { jsonView } from '../grid/jsonView';
import { VirtualGrid, type SortState } from '../grid/virtualGrid';
import { resultSort, type ResultSort } from '../../src/shared/sql/resultSort';
import { button, progressRing, textField, type Button } from '../ui/components';
import { showBidiControls } from '../../src/shared/text/untrusted';
import { identityKindLabel, identityOfCell } from '../../src/shared/identityOfCell';
import type { Identity } from '../../src/shared/timeline';
import { showCellMenu } from '../grid/cellMenu';

/** The grid's sort, with the column's name for the engine when it is the only column of that name. */
export type CellSort = SortState & ResultSort;

export interface CellActions {
  catalog(): CompletionCatalog;
  /** The question a library cell answers, shown under its title. */
  question(cell: NotebookCell): string | undefined;
  changed(): void;
  run(cell: CellView): void;
  /** Re-runs the cell sorted by a column in the engine (for a result cut at the display cap). */
  sortInEngine(cell: CellView, sort: CellSort | undefined): void;
  cancel(cell: CellView): void;
  move(cell: CellView, delta: -1 | 1): void;
  remove(cell: CellView): void;
  exportResult(cell: CellView, format: ExportFormat): void;
  copy(text: string, what: string): void;
  openRaw(file: string, line: number): void;
  showTimeline(identity: Identity): void;
}

export class CellView {
  readonly element: HTMLElement;
  readonly editor: SqlEditor;
  grid: VirtualGrid | undefined;
  result: CellResult | undefined;
  runningRequest: number | undefined;
  private readonly output: HTMLDivElement;
  private readonly status: HTMLDivElement;
  private readonly runButton: Button;
  private readonly cancelButton: Button;
  private view: 'table' | 'chart' = 'table';
  /** The engine-side order of the result shown, if the user sorted a cut result. */
  sort: CellSort | undefined;

  constructor(readonly cell: NotebookCell, private readonly actions: CellActions) {
    const title = textField({ label: '', value: cell.title, placeholder: 'Title', name: 'title', onChange: (v) => this.setTitle(v) });
    title.classList.add('cell-title');
    title.addEventListener('input', () => this.setTitle(title.value));
    this.runButton = button({ label: '▶ Run', title: 'Run cell (Ctrl+Enter)', appearance: 'primary', action: 'run', onClick: () => actions.run(this) });
    this.cancelButton = button({ label: '■ Cancel', title: 'Cancel the running query', action: 'cancel', onClick: () => actions.cancel(this) });
    this.cancelButton.hidden = true;
    const tools = h(
      'div',
      { className: 'cell-tools' },
      this.runButton,
      this.cancelButton,
      button({ label: '↑', title: 'Move cell up', appearance: 'icon', action: 'up', onClick: () => actions.move(this, -1) }),
      button({ label: '↓', title: 'Move cell down', appearance: 'icon', action: 'down', onClick: () => actions.move(this, 1) }),
      button({ label: '✕', title: 'Delete cell', appearance: 'icon', action: 'delete', onClick: () => actions.remove(this) }),
    );
    this.editor = new SqlEditor({
      value: cell.sql,
      catalog: () => actions.catalog(),
      onChange: (sql) => {
        cell.sql = sql;
        actions.changed();
      },
      onRun: () => actions.run(this),
    });
    this.status = h('div', { className: 'cell-status', attrs: { role: 'status' } });
    this.output = h('div', { className: 'cell-output' });
    const question = actions.question(cell);
    const header = h('div', { className: 'cell-header' }, title, tools);
    this.element = h('section', { className: 'cell', dataset: { cellId: cell.id } }, header, ...(question ? [h('p', { className: 'cell-question', text: question })] : []), this.editor.element, this.status, this.output);
  }

  private setTitle(value: string): void {
    if (this.cell.title === value) return;
    this.cell.title = value;
    this.actions.changed();
  }

  setRunning(requestId: number | undefined): void {
    this.runningRequest = requestId;
    this.runButton.hidden = requestId !== undefined;
    this.cancelButton.hidden = requestId === undefined;
    this.element.classList.toggle('running', requestId !== undefined);
    if (requestId !== undefined) {
      clear(this.status);
      this.status.append(progressRing(), h('span', { text: 'Running…' }));
    }
  }

  showResult(result: CellResult): void {
    this.result = result;
    this.editor.setError(undefined);
    clear(this.status);
    const parts = [`${result.rowCount.toLocaleString('en-US')} row${result.rowCount === 1 ? '' : 's'}`, `${Math.round(result.durationMs).toLocaleString('en-US')} ms`];
    if (result.asOf !== undefined) parts.push(`as of ${asOfText(result.asOf)}`);
    this.status.appendChild(h('span', { className: 'cell-count', text: parts.join(' · ') }));
    if (result.truncated) {
      const sorted = this.sort ? ` sorted by ${result.columns[this.sort.column] ?? '?'} in the engine` : '';
      this.status.appendChild(h('span', { className: 'cell-truncated', text: ` · showing ${result.rows.length.toLocaleString('en-US')} of ${result.rowCount.toLocaleString('en-US')}${sorted} — sorting re-runs the query; export to get them all` }));
    }
    this.renderOutput();
  }

  showError(error: WireError): void {
    this.result = undefined;
    this.grid = undefined;
    clear(this.status);
    clear(this.output);
    const box = h('div', { className: 'cell-error', attrs: { role: 'alert' } }, h('strong', { text: error.code === 'cancelled' ? 'Cancelled' : 'Error' }), h('span', { text: ` ${showBidiControls(error.userMessage)}` }));
    if (error.position) {
      const before = this.cell.sql.slice(0, error.position.offset);
      const line = before.split('\n').length;
      const column = error.position.offset - before.lastIndexOf('\n');
      box.appendChild(h('span', { className: 'cell-error-position', text: ` (line ${line}, column ${column})` }));
      this.editor.setError(error.position);
    }
    if (error.detail) box.appendChild(h('pre', { className: 'cell-error-detail', text: showBidiControls(error.detail) }));
    this.output.appendChild(box);
  }

  private renderOutput(): void {
    const result = this.result;
    clear(this.output);
    this.grid = undefined;
    if (!result) return;
    const chart = chartForResult(result.columns, result.rows);
    const toolbar = h(
      'div',
      { className: 'result-tools' },
      button({ label: this.view === 'table' ? 'Chart' : 'Table', title: 'Switch between the table and a chart', action: 'toggle-chart', onClick: () => this.toggleView() }),
      button({ label: 'Copy as Markdown', title: 'Copy the rows shown as a Markdown table', action: 'copy-markdown', onClick: () => this.actions.copy(toMarkdown(result.columns, result.rows), 'Markdown table') }),
      button({ label: 'Export CSV', title: "Save the query's whole result as CSV", action: 'export-csv', onClick: () => this.actions.exportResult(this, 'csv') }),
      button({ label: 'Export JSON', title: "Save the query's whole result as JSON", action: 'export-json', onClick: () => this.actions.exportResult(this, 'json') }),
    );
    this.output.appendChild(toolbar);
    const detail = h('div', { className: 'json-panel', attrs: { hidden: '' } });
    if (this.view === 'chart') {
      this.output.appendChild(chart ? drawChart(chart) : h('div', { className: 'chart-none', text: 'No chart for this result: it needs a count column, or a date or timestamp column.' }));
      return;
    }
    if (result.columns.length === 0) {
      this.output.appendChild(h('div', { className: 'result-empty', text: 'The statement returned no columns.' }));
      return;
    }
    this.grid = new VirtualGrid(result, {
      copy: (text, what) => this.actions.copy(text, what),
      openRaw: (file, line) => this.actions.openRaw(file, line),
      showValue: (column, value) => this.showValue(detail, column, value),
      cellMenu: (column, value, event) => {
        const identity = identityOfCell(column, value);
        if (identity) showCellMenu(event, [{ label: `Show Timeline of ${identityKindLabel(identity.kind)} ${showBidiControls(identity.value)}`, action: 'show-timeline', run: () => this.actions.showTimeline(identity) }]);
      },
      ...(result.truncated ? { sortInEngine: (column: number, direction: 'asc' | 'desc' | undefined) => this.actions.sortInEngine(this, direction ? resultSort(result.columns, column, direction) : undefined) } : {}),
    }, this.sort);
    this.output.append(this.grid.element, detail);
  }

  private showValue(panel: HTMLElement, column: string, value: unknown): void {
    clear(panel);
    let parsed: unknown = value;
    if (typeof value === 'string') {
      try {
        parsed = JSON.parse(value);
      } catch {
        parsed = value;
      }
    }
    panel.append(h('div', { className: 'json-panel-header' }, h('strong', { text: showBidiControls(column) }), button({ label: 'Close', appearance: 'icon', title: 'Close the value view', onClick: () => (panel.hidden = true) })), jsonView(parsed));
    panel.hidden = false;
  }

  private toggleView(): void {
    this.view = this.view === 'table' ? 'chart' : 'table';
    this.renderOutput();
  }

  clearOutput(): void {
    this.result = undefined;
    this.grid = undefined;
    clear(this.status);
    clear(this.output);
  }
}

/** A line under a cell's toolbar that follows an export: progress, cancel, outcome. */
export class ExportNotice {
  readonly element: HTMLDivElement;
  private readonly text: HTMLSpanElement;
  private readonly cancelButton: Button;

  constructor(format: string, onCancel: () => void) {
    this.text = h('span', { text: `Exporting ${format.toUpperCase()}…` });
    this.cancelButton = button({ label: 'Cancel export', action: 'cancel-export', onClick: onCancel });
    this.element = h('div', { className: 'export-notice', attrs: { role: 'status' } }, this.text, this.cancelButton);
  }

  progress(rows: number): void {
    this.text.textContent = `Exporting… ${rows.toLocaleString('en-US')} rows written`;
  }

  finish(message: string): void {
    this.text.textContent = message;
    this.cancelButton.remove();
  }
}
