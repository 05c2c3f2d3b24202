/**
 * A SQL editor: a textarea over a highlighted copy of its text (built from the tokenizer, one
 * span per token), with completion, Ctrl/Cmd+Enter to run and an error range marker.
 */
import type { CompletionCatalog } from '../../src/protocol/notebook';
import { highlightClass, tokenize } from '../../src/shared/sql/lexer';
import { clear, h } from '../dom';
import { complete, type Completions } from './completion';

export interface SqlEditorOptions {
  value: string;
  catalog: () => CompletionCatalog;
  onChange(value: string): void;
  onRun(): void;
}

export class SqlEditor {
  readonly element: HTMLDivElement;
  readonly textarea: HTMLTextAreaElement;
  private readonly highlight: HTMLPreElement;
  private readonly popup: HTMLUListElement;
  private completions: Completions | undefined;
  private selectedItem = 0;
  private error: { offset: number; length: number } | undefined;

  constructor(private readonly options: SqlEditorOptions) {
    this.highlight = h('pre', { className: 'sql-highlight', attrs: { 'aria-hidden': 'true' } });
    this.textarea = h('textarea', { className: 'sql-input', attrs: { spellcheck: 'false', autocapitalize: 'off', autocomplete: 'off', 'aria-label': 'SQL', rows: '1' } });
    this.textarea.value = options.value;
    this.popup = h('ul', { className: 'completion', attrs: { role: 'listbox', hidden: '' } });
    this.element = h('div', { className: 'sql-editor' }, this.highlight, this.textarea, this.popup);
    this.textarea.addEventListener('input', () => this.onInput());
    this.textarea.addEventListener('keydown', (e) => this.onKey(e));
    this.textarea.addEventListener('blur', () => setTimeout(() => this.closeCompletion(), 150));
    this.popup.addEventListener('mousedown', (e) => {
      e.preventDefault();
      const li = (e.target as HTMLElement).closest('li');
      if (li?.dataset.index) this.accept(Number(li.dataset.index));
    });
    this.render();
  }

  get value(): string {
    return this.textarea.value;
  }

  set value(text: string) {
    this.textarea.value = text;
    this.render();
  }

  /** Marks [offset, offset+length) as the error's place in the SQL; undefined clears it. */
  setError(range: { offset: number; length: number } | undefined): void {
    this.error = range;
    this.render();
  }

  focus(): void {
    this.textarea.focus();
  }

  private onInput(): void {
    this.error = undefined;
    this.render();
    this.options.onChange(this.textarea.value);
    const cursor = this.textarea.selectionStart;
    const typed = this.textarea.value[cursor - 1] ?? '';
    if (/[A-Za-z0-9_."']/.test(typed)) this.openCompletion();
    else this.closeCompletion();
  }

  private onKey(event: KeyboardEvent): void {
    const mod = event.ctrlKey || event.metaKey;
    if (mod && event.key === 'Enter') {
      event.preventDefault();
      this.closeCompletion();
      this.options.onRun();
      return;
    }
    if (mod && event.key === ' ') {
      event.preventDefault();
      this.openCompletion();
      return;
    }
    if (this.completions) {
      const count = this.completions.items.length;
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        this.selectedItem = (this.selectedItem + (event.key === 'ArrowDown' ? 1 : count - 1)) % count;
        this.renderPopup();
        return;
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        event.preventDefault();
        this.accept(this.selectedItem);
        return;
      }
      if (event.key === 'Escape') {
        event.preventDefault();
        this.closeCompletion();
        return;
      }
    }
    if (event.key === 'Tab' && !event.shiftKey) {
      event.preventDefault();
      this.textarea.setRangeText('  ', this.textarea.selectionStart, this.textarea.selectionEnd, 'end');
      this.onInput();
    }
  }

  private openCompletion(): void {
    const result = complete(this.textarea.value, this.textarea.selectionStart, this.options.catalog());
    if (!result || result.items.length === 0) {
      this.closeCompletion();
      return;
    }
    this.completions = result;
    this.selectedItem = 0;
    this.renderPopup();
  }

  private closeCompletion(): void {
    this.completions = undefined;
    this.popup.hidden = true;
  }

  private accept(index: number): void {
    const c = this.completions;
    if (!c) return;
    const item = c.items[index];
    this.textarea.setRangeText(item.label, c.from, c.to, 'end');
    this.closeCompletion();
    this.error = undefined;
    this.render();
    this.options.onChange(this.textarea.value);
    this.textarea.focus();
  }

  private renderPopup(): void {
    const c = this.completions;
    if (!c) return;
    clear(this.popup);
    c.items.forEach((item, i) => {
      const li = h('li', { className: `completion-item kind-${item.kind}`, attrs: { role: 'option', 'aria-selected': String(i === this.selectedItem) }, dataset: { index: String(i) } }, h('span', { className: 'completion-label', text: item.label }), h('span', { className: 'completion-detail', text: item.detail }));
      this.popup.appendChild(li);
    });
    const caret = this.caretPosition(c.from);
    this.popup.style.left = `${caret.left}px`;
    this.popup.style.top = `${caret.top + 18}px`;
    this.popup.hidden = false;
    (this.popup.children[this.selectedItem] as HTMLElement | undefined)?.scrollIntoView({ block: 'nearest' });
  }

  /** Where a text offset sits inside the editor, measured on the highlight layer. */
  private caretPosition(offset: number): { left: number; top: number } {
    const marker = h('span', { className: 'caret-marker' });
    this.render(offset, marker);
    const position = { left: marker.offsetLeft, top: marker.offsetTop };
    marker.remove();
    return position;
  }

  private render(markerAt?: number, marker?: HTMLElement): void {
    const text = this.textarea.value;
    clear(this.highlight);
    const cuts = new Set<number>();
    if (this.error) {
      cuts.add(this.error.offset);
      cuts.add(this.error.offset + Math.max(1, this.error.length));
    }
    if (markerAt !== undefined) cuts.add(markerAt);
    for (const token of tokenize(text, { lenient: true, backslashEscapes: true })) {
      let start = token.start;
      const inner = [...cuts].filter((c) => c > token.start && c < token.end).sort((a, b) => a - b);
      for (const end of [...inner, token.end]) {
        if (markerAt === start && marker) this.highlight.appendChild(marker);
        const piece = h('span', { className: `tok-${highlightClass(token)}`, text: text.slice(start, end) });
        if (this.error && start >= this.error.offset && start < this.error.offset + Math.max(1, this.error.length)) piece.classList.add('sql-error');
        this.highlight.appendChild(piece);
        start = end;
      }
    }
    if (this.error && this.error.offset >= text.length) this.highlight.appendChild(h('span', { className: 'sql-error sql-error-eof', text: ' ' }));
    if (markerAt !== undefined && markerAt >= text.length && marker) this.highlight.appendChild(marker);
    // A trailing newline keeps the layer as tall as the textarea when the text ends with one.
    this.highlight.appendChild(document.createTextNode('\n'));
  }
}
