/** The scope bar: which sources, workspaces and dates the session loads, and what it holds now. */
import type { AsOfChoice, NotebookScope, ScopeStatus } from '../src/protocol/notebook';
import { asOfControl } from './asOfControl';
import { h } from './dom';
import { showBidiControls } from '../src/shared/text/untrusted';
import { button, progressRing, textField } from './ui/components';
import { formatBytes } from '../src/shared/text/quantities';

function list(text: string): string[] {
  return text
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}


export function statusText(status: ScopeStatus): string {
  switch (status.state) {
    case 'idle':
      return 'Nothing loaded yet.';
    case 'loading':
      return status.total ? `${status.message} (${status.done ?? 0}/${status.total})` : status.message;
    case 'ready': {
      const s = status.summary;
      const rejected = s.linesRejected ? ` · ${s.linesRejected.toLocaleString('en-US')} lines rejected` : '';
      const dropped = s.duplicatesDropped === undefined ? '' : ` · ${s.duplicatesDropped.toLocaleString('en-US')} duplicate ${s.duplicatesDropped === 1 ? 'event' : 'events'} dropped`;
      const cached = s.filesFromCache ? ` · ${s.filesFromCache.toLocaleString('en-US')} of ${s.files.toLocaleString('en-US')} files from the record cache` : '';
      if (s.services !== undefined) return slicesText(s.services, s.recordsLoaded, s.recordsInScope) + rejected + dropped + cached;
      return `${s.recordsLoaded.toLocaleString('en-US')} records loaded from ${s.files.toLocaleString('en-US')} files (${formatBytes(s.bytes)}) in ${(s.durationMs / 1000).toFixed(1)} s${rejected}${dropped}${cached}`;
    }
    case 'error':
      return `Load failed: ${status.error.userMessage}`;
    case 'remote':
      return status.message;
  }
}

/** What a table of slices holds: "accounts, clusters · 212,410 of 1,003,112 records loaded". */
function slicesText(services: readonly string[], records: number, inScope: number | undefined): string {
  if (services.length === 0) return 'No records loaded yet: each cell loads the services (or actions) it names first; Reload loads the whole scope.';
  const of = inScope === undefined ? '' : ` of ${inScope.toLocaleString('en-US')}`;
  return `${services.join(', ')} · ${records.toLocaleString('en-US')}${of} records loaded`;
}

const DEDUPE_TITLE = 'Load an event delivered twice (two delivery configurations, or a rewritten file) once: records with the same requestId, timestamp, serviceName and actionName. Applies at the next load.';

/** The "Load each event once" checkbox, labelled so a click on the text toggles it. */
function dedupeToggle(checked: boolean, onChange: (on: boolean) => void): HTMLElement {
  const box = h('input', { attrs: { type: 'checkbox' }, dataset: { name: 'dedupe' } });
  box.checked = checked;
  box.addEventListener('change', () => onChange(box.checked));
  return h('label', { className: 'scope-dedupe', title: DEDUPE_TITLE }, box, 'Load each event once');
}

export class ScopeBar {
  readonly element: HTMLElement;
  private readonly status: HTMLSpanElement;
  private readonly ring: HTMLElement;

  constructor(
    private scope: NotebookScope,
    private readonly onReload: (scope: NotebookScope) => void,
    private readonly onChange: (scope: NotebookScope) => void,
    asOf: { choice: AsOfChoice; onChange: (choice: AsOfChoice) => void } = { choice: { kind: 'now' }, onChange: () => undefined },
  ) {
    const sources = textField({ label: 'Sources', value: scope.sources.join(', '), placeholder: 'gs://bucket/prefix or a folder', size: 40, name: 'sources', onChange: (v) => this.update({ sources: list(v) }) });
    const workspaces = textField({ label: 'Workspaces', value: (scope.workspaces ?? []).join(', '), placeholder: 'all', size: 18, name: 'workspaces', onChange: (v) => this.update({ workspaces: list(v) }) });
    const from = textField({ label: 'From', value: scope.from ?? '', placeholder: 'yyyy-mm-dd', size: 10, name: 'from', onChange: (v) => this.update({ from: v.trim() || undefined }) });
    const to = textField({ label: 'To', value: scope.to ?? '', placeholder: 'yyyy-mm-dd', size: 10, name: 'to', onChange: (v) => this.update({ to: v.trim() || undefined }) });
    const dedupe = dedupeToggle(scope.dedupe === true, (on) => this.update({ dedupe: on || undefined }));
    this.ring = progressRing();
    this.ring.hidden = true;
    this.status = h('span', { className: 'scope-status', attrs: { role: 'status' }, text: 'Nothing loaded yet.' });
    const reload = button({ label: '⟳ Reload', title: 'Load the scope into the query session (on a warehouse: apply the scope)', appearance: 'primary', action: 'reload', onClick: () => this.onReload(this.scope) });
    this.element = h('div', { className: 'scope-bar' }, h('div', { className: 'scope-fields' }, sources, workspaces, from, to, dedupe, asOfControl(asOf.choice, asOf.onChange), reload), h('div', { className: 'scope-state' }, this.ring, this.status));
  }

  private update(change: Partial<NotebookScope>): void {
    const next: NotebookScope = { ...this.scope, ...change };
    if (next.workspaces?.length === 0) delete next.workspaces;
    if (!next.from) delete next.from;
    if (!next.to) delete next.to;
    if (!next.dedupe) delete next.dedupe;
    this.scope = next;
    this.onChange(next);
  }

  /** Shows which engine runs the cells (and lets the user switch), at the start of the bar. */
  showEngine(control: HTMLElement): void {
    this.element.querySelector('.scope-fields')?.prepend(control);
  }

  setStatus(status: ScopeStatus): void {
    this.ring.hidden = status.state !== 'loading';
    this.status.textContent = showBidiControls(statusText(status));
    this.status.classList.toggle('error', status.state === 'error');
  }
}
