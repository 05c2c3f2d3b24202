/**
 * Writing to a stream with back-pressure, and the output formats of query results: a table from
 * the capped result, CSV and JSON streamed from the session's export.
 */
import type { Writable } from 'node:stream';
import type { ExportFormat } from '../core/sql/export';
import { usageError } from './args';

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

/** The export format that streams each output format but the table. */
export const EXPORT_FORMAT: Record<Exclude<OutputFormat, 'table'>, ExportFormat> = { csv: 'csv', json: 'json-document' };
