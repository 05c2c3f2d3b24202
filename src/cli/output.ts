/** Writing to a stream with back-pressure, and the output formats of query results. */
import type { Writable } from 'node:stream';
import { usageError } from './args';
import { renderCsv } from './format/csv';
import { renderJson } from './format/json';
import type { ResultSet } from './format/result';
import { renderTable } from './format/table';

export type OutputFormat = 'table' | 'json' | 'csv';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'json', 'csv'];

export function parseFormat(text: string | undefined, hint: string): OutputFormat {
  if (text === undefined) return 'table';
  if ((OUTPUT_FORMATS as readonly string[]).includes(text)) return text as OutputFormat;
  throw usageError(`--format '${text}' is not one of ${OUTPUT_FORMATS.join(', ')}.`, hint);
}

export async function write(stream: Writable, text: string): Promise<void> {
  if (text === '') return;
  if (!stream.write(text)) await new Promise<void>((resolve) => stream.once('drain', resolve));
}

export async function writeResult(stream: Writable, result: ResultSet, format: OutputFormat): Promise<void> {
  if (format === 'table') return write(stream, renderTable(result));
  for (const chunk of format === 'json' ? renderJson(result) : renderCsv(result)) await write(stream, chunk);
}
