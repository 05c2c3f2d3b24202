/** A result sorted in the engine by one of its columns (see sortedQuery). */
export interface ResultSort {
  /** The column's place in the result (0-based). */
  column: number;
  direction: 'asc' | 'desc';
  /** Its name, when no other column of the result has it (in any case). */
  name?: string;
}

/** The sort of a result by `column`, with the column's name when no other column has it. */
export function resultSort(columns: readonly string[], column: number, direction: 'asc' | 'desc'): ResultSort {
  const name = columns[column];
  const unique = name !== undefined && columns.filter((other) => other.toLowerCase() === name.toLowerCase()).length === 1;
  return { column, direction, ...(unique ? { name } : {}) };
}
