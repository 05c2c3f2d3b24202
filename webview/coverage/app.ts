/**
 * The Coverage page: what it covers, progress and cancel, the summary with the rules it follows,
 * notes, the legend and the heatmap. Every string from a log or a path goes in as text.
 */
import type { CoverageStatus, CoverageView } from '../../src/protocol/coverage';
import { showBidiControls } from '../../src/shared/text/untrusted';
import { clear, h } from '../dom';
import { button, progressRing, showError, type Button } from '../ui/components';
import type { CoverageConnection } from './connection';
import { Heatmap } from './heatmap';

const number = (n: number) => n.toLocaleString('en-US');

export class CoverageApp {
  private readonly title = h('h1', { className: 'cv-title', text: 'Coverage' });
  private readonly scopeText = h('div', { className: 'cv-scope' });
  private readonly statusLine = h('div', { className: 'cv-status', attrs: { role: 'status' } });
  private readonly summary = h('section', { className: 'cv-summary', attrs: { 'aria-label': 'Summary' } });
  private readonly notes = h('section', { className: 'cv-notes', attrs: { 'aria-label': 'Notes' } });
  readonly heatmap: Heatmap;
  private readonly cancelButton: Button;
  private readonly runButton: Button;

  constructor(host: CoverageConnection, mount: HTMLElement) {
    this.heatmap = new Heatmap({ openFiles: (cell) => host.notify('openFiles', cell) });
    this.runButton = button({ label: '↻ Run again', title: 'Read the scope again', action: 'run', onClick: () => host.notify('run', {}) });
    this.cancelButton = button({ label: '■ Cancel', title: 'Stop reading', action: 'cancel', onClick: () => host.notify('cancel', {}) });
    this.cancelButton.hidden = true;
    mount.appendChild(
      h('main', { className: 'coverage' }, h('header', { className: 'cv-header' }, this.title, this.scopeText, h('div', { className: 'cv-status-row' }, this.statusLine, this.runButton, this.cancelButton)), this.summary, this.heatmap.element, this.notes),
    );
    host.on('show', (p) => {
      this.title.textContent = showBidiControls(p.title);
      this.scopeText.textContent = `Over ${showBidiControls(p.scopeLabel)}`;
    });
    host.on('status', (s) => this.setStatus(s));
    host.notify('ready', {});
  }

  private setStatus(status: CoverageStatus): void {
    const loading = status.state === 'loading';
    this.cancelButton.hidden = !loading;
    this.runButton.disabled = loading;
    clear(this.statusLine);
    this.statusLine.dataset.state = status.state;
    switch (status.state) {
      case 'loading': {
        const done = status.total ? ` (${Math.floor((100 * (status.done ?? 0)) / status.total)}%)` : '';
        this.statusLine.append(progressRing(), h('span', { text: `${showBidiControls(status.message)}${done}` }));
        break;
      }
      case 'cancelled':
        this.statusLine.textContent = 'Cancelled.';
        break;
      case 'error':
        showError(this.statusLine, status.error, 'cv-error-detail');
        break;
      case 'ready':
        this.statusLine.textContent = `Read ${number(status.view.summary.files)} file${status.view.summary.files === 1 ? '' : 's'} in ${number(Math.round(status.durationMs))} ms`;
        this.showView(status.view);
        break;
    }
  }

  private showView(view: CoverageView): void {
    this.renderSummary(view);
    this.heatmap.show(view);
    clear(this.notes);
    if (view.notes.length > 0) this.notes.append(h('h2', { text: 'Notes' }), h('ul', {}, ...view.notes.map((n) => h('li', { text: showBidiControls(n) }))));
  }

  private renderSummary(view: CoverageView): void {
    clear(this.summary);
    const s = view.summary;
    const stopped = view.rows.filter((r) => r.stopped).length;
    const stat = (label: string, value: number, warn: boolean, rule?: string) =>
      h('div', { className: `cv-stat${warn ? ' cv-warn' : ''}`, title: rule ?? '', dataset: { stat: label.toLowerCase().replace(/\s+/g, '-') } }, h('span', { className: 'cv-stat-value', text: number(value) }), h('span', { className: 'cv-stat-label', text: label }));
    this.summary.append(
      h(
        'div',
        { className: 'cv-stats' },
        stat('Files', s.files, s.unreadable > 0),
        stat('Events', s.events, false),
        stat('Gaps', s.gaps, s.gaps > 0, view.rules.gaps),
        stat('Stopped', stopped, stopped > 0, view.rules.stopped),
        stat('Duplicates', s.duplicates, s.duplicates > 0, view.rules.duplicates),
        stat('Late files', s.late, s.late > 0, view.rules.late),
        stat('Rewritten files', s.rewritten, s.rewrittenChanged > 0, view.rules.rewritten),
        ...(s.unreadable > 0 ? [stat('Unreadable files', s.unreadable, true)] : []),
        ...(s.rejectedLines > 0 ? [stat('Lines not records', s.rejectedLines, true)] : []),
      ),
      h('details', { className: 'cv-rules' }, h('summary', { text: 'Rules' }), h('ul', {}, ...[view.rules.gaps, view.rules.stopped, view.rules.duplicates, view.rules.late, view.rules.rewritten].map((r) => h('li', { text: r })))),
    );
  }
}
