/**
 * "Ignore this actor (or user agent) for this detection": the value a finding's row shows is added
 * to the detection's `ignoreActors` (or `ignoreAgents`) list in `auditLens.detectionParameters`
 * of the workspace's settings. The SQL is never edited, and the value is only ever data. No VS
 * Code: the setting is reached through a target the caller provides.
 */
import type { Detection, ParameterValue } from '../../core/analyses';
import { AuditLensError } from '../../core/errors';

export const IGNORE_PARAMETERS = { actor: 'ignoreActors', agent: 'ignoreAgents' } as const;
export type IgnoreKind = keyof typeof IGNORE_PARAMETERS;

/** The workspace level of `auditLens.detectionParameters`: read as it is, written whole. */
export interface ParameterSettingTarget {
  read(): unknown;
  write(value: Record<string, unknown>): Promise<void>;
}

/** Whether a detection declares the list this kind of ignore adds to. */
export function canIgnore(detection: Detection, kind: IgnoreKind): boolean {
  const parameter = Object.prototype.hasOwnProperty.call(detection.parameters, IGNORE_PARAMETERS[kind]) ? detection.parameters[IGNORE_PARAMETERS[kind]] : undefined;
  return parameter !== undefined && Array.isArray(parameter.default);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Adds `value` to the detection's list in the workspace's setting, starting from the list the
 * setting already holds there, else from the values the detection ran with (its defaults kept).
 * Says `already` when the list holds it.
 */
export async function addIgnoredValue(target: ParameterSettingTarget, detection: Detection, kind: IgnoreKind, value: string): Promise<'added' | 'already'> {
  const name = IGNORE_PARAMETERS[kind];
  if (!canIgnore(detection, kind)) throw new AuditLensError('usage', `Detection '${detection.id}' has no ${name} parameter to add to.`);
  if (value.trim() === '') throw new AuditLensError('usage', `The row has no ${kind === 'actor' ? 'actor' : 'user agent'} to ignore.`);
  const current = target.read();
  // Other detections' entries are written back as they are, even ones that do not fit.
  const setting: Record<string, unknown> = isRecord(current) ? { ...current } : {};
  const entry: Record<string, unknown> = isRecord(setting[detection.id]) ? { ...(setting[detection.id] as Record<string, unknown>) } : {};
  const written = entry[name];
  const list: readonly unknown[] = Array.isArray(written) ? written : (detection.parameters[name]!.default as readonly ParameterValue[]);
  if (list.includes(value)) return 'already';
  setting[detection.id] = { ...entry, [name]: [...list, value] };
  await target.write(setting);
  return 'added';
}
