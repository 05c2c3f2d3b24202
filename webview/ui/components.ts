/** Our thin component layer over the toolkit's custom elements: the rest of the webview uses only these. */
import { showBidiControls } from '../../src/shared/text/untrusted';
import { h } from '../dom';
import { TAGS } from './toolkit';

export interface ButtonOptions {
  label: string;
  title?: string;
  appearance?: 'primary' | 'secondary' | 'icon';
  onClick: () => void;
  action?: string;
}

export type Button = HTMLElement & { disabled: boolean };

export function button(options: ButtonOptions): Button {
  const node = document.createElement(TAGS.button) as Button;
  node.textContent = options.label;
  node.setAttribute('appearance', options.appearance === 'icon' ? 'secondary' : (options.appearance ?? 'secondary'));
  if (options.appearance === 'icon') node.classList.add('icon-button');
  if (options.title) {
    node.title = options.title;
    node.setAttribute('aria-label', options.title);
  }
  if (options.action) node.dataset.action = options.action;
  node.addEventListener('click', () => {
    if (!node.disabled) options.onClick();
  });
  return node;
}

export interface TextFieldOptions {
  label: string;
  value: string;
  placeholder?: string;
  size?: number;
  name?: string;
  onChange: (value: string) => void;
}

export type TextField = HTMLElement & { value: string };

export function textField(options: TextFieldOptions): TextField {
  const node = document.createElement(TAGS.textField) as TextField;
  node.textContent = options.label;
  node.setAttribute('value', options.value);
  node.value = options.value;
  if (options.placeholder) node.setAttribute('placeholder', options.placeholder);
  if (options.size) node.setAttribute('size', String(options.size));
  if (options.name) node.dataset.name = options.name;
  node.addEventListener('change', () => options.onChange(node.value));
  return node;
}

export interface DropdownOptions {
  label: string;
  choices: { value: string; label: string; title?: string }[];
  onSelect: (value: string) => void;
  name?: string;
}

export function dropdown(options: DropdownOptions): HTMLElement {
  const node = document.createElement(TAGS.dropdown) as HTMLElement & { value: string };
  node.setAttribute('aria-label', options.label);
  if (options.name) node.dataset.name = options.name;
  const placeholder = document.createElement(TAGS.option);
  placeholder.textContent = options.label;
  placeholder.setAttribute('value', '');
  node.appendChild(placeholder);
  for (const choice of options.choices) {
    const option = document.createElement(TAGS.option);
    option.textContent = choice.label;
    option.setAttribute('value', choice.value);
    if (choice.title) option.title = choice.title;
    node.appendChild(option);
  }
  node.addEventListener('change', () => {
    const value = node.value;
    if (value) options.onSelect(value);
    node.value = '';
  });
  return node;
}

export function progressRing(): HTMLElement {
  return document.createElement(TAGS.progressRing);
}

export function badge(text: string): HTMLElement {
  const node = document.createElement(TAGS.badge);
  node.textContent = text;
  return node;
}

export interface ChoiceOptions {
  label: string;
  value: string;
  choices: { value: string; label: string; title?: string; disabled?: boolean }[];
  onChange: (value: string) => void;
  name?: string;
}

/** A dropdown that keeps its selection (unlike `dropdown`, which is a menu of actions). */
export function choice(options: ChoiceOptions): HTMLElement & { value: string } {
  const node = document.createElement(TAGS.dropdown) as HTMLElement & { value: string };
  node.setAttribute('aria-label', options.label);
  node.title = options.label;
  if (options.name) node.dataset.name = options.name;
  for (const item of options.choices) {
    const option = document.createElement(TAGS.option);
    option.textContent = item.label;
    option.setAttribute('value', item.value);
    if (item.value === options.value) option.setAttribute('selected', '');
    if (item.disabled) option.setAttribute('disabled', '');
    if (item.title) option.title = item.title;
    node.appendChild(option);
  }
  node.value = options.value;
  node.addEventListener('change', () => {
    if (node.value !== options.value) options.onChange(node.value);
  });
  return node;
}

/** A failed panel run on its status line: the message, and its detail below (as text, never HTML). */
export function showError(line: HTMLElement, error: { userMessage: string; detail?: string }, detailClass: string): void {
  line.append(h('strong', { text: 'Error ' }), h('span', { text: showBidiControls(error.userMessage) }));
  if (error.detail) line.appendChild(h('pre', { className: detailClass, text: showBidiControls(error.detail) }));
}
