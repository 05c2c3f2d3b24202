/** A small context menu for a grid cell: a list of actions at the pointer, closed by Escape, a click elsewhere or a pick. */
import { h } from '../dom';

export interface MenuItem {
  label: string;
  action: string;
  run(): void;
}

let open: HTMLElement | undefined;

export function closeCellMenu(): void {
  open?.remove();
  open = undefined;
}

export function showCellMenu(event: MouseEvent, items: readonly MenuItem[]): void {
  closeCellMenu();
  if (items.length === 0) return;
  event.preventDefault();
  const menu = h('div', { className: 'cell-menu', attrs: { role: 'menu' } });
  for (const item of items) {
    const entry = h('button', { className: 'cell-menu-item', text: item.label, attrs: { role: 'menuitem', type: 'button' }, dataset: { action: item.action } });
    entry.addEventListener('click', () => {
      closeCellMenu();
      item.run();
    });
    menu.appendChild(entry);
  }
  menu.style.left = `${event.clientX + window.scrollX}px`;
  menu.style.top = `${event.clientY + window.scrollY}px`;
  document.body.appendChild(menu);
  open = menu;
  (menu.firstElementChild as HTMLElement).focus();
  const dismiss = (e: Event) => {
    if (e instanceof KeyboardEvent && e.key !== 'Escape') return;
    if (e.type === 'pointerdown' && menu.contains(e.target as Node)) return;
    closeCellMenu();
    document.removeEventListener('pointerdown', dismiss, true);
    document.removeEventListener('keydown', dismiss, true);
  };
  document.addEventListener('pointerdown', dismiss, true);
  document.addEventListener('keydown', dismiss, true);
}
