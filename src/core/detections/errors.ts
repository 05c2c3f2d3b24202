/** A pack that cannot be read is a usage error naming the file, the line, the detection and the field. */
import { AuditLensError } from '../errors';

export interface PackErrorPlace {
  file: string;
  line?: number;
  detection?: string;
  /** A dotted path such as `tests.fires[2]` or `parameters.threshold.default`. */
  field?: string;
}

export function packError(place: PackErrorPlace, message: string, detail?: string): AuditLensError {
  const where = `${place.file}${place.line === undefined ? '' : `:${place.line}`}`;
  const what = [place.detection === undefined ? undefined : `detection '${place.detection}'`, place.field === undefined ? undefined : `field '${place.field}'`].filter(Boolean).join(', ');
  return new AuditLensError('usage', `Detection pack ${where}: ${what ? `${what}: ` : ''}${message}`, detail);
}

/** Path segments as a dotted field name: ['tests', 'fires', 2] → `tests.fires[2]`. */
export function fieldName(path: readonly (string | number)[]): string | undefined {
  if (path.length === 0) return undefined;
  return path.reduce<string>((text, segment) => (typeof segment === 'number' ? `${text}[${segment}]` : text === '' ? segment : `${text}.${segment}`), '');
}
