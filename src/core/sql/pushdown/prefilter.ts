/**
 * A line prefilter: the serviceName (and optionally actionName) values every row a query can read
 * has, turned into a text test that rejects a delivered line before it is parsed. The test is
 * sound: a line it rejects cannot load as a row with one of those values.
 */

export interface LinePrefilter {
  /** A row any query may read has one of these serviceName values. */
  serviceNames: string[];
  /** When present, a row any query may read also has one of these actionName values. */
  actionNames?: string[];
}

/** Whether a line may hold a matching record (true) or certainly does not (false). */
export type LineTest = (text: string) => boolean;

/**
 * Whether every JSON value that loads into a TEXT column as exactly `name` spells `name` in the
 * line's text, or else holds a `\u` escape. It does unless the name needs an escape of its own
 * (`"`, `\`, `/`, control characters) or could be the text of a non-string value: numbers and
 * booleans load as digits (`1e2` as `100.0`, `true` as `1`, huge numbers as `Inf`), objects and
 * arrays as re-serialized JSON.
 */
export function isSearchableName(name: string): boolean {
  if (/["\\/\u0000-\u001f]/.test(name)) return false;
  return !/^([-+.\d\s[{]|Inf|NaN)/.test(name);
}

const JSON_UNICODE_ESCAPE = '\\u';

/**
 * The text test of a prefilter, or undefined when it cannot be applied soundly (a service name
 * that is not searchable). Action names that are not all searchable are ignored, not trusted.
 */
export function compileLineTest(prefilter: LinePrefilter): LineTest | undefined {
  const services = [...new Set(prefilter.serviceNames)];
  if (!services.every(isSearchableName)) return undefined;
  const actions = prefilter.actionNames && prefilter.actionNames.every(isSearchableName) ? [...new Set(prefilter.actionNames)] : undefined;
  return (text) => {
    // A \u escape could spell any name: only parsing can tell.
    if (text.includes(JSON_UNICODE_ESCAPE)) return true;
    if (!services.some((name) => text.includes(name))) return false;
    return actions === undefined || actions.some((name) => text.includes(name));
  };
}
