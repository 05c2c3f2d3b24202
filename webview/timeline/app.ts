/**
 * The Timeline page: the identity and its scope, the window and as-of controls with progress and
 * cancel, the summary (with pivot links), the time strip and the events in the virtual grid.
 * Every string from a log goes in as text.
 */
import { parseAsOfChoice, parseTimelineWindow, type AsOfChoice, type Identity, type Timeline, type TimelineEvent, type TimelineQuery, type TimelineStatus, type TimelineWindow } from '../../src/protocol/timeline';
import { identityKindLabel, identityOfCell } from '../../src/shared/identityOfCell';
import { showBidiControls } from '../../src/shared/text/untrusted';
import { clear, h } from '../dom';
import { showCellMenu } from '../grid/cellMenu';
import { VirtualGrid } from '../grid/virtualGrid';
import { button, choice, progressRing, showError, textField, type Button } from '../ui/components';
import type { TimelineConnection } from './connection';
import type { VsCodeApi } from '../rpc';
import { TimeStrip } from './strip';
import { buildLanes, formatInstant } from './stripModel';
import { eventRows, EVENT_COLUMNS, sessionsOf } from './eventRows';

const HOUR_MS = 3_600_000;
export const WINDOW_CHOICES: readonly { label: string; ms: number }[] = [
  { label: '± 1 hour', ms: HOUR_MS },
  { label: '± 6 hours', ms: 6 * HOUR_MS },
  { label: '± 24 hours', ms: 24 * HOUR_MS },
  { label: '± 3 days', ms: 72 * HOUR_MS },
  { label: '± 7 days', ms: 168 * HOUR_MS },
];
const LISTED_VALUES = 8;
const TIME_COLUMN_WIDTH = 232;

export class TimelineApp {
  private timeline: Timeline | undefined;
  private grid: VirtualGrid | undefined;
  private readonly title = h('h1', { className: 'tl-title' });
  private readonly scopeText = h('div', { className: 'tl-scope' });
  private readonly controls = h('div', { className: 'tl-controls' });
  private readonly statusLine = h('div', { className: 'tl-status', attrs: { role: 'status' } });
  private readonly summary = h('section', { className: 'tl-summary', attrs: { 'aria-label': 'Summary' } });
  private readonly detail = h('div', { className: 'tl-detail', attrs: { hidden: '' } });
  private readonly gridSlot = h('div', { className: 'tl-grid' });
  private readonly strip: TimeStrip;
  private readonly cancelButton: Button;
  private readonly runButton: Button;

  constructor(private readonly host: TimelineConnection, api: Pick<VsCodeApi, 'setState'>, mount: HTMLElement) {
    this.strip = new TimeStrip({ pick: (time) => this.scrollGridTo(time) });
    this.strip.element.hidden = true;
    this.runButton = button({ label: '▶ Run', title: 'Load the timeline over this window', appearance: 'primary', action: 'run', onClick: () => this.run() });
    this.cancelButton = button({ label: '■ Cancel', title: 'Stop loading', action: 'cancel', onClick: () => host.notify('cancel', {}) });
    this.cancelButton.hidden = true;
    mount.appendChild(h('main', { className: 'timeline' }, h('header', { className: 'tl-header' }, this.title, this.scopeText, this.controls, h('div', { className: 'tl-status-row' }, this.statusLine, this.runButton, this.cancelButton)), this.summary, this.strip.element, this.detail, this.gridSlot));
    host.on('show', (p) => {
      this.show(p.query, p.scopeLabel);
      api.setState({ query: p.query, scope: p.scope });
    });
    host.on('status', (s) => this.setStatus(s));
    host.notify('ready', {});
  }

  private show(query: TimelineQuery, scopeLabel: string): void {
    const kind = identityKindLabel(query.identity.kind);
    this.title.textContent = `Timeline: ${kind} ${showBidiControls(query.identity.value)}`;
    this.scopeText.textContent = `Over ${showBidiControls(scopeLabel)}`;
    this.renderControls(query);
  }

  // ------------------------------------------------------------------------------------------
  // Window and as-of controls.

  private windowDraft: TimelineWindow = { kind: 'range' };
  private asOfDraft: AsOfChoice = { kind: 'now' };

  private renderControls(query: TimelineQuery): void {
    this.windowDraft = query.window;
    this.asOfDraft = query.asOf;
    this.drawControls();
  }

  private drawControls(): void {
    clear(this.controls);
    const w = this.windowDraft;
    this.controls.appendChild(
      choice({
        label: 'Window',
        name: 'window-mode',
        value: w.kind,
        choices: [
          { value: 'range', label: 'Dates from … to' },
          { value: 'around', label: 'Around an instant' },
        ],
        onChange: (value) => {
          this.windowDraft = value === 'around' ? { kind: 'around', at: this.defaultAround(), windowMs: 6 * HOUR_MS } : { kind: 'range' };
          this.drawControls();
        },
      }),
    );
    this.controls.append(...(w.kind === 'range' ? this.rangeFields(w) : this.aroundFields(w)), ...this.asOfFields(this.asOfDraft));
  }

  private rangeFields(w: Extract<TimelineWindow, { kind: 'range' }>): HTMLElement[] {
    const set = (key: 'from' | 'to', value: string) => {
      const current = this.windowDraft.kind === 'range' ? this.windowDraft : { kind: 'range' as const };
      const { [key]: _replaced, ...rest } = current;
      this.windowDraft = value.trim() === '' ? rest : { ...rest, [key]: value.trim() };
    };
    return [
      textField({ label: 'From', name: 'from', value: w.from ?? '', placeholder: 'yyyy-mm-dd', size: 11, onChange: (v) => set('from', v) }),
      textField({ label: 'To', name: 'to', value: w.to ?? '', placeholder: 'yyyy-mm-dd', size: 11, onChange: (v) => set('to', v) }),
    ];
  }

  private aroundFields(w: Extract<TimelineWindow, { kind: 'around' }>): HTMLElement[] {
    const set = (patch: { at?: string; windowMs?: number }) => {
      if (this.windowDraft.kind === 'around') this.windowDraft = { ...this.windowDraft, ...patch };
    };
    const sizes = WINDOW_CHOICES.some((c) => c.ms === w.windowMs) ? WINDOW_CHOICES : [{ label: `± ${w.windowMs / HOUR_MS} hours`, ms: w.windowMs }, ...WINDOW_CHOICES];
    return [
      textField({ label: 'Around (UTC)', name: 'around', value: w.at, placeholder: '2026-11-30T14:00:00Z', size: 22, onChange: (v) => set({ at: v.trim() }) }),
      choice({ label: 'Window', name: 'window-size', value: String(w.windowMs), choices: sizes.map((c) => ({ value: String(c.ms), label: c.label })), onChange: (v) => set({ windowMs: Number(v) }) }),
    ];
  }

  private asOfFields(asOf: AsOfChoice): HTMLElement[] {
    const picker = choice({
      label: 'As of',
      name: 'as-of',
      value: asOf.kind,
      choices: [
        { value: 'now', label: 'As of now', title: 'Every event in the window' },
        { value: 'scope-end', label: 'As of end of scope', title: 'Nothing after 24:00 UTC of the last date read' },
        { value: 'instant', label: 'As of an instant…', title: 'Nothing after the instant given' },
      ],
      onChange: (value) => {
        this.asOfDraft = value === 'instant' ? { kind: 'instant', at: this.defaultAround() } : value === 'scope-end' ? { kind: 'scope-end' } : { kind: 'now' };
        this.drawControls();
      },
    });
    if (asOf.kind !== 'instant') return [picker];
    return [picker, textField({ label: 'As-of instant (UTC)', name: 'as-of-instant', value: asOf.at, size: 22, onChange: (v) => (this.asOfDraft = { kind: 'instant', at: v.trim() }) })];
  }

  /** An instant to start "around" from: the first event shown, or now. */
  private defaultAround(): string {
    const first = this.timeline?.summary.first;
    return new Date(first ?? Date.now()).toISOString().slice(0, 19) + 'Z';
  }

  /** Checks the drafts with the protocol's own checks, so a typo is said here instead of the host dropping the message. */
  private problemWithDrafts(): string | undefined {
    if (!parseTimelineWindow(this.windowDraft)) {
      return this.windowDraft.kind === 'range' ? 'From and To must be dates (yyyy-mm-dd), From not after To.' : `"${this.windowDraft.at}" is not an ISO-8601 instant (2026-11-30T14:00:00Z).`;
    }
    if (!parseAsOfChoice(this.asOfDraft)) return 'The as-of instant must be an ISO-8601 instant (2026-11-30T14:00:00Z).';
    return undefined;
  }

  private run(): void {
    const problem = this.problemWithDrafts();
    if (problem) {
      this.setStatus({ state: 'error', error: { code: 'usage', userMessage: problem } });
      return;
    }
    this.host.notify('run', { window: this.windowDraft, asOf: this.asOfDraft });
  }

  // ------------------------------------------------------------------------------------------
  // Status, summary, strip and grid.

  private setStatus(status: TimelineStatus): void {
    const loading = status.state === 'loading';
    this.cancelButton.hidden = !loading;
    this.runButton.disabled = loading;
    clear(this.statusLine);
    this.statusLine.dataset.state = status.state;
    switch (status.state) {
      case 'loading': {
        const counts = status.total ? ` (${(status.done ?? 0).toLocaleString('en-US')} of ${status.total.toLocaleString('en-US')})` : '';
        this.statusLine.append(progressRing(), h('span', { text: `${showBidiControls(status.message)}${counts}` }));
        break;
      }
      case 'cancelled':
        this.statusLine.textContent = 'Cancelled.';
        break;
      case 'error':
        showError(this.statusLine, status.error, 'tl-error-detail');
        break;
      case 'ready':
        this.showTimeline(status.timeline, status.durationMs, status.eventsFound);
        break;
    }
  }

  private showTimeline(timeline: Timeline, durationMs: number, eventsFound: number | undefined): void {
    this.timeline = timeline;
    const n = timeline.summary.events;
    const cut = eventsFound === undefined ? '' : ` · showing the first ${timeline.events.length.toLocaleString('en-US')}: narrow the window to see the rest`;
    this.statusLine.textContent = n === 0 ? 'No events of this identity in the window.' : `${n.toLocaleString('en-US')} event${n === 1 ? '' : 's'} in ${Math.round(durationMs).toLocaleString('en-US')} ms${cut}`;
    this.renderSummary(timeline);
    this.strip.setLanes(buildLanes(timeline.events));
    this.renderGrid(timeline.events);
  }

  private pivotLink(identity: Identity, text: string): HTMLElement {
    const link = h('a', { className: 'tl-pivot', text: showBidiControls(text), title: `Show the timeline of ${identityKindLabel(identity.kind)} ${showBidiControls(identity.value)}`, attrs: { href: '#', role: 'button' }, dataset: { kind: identity.kind } });
    link.addEventListener('click', (e) => {
      e.preventDefault();
      this.host.notify('pivot', { identity });
    });
    return link;
  }

  private renderSummary(timeline: Timeline): void {
    clear(this.summary);
    const s = timeline.summary;
    const fact = (label: string, ...value: (Node | string)[]) => h('div', { className: 'tl-fact' }, h('span', { className: 'tl-fact-label', text: label }), h('span', { className: 'tl-fact-value' }, ...value));
    const workspaces = s.workspaces.map((w) => (w === '0' ? 'account level' : w)).join(', ');
    this.summary.append(
      fact('Events', s.events.toLocaleString('en-US')),
      fact('Workspaces', s.workspaces.length === 0 ? '—' : showBidiControls(workspaces)),
      fact('First seen', s.first === null ? '—' : `${formatInstant(s.first)} UTC`),
      fact('Last seen', s.last === null ? '—' : `${formatInstant(s.last)} UTC`),
    );
    const self = timeline.identity;
    const list = (label: string, values: { value: string; events: number }[] | undefined, kind: Identity['kind'] | undefined) => {
      if (!values || values.length === 0) return;
      const items = values.slice(0, LISTED_VALUES).map((v) => {
        const identity = kind && !(kind === self.kind && v.value === self.value) ? identityOfCell(kind === 'ip' ? 'sourceIPAddress' : 'sessionId', v.value) : undefined;
        return h('li', { title: showBidiControls(v.value) }, identity ? this.pivotLink(identity, v.value) : h('span', { text: showBidiControls(v.value) }), h('span', { className: 'tl-count', text: ` ${v.events.toLocaleString('en-US')}` }));
      });
      const more = values.length > LISTED_VALUES ? h('li', { className: 'tl-more', text: `+${values.length - LISTED_VALUES} more` }) : null;
      this.summary.appendChild(h('div', { className: 'tl-list', dataset: { list: label } }, h('span', { className: 'tl-fact-label', text: label }), h('ul', {}, ...items, more)));
    };
    list('IP addresses', s.ipAddresses, 'ip');
    list('Sessions', sessionsOf(timeline.events), 'session');
    list('User agents', s.userAgents, undefined);
  }

  private renderGrid(events: readonly TimelineEvent[]): void {
    clear(this.gridSlot);
    this.detail.hidden = true;
    if (events.length === 0) {
      this.grid = undefined;
      return;
    }
    this.grid = new VirtualGrid(
      { columns: [...EVENT_COLUMNS], columnKinds: EVENT_COLUMNS.map(() => 'value'), rows: eventRows(events) },
      {
        copy: (text) => void navigator.clipboard?.writeText(text).catch(() => undefined),
        openRaw: (file, line) => this.host.notify('openRaw', { file, line }),
        showValue: (column, value) => this.showCell(column, value),
        cellMenu: (column, value, event) => {
          const identity = identityOfCell(column, value);
          if (identity) showCellMenu(event, [{ label: `Show Timeline of ${identityKindLabel(identity.kind)} ${showBidiControls(identity.value)}`, action: 'show-timeline', run: () => this.host.notify('pivot', { identity }) }]);
        },
      },
    );
    // The grid sizes columns by an estimate of the font's width; the time's 23 digits need a little more.
    this.grid.setColumnWidth(0, TIME_COLUMN_WIDTH);
    this.gridSlot.appendChild(this.grid.element);
  }

  /** A double-clicked cell: its whole value, and a pivot link when it names an identity. */
  private showCell(column: string, value: unknown): void {
    clear(this.detail);
    const identity = identityOfCell(column, value);
    const text = value === null || value === undefined ? 'NULL' : String(value);
    this.detail.append(h('span', { className: 'tl-fact-label', text: column }), h('span', { className: 'tl-detail-value', text: showBidiControls(text) }));
    if (identity) this.detail.appendChild(this.pivotLink(identity, `Show Timeline of this ${identityKindLabel(identity.kind)}`));
    this.detail.hidden = false;
  }

  /** Scrolls to the first event at or after `time` (a request's later result follows its request, so the list is not strictly in time order). */
  private scrollGridTo(time: number): void {
    const events = this.timeline?.events ?? [];
    if (!this.grid || events.length === 0) return;
    const index = events.findIndex((e) => e.timestamp !== null && e.timestamp >= time);
    this.grid.scrollToRow(index < 0 ? events.length - 1 : index);
  }
}
