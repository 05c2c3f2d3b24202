/** What a new notebook cell starts with, for the extension (a new notebook) and the webview (+ SQL cell). */
import type { NotebookCell } from './format';

export const DEFAULT_CELL_TITLE = 'Events by service and action';
export const DEFAULT_CELL_SQL = 'SELECT serviceName, actionName, COUNT(*) AS events\nFROM audit_logs\nGROUP BY 1, 2\nORDER BY events DESC';

let idCounter = 0;

/** An id unique within a notebook (time, a counter and a little randomness). */
export function newCellId(): string {
  idCounter += 1;
  return `c${Date.now().toString(36)}${idCounter.toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
}

/** A new cell: the default query unless told otherwise. */
export function newCell(fields: Partial<Omit<NotebookCell, 'id'>> = {}): NotebookCell {
  return { id: newCellId(), title: DEFAULT_CELL_TITLE, sql: DEFAULT_CELL_SQL, ...fields };
}
