/**
 * The scope bar's as-of control: the instant every "now" of a run evaluates at — now, the end of
 * the scope (24:00 UTC of its last date), or an instant typed in ISO-8601.
 */
import type { AsOfChoice } from '../src/protocol/notebook';
import { parseInstant } from '../src/shared/asOf';
import { h } from './dom';
import { choice, textField } from './ui/components';

type Kind = AsOfChoice['kind'];

const KIND_LABELS: Record<Kind, string> = { now: 'Now', 'scope-end': 'End of scope', instant: 'An instant…' };
const KIND_TITLES: Record<Kind, string> = {
  now: 'current_timestamp(), current_date() and every other "now" read the clock when the cell runs',
  'scope-end': 'Every "now" is 24:00 UTC of the scope\'s To date (else of the last date loaded)',
  instant: 'Every "now" is the instant you type (ISO-8601, UTC or with an offset)',
};

/** How a result names the instant it answered at: `2026-11-30 14:00:00 UTC`. */
export function asOfText(at: number): string {
  return `${new Date(at).toISOString().replace('T', ' ').replace(/\.000Z$|Z$/, '')} UTC`;
}

export function asOfControl(initial: AsOfChoice, onChange: (choice: AsOfChoice) => void): HTMLElement {
  let instantText = initial.kind === 'instant' ? initial.at : '';
  const instant = textField({
    label: '',
    value: instantText,
    placeholder: '2026-11-30T14:00:00Z',
    size: 25,
    name: 'as-of-instant',
    onChange: (text) => {
      instantText = text.trim();
      const valid = parseInstant(instantText) !== undefined;
      instant.classList.toggle('invalid', !valid);
      instant.title = valid ? '' : 'Write an ISO-8601 instant: 2026-11-30T14:00:00Z, 2026-11-30T15:00:00+01:00 or 2026-11-30';
      if (valid) onChange({ kind: 'instant', at: instantText });
    },
  });
  instant.hidden = initial.kind !== 'instant';
  instant.setAttribute('aria-label', 'As of this instant (ISO-8601)');
  const select = choice({
    label: 'As of: the instant "now" means in every run',
    name: 'as-of',
    value: initial.kind,
    choices: (Object.keys(KIND_LABELS) as Kind[]).map((kind) => ({ value: kind, label: KIND_LABELS[kind], title: KIND_TITLES[kind] })),
    onChange: () => undefined, // `choice` reports only moves away from the first value; every change counts here
  });
  const control = h('div', { className: 'as-of', dataset: { asOf: initial.kind } }, h('span', { className: 'as-of-label', text: 'As of' }), h('div', { className: 'as-of-fields' }, select, instant));
  select.addEventListener('change', () => {
    const kind = select.value as Kind;
    control.dataset.asOf = kind;
    instant.hidden = kind !== 'instant';
    if (kind !== 'instant') return onChange({ kind });
    if (parseInstant(instantText) !== undefined) onChange({ kind, at: instantText });
    else instant.focus();
  });
  return control;
}
