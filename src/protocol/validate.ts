/** The pieces every webview message parser shares. */

export type Validated<T> = { ok: true; value: T } | { ok: false; reason: string };

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A notification that takes no parameters: absent or `{}`. */
export function isEmptyParams(value: unknown): boolean {
  return value === undefined || (isRecord(value) && Object.keys(value).length === 0);
}
