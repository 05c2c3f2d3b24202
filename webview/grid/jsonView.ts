/** A pretty, collapsible view of a JSON value, built from text nodes only. */
import { h } from '../dom';
import { showBidiControls } from '../../src/shared/text/untrusted';

const MAX_CHILDREN = 500;

function scalar(value: unknown): HTMLElement {
  if (value === null) return h('span', { className: 'json-null', text: 'null' });
  if (typeof value === 'string') {
    // requestParams values often hold JSON text themselves: show it expanded too.
    const t = value.trim();
    if ((t.startsWith('{') && t.endsWith('}')) || (t.startsWith('[') && t.endsWith(']'))) {
      try {
        return node(JSON.parse(t), 'json text');
      } catch {
        /* plain string */
      }
    }
    return h('span', { className: 'json-string', text: showBidiControls(JSON.stringify(value)) });
  }
  if (typeof value === 'number' || typeof value === 'boolean') return h('span', { className: 'json-number', text: String(value) });
  return h('span', { text: String(value) });
}

function node(value: unknown, label?: string): HTMLElement {
  if (typeof value !== 'object' || value === null) return scalar(value);
  const entries: [string, unknown][] = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
  const open = Array.isArray(value) ? '[' : '{';
  const close = Array.isArray(value) ? ']' : '}';
  const details = h('details', { className: 'json-node' });
  details.open = true;
  details.appendChild(h('summary', { text: `${open} ${entries.length} ${entries.length === 1 ? 'entry' : 'entries'}${label ? ` (${label})` : ''}` }));
  const list = h('div', { className: 'json-children' });
  for (const [key, child] of entries.slice(0, MAX_CHILDREN)) {
    list.appendChild(h('div', { className: 'json-entry' }, h('span', { className: 'json-key', text: Array.isArray(value) ? `${key}: ` : `${showBidiControls(JSON.stringify(key))}: ` }), node(child)));
  }
  if (entries.length > MAX_CHILDREN) list.appendChild(h('div', { className: 'json-more', text: `… ${entries.length - MAX_CHILDREN} more` }));
  details.appendChild(list);
  details.appendChild(h('span', { className: 'json-close', text: close }));
  return details;
}

export function jsonView(value: unknown): HTMLElement {
  return h('div', { className: 'json-view' }, node(value));
}
