/** What a quick fix writes, worked out from a finding's message and text. Pure: no vscode. */

/** The documented name a key-casing finding points to (its message names it). */
export function documentedNameFrom(message: string): string | undefined {
  const match = /(?:the field|the documented key) (\S+) only in letter case/.exec(message);
  return match?.[1]?.split('.').pop();
}

/** Epoch milliseconds of a JSON date string such as "2024-05-01T10:00:00Z", if it is one. */
export function epochMsOfDateString(jsonText: string): number | undefined {
  try {
    const value = JSON.parse(jsonText) as unknown;
    if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(value)) return undefined;
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? undefined : ms;
  } catch {
    return undefined;
  }
}
