/**
 * What a record parsed with JSON.parse holds at a field path (audit_logs names, as in a
 * FieldFilter), as far as the session's SQL compares it with a string: the string itself, null
 * when SQL reads NULL there (the key is missing, or JSON null), or undefined when only SQLite
 * can tell (another type, a key JSON.parse may have read differently from SQLite).
 */
export type FieldText = string | null | undefined;

/**
 * The value at `path` in `record`, parsed from `text`. Each key on the path must appear once in
 * the text: JSON.parse keeps a repeated key's last value, SQLite its first.
 */
export function fieldText(text: string, record: Record<string, unknown>, path: string): FieldText {
  let value: unknown = record;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    const quoted = JSON.stringify(key);
    const first = text.indexOf(quoted);
    if (first >= 0 && text.indexOf(quoted, first + 1) >= 0) return undefined;
    if (!Object.hasOwn(value, key)) return null;
    value = (value as Record<string, unknown>)[key];
  }
  if (value === null) return null;
  return typeof value === 'string' ? value : undefined;
}
