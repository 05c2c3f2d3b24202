/**
 * A pack file's text parsed as YAML (JSON is YAML too), keeping where each value sits so an error
 * can name its line.
 */
import { isMap, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import { packError } from './errors';

export interface PackDocument {
  file: string;
  value: unknown;
  /** The 1-based line of the value at this path, or of its nearest enclosing value. */
  lineOf(path: readonly (string | number)[]): number | undefined;
}

type Range = { range?: [number, number, number] | null } | null | undefined;

/** Where a map's key is written: a field's line is its name's line. */
function keyStart(document: Document, path: readonly (string | number)[]): number | undefined {
  const parent = path.length === 1 ? document.contents : document.getIn(path.slice(0, -1), true);
  if (!isMap(parent)) return undefined;
  const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === path[path.length - 1]);
  return (pair?.key as Range)?.range?.[0];
}

function nodeStart(document: Document, path: readonly (string | number)[]): number | undefined {
  if (path.length > 0 && typeof path[path.length - 1] === 'string') {
    const key = keyStart(document, path);
    if (key !== undefined) return key;
  }
  for (let length = path.length; length >= 0; length--) {
    const node = length === 0 ? document.contents : document.getIn(path.slice(0, length), true);
    const range = (node as Range)?.range;
    if (range) return range[0];
  }
  return undefined;
}

export function parsePackText(text: string, file: string): PackDocument {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const [error] = document.errors;
  if (error) {
    const line = error.linePos?.[0]?.line ?? (error.pos ? lineCounter.linePos(error.pos[0]).line : undefined);
    throw packError({ file, ...(line === undefined ? {} : { line }) }, `not valid YAML or JSON: ${error.message.split('\n')[0]}`);
  }
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw packError({ file }, `not valid YAML or JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  return {
    file,
    value,
    lineOf(path) {
      const offset = nodeStart(document, path);
      return offset === undefined ? undefined : lineCounter.linePos(offset).line;
    },
  };
}
