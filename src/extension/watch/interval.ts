/** The `auditLens.watchInterval` setting: seconds between a watch's polls, read when each poll is due. Pure. */
import type { SettingRange } from '../settingRanges';

export const WATCH_INTERVAL_SETTING = 'watchInterval';

/** Seconds: five minutes by default, never under 30 s (the listing costs requests), at most a day. */
export const WATCH_INTERVAL_RANGE = { default: 300, minimum: 30, maximum: 86_400 } as const satisfies SettingRange;

/** The setting as whole seconds within its range (anything else is the default). */
export function clampWatchInterval(value: unknown): number {
  const n = typeof value === 'number' && Number.isFinite(value) ? Math.trunc(value) : WATCH_INTERVAL_RANGE.default;
  return Math.min(WATCH_INTERVAL_RANGE.maximum, Math.max(WATCH_INTERVAL_RANGE.minimum, n));
}
