/**
 * Lookups keyed by data. A plain object answers `constructor`, `__proto__`, `toString` … from its
 * prototype; a key read from a log line, a hover or a query must find only what was put there.
 */
export function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
