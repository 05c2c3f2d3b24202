/**
 * A pack file's text parsed as YAML (JSON is YAML too), keeping where each value sits so an error
 * can name its line.
 */
import { LineCounter, parseDocument, type Document } from 'yaml';
import { packError } from './errors';

export interface PackDocument {
  file: string;
  value: unknown;
  /** The 1-based line of the value at this path, or of its nearest enclosing value. */
  lineOf(path: readonly (string | number)[]): number | undefined;
}

function nodeStart(document: Document, path: readonly (string | number)[]): number | undefined {
  for (let length = path.length; length >= 0; length--) {
    const node = length === 0 ? document.contents : document.getIn(path.slice(0, length), true);
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range) return range[0];
  }
  return undefined;
}

export function parsePackText(text: string, file: string): PackDocument {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const [error] = document.errors;
  if (error) {
    const line = error.linePos?.[0]?.line;
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
