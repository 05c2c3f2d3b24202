/** The notebook: scope bar, events-over-time chart, library, cells; talks to the extension through HostConnection. */
import type { CompletionCatalog, EngineView, ExportFormat, LibraryEntry, NotebookCell, NotebookDocument, NotebookEngine, ScopeStatus } from '../src/protocol/notebook';
import { newCell } from '../src/shared/notebook/defaults';
import { CellView, ExportNotice, type CellActions, type CellSort } from './cells/cellView';
import { drawChart } from './charts/draw';
import { engineSwitch } from './engineSwitch';
import { histogramModel } from './charts/model';
import { clear, h } from './dom';
import { RequestError, type HostConnection, type VsCodeApi } from './rpc';
import { asOfText } from './asOfControl';
import { ScopeBar } from './scopeBar';
import { button, dropdown } from './ui/components';

export interface PersistedState {
  document: NotebookDocument;
}

const EMPTY_CATALOG: CompletionCatalog = { columns: [], services: [] };
const SAVE_DELAY_MS = 250;

export class NotebookApp {
  private document: NotebookDocument;
  private catalog: CompletionCatalog = EMPTY_CATALOG;
  private library: LibraryEntry[] = [];
  private status: ScopeStatus = { state: 'idle' };
  private engine: EngineView | undefined;
  private cells: CellView[] = [];
  private scopeBar!: ScopeBar;
  private readonly root: HTMLElement;
  private readonly scopeSlot = h('div', { className: 'scope-slot' });
  private readonly librarySlot = h('span', { className: 'library-slot' });
  private readonly histogram = h('div', { className: 'histogram', attrs: { 'aria-live': 'polite' } });
  private readonly cellList = h('div', { className: 'cells' });
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly exports = new Map<number, ExportNotice>();

  constructor(private readonly host: HostConnection, private readonly api: VsCodeApi, mount: HTMLElement, initial: NotebookDocument) {
    this.document = initial;
    const toolbar = h(
      'div',
      { className: 'toolbar' },
      button({ label: '+ SQL cell', title: 'Add an empty cell', action: 'add-cell', onClick: () => this.addCell(newCell({ title: '' })) }),
      this.librarySlot,
      button({ label: '▶▶ Run all', title: 'Run every cell in order', action: 'run-all', onClick: () => void this.runAll() }),
      button({ label: 'Save…', title: 'Save the notebook as a .auditlens.json file', action: 'save', onClick: () => host.notify('command', { name: 'save' }) }),
      button({ label: 'Open…', title: 'Open a .auditlens.json notebook', action: 'open', onClick: () => host.notify('command', { name: 'open' }) }),
      button({ label: 'Export to Databricks…', title: 'Export as a Databricks SQL notebook', action: 'export-databricks', onClick: () => host.notify('command', { name: 'exportDatabricks' }) }),
    );
    this.root = h('main', { className: 'notebook' }, this.scopeSlot, this.histogram, toolbar, this.cellList);
    mount.appendChild(this.root);
    this.renderDocument();
    host.on('init', (p) => {
      this.catalog = p.catalog;
      this.library = p.library;
      this.renderLibrary();
      this.document = p.document;
      this.renderDocument();
      this.setStatus(p.status);
      this.persist();
    });
    host.on('scopeStatus', (s) => this.setStatus(s));
    host.on('loadDocument', (p) => {
      this.document = p.document;
      this.renderDocument();
      this.persist();
    });
    host.on('runAll', () => void this.runAll());
    host.on('exportProgress', (p) => this.exports.get(p.requestId)?.progress(p.rows));
    host.on('engine', (view) => {
      this.engine = view;
      this.showEngine();
    });
    host.on('cellPage', (p) => this.cells.find((c) => c.runningRequest === p.requestId)?.showResult(p.result));
    host.notify('ready', {});
  }

  get cellViews(): readonly CellView[] {
    return this.cells;
  }

  private renderDocument(): void {
    clear(this.scopeSlot);
    this.scopeBar = new ScopeBar(
      this.document.scope,
      (scope) => {
        this.document.scope = scope;
        this.persist();
        this.host.notify('reload', { scope });
      },
      (scope) => {
        this.document.scope = scope;
        this.persist();
      },
      {
        choice: this.document.asOf ?? { kind: 'now' },
        onChange: (asOf) => {
          if (asOf.kind === 'now') delete this.document.asOf;
          else this.document.asOf = asOf;
          this.persist();
        },
      },
    );
    this.scopeBar.setStatus(this.status);
    this.showEngine();
    this.scopeSlot.appendChild(this.scopeBar.element);
    clear(this.cellList);
    this.cells = this.document.cells.map((c) => new CellView(c, this.cellActions));
    for (const view of this.cells) this.cellList.appendChild(view.element);
    if (this.cells.length === 0) this.cellList.appendChild(h('p', { className: 'empty-hint', text: 'No cells yet: add an SQL cell or pick an analysis from the library.' }));
  }

  private renderLibrary(): void {
    clear(this.librarySlot);
    const choices = this.library.map((e) => ({ value: e.id, label: `${e.category === 'detection' ? '🛡 ' : ''}${e.title}`, title: e.question }));
    this.librarySlot.appendChild(
      dropdown({
        label: `Add from library (${this.library.length})…`,
        name: 'library',
        choices,
        onSelect: (id) => {
          const entry = this.library.find((e) => e.id === id);
          if (entry) this.addCell(newCell({ title: entry.title, sql: entry.sql, analysisId: entry.id }));
        },
      }),
    );
  }

  private showEngine(): void {
    if (!this.engine) return;
    this.scopeBar.element.querySelector('.engine-switch')?.remove();
    this.scopeBar.showEngine(engineSwitch(this.engine, (engine) => this.switchEngine(engine)));
  }

  /** Runs the cells on another engine: the cells stay, the old results go (they came from the other engine). */
  private switchEngine(engine: NotebookEngine): void {
    if (engine === 'databricks') this.document.engine = engine;
    else delete this.document.engine;
    for (const cell of this.cells) {
      if (cell.runningRequest !== undefined) this.host.cancel(cell.runningRequest);
      cell.clearOutput();
    }
    this.persist();
    // The scope as the bar shows it now, before the engine that reads it.
    this.host.notify('documentChanged', { document: this.document });
    this.host.notify('setEngine', { engine });
  }

  private setStatus(status: ScopeStatus): void {
    this.status = status;
    this.scopeBar.setStatus(status);
    if (status.state === 'ready') void this.loadHistogram();
    if (status.state !== 'ready') clear(this.histogram);
  }

  private async loadHistogram(): Promise<void> {
    try {
      const buckets = await this.host.request('histogram', {}).promise;
      clear(this.histogram);
      if (buckets.length > 0) this.histogram.appendChild(drawChart(histogramModel(buckets)));
    } catch (error) {
      clear(this.histogram);
      const message = error instanceof RequestError ? error.wire.userMessage : String(error);
      this.histogram.appendChild(h('div', { className: 'chart-none', text: `Events over time unavailable: ${message}` }));
    }
  }

  private readonly cellActions: CellActions = {
    catalog: () => this.catalog,
    question: (cell) => (cell.analysisId ? this.library.find((e) => e.id === cell.analysisId)?.question : undefined),
    changed: () => this.persist(),
    run: (cell) => void this.runCell(cell),
    sortInEngine: (cell, sort) => void this.runCell(cell, sort),
    cancel: (cell) => {
      if (cell.runningRequest !== undefined) this.host.cancel(cell.runningRequest);
    },
    move: (cell, delta) => this.moveCell(cell, delta),
    remove: (cell) => this.removeCell(cell),
    exportResult: (cell, format) => void this.exportCell(cell, format),
    copy: (text, what) => this.host.notify('copyText', { text, what }),
    openRaw: (file, line) => this.host.notify('openRaw', { file, line }),
    showTimeline: (identity) => this.host.notify('showTimeline', { identity }),
  };

  async runCell(cell: CellView, sort?: CellSort): Promise<void> {
    if (cell.runningRequest !== undefined) return;
    const pending = this.host.request('runCell', { cellId: cell.cell.id, sql: cell.cell.sql, ...(sort ? { sort } : {}), asOf: this.document.asOf ?? { kind: 'now' } });
    cell.sort = sort;
    cell.setRunning(pending.id);
    try {
      cell.showResult(await pending.promise);
    } catch (error) {
      cell.showError(error instanceof RequestError ? error.wire : { code: 'internal', userMessage: String(error) });
    } finally {
      cell.setRunning(undefined);
    }
  }

  async runAll(): Promise<void> {
    for (const cell of [...this.cells]) await this.runCell(cell);
  }

  private async exportCell(cell: CellView, format: ExportFormat): Promise<void> {
    const pending = this.host.request('exportResult', { cellId: cell.cell.id, sql: cell.cell.sql, format, asOf: this.document.asOf ?? { kind: 'now' } });
    const notice = new ExportNotice(format, () => this.host.cancel(pending.id));
    this.exports.set(pending.id, notice);
    cell.element.querySelector('.cell-status')?.after(notice.element);
    try {
      const outcome = await pending.promise;
      if (!outcome.saved) notice.element.remove();
      else notice.finish(`Exported ${(outcome.rowCount ?? 0).toLocaleString('en-US')} rows to ${outcome.fileName ?? 'the file'}${outcome.asOf === undefined ? '' : `, as of ${asOfText(outcome.asOf)}`}.`);
    } catch (error) {
      notice.finish(error instanceof RequestError ? (error.wire.code === 'cancelled' ? 'Export cancelled.' : `Export failed: ${error.wire.userMessage}`) : String(error));
    } finally {
      this.exports.delete(pending.id);
    }
  }

  addCell(cell: NotebookCell): void {
    this.document.cells.push(cell);
    const view = new CellView(cell, this.cellActions);
    if (this.cells.length === 0) clear(this.cellList);
    this.cells.push(view);
    this.cellList.appendChild(view.element);
    view.editor.focus();
    this.persist();
  }

  private moveCell(cell: CellView, delta: -1 | 1): void {
    const from = this.cells.indexOf(cell);
    const to = from + delta;
    if (from < 0 || to < 0 || to >= this.cells.length) return;
    this.cells.splice(from, 1);
    this.cells.splice(to, 0, cell);
    const [doc] = this.document.cells.splice(from, 1);
    this.document.cells.splice(to, 0, doc);
    if (delta < 0) this.cellList.insertBefore(cell.element, this.cells[to + 1].element);
    else this.cellList.insertBefore(cell.element, this.cells[to - 1].element.nextSibling);
    this.persist();
  }

  private removeCell(cell: CellView): void {
    const index = this.cells.indexOf(cell);
    if (index < 0) return;
    if (cell.runningRequest !== undefined) this.host.cancel(cell.runningRequest);
    this.cells.splice(index, 1);
    this.document.cells.splice(index, 1);
    cell.element.remove();
    this.persist();
  }

  /** Saves the document in the webview state at once and tells the extension shortly after. */
  private persist(): void {
    const state: PersistedState = { document: this.document };
    this.api.setState(state);
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.host.notify('documentChanged', { document: this.document }), SAVE_DELAY_MS);
  }
}
