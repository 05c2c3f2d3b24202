/**
 * Validates a whole file as it streams, line by line through the JSON Lines reader, so no file is
 * held whole. Counts follow the loading rule: every non-blank line read is a record (a JSON object)
 * or rejected, never both and never neither.
 */
import { readLineBatches, type LineProblem, type ReadLinesOptions } from '../jsonl';
import type { WorkOptions } from '../progress';
import type { AuditFile, AuditSource } from '../sources';
import { validateLine } from './line';
import { countFinding, emptySummary, type FileContext, type Finding, type ValidationResult } from './types';

export interface ValidateOptions extends WorkOptions {
  maxLineBytes?: ReadLinesOptions['maxLineBytes'];
  /** Receives findings batch by batch; when given, the result's `findings` stays empty. */
  onFindings?: (findings: Finding[]) => void;
}

const BOM = [0xef, 0xbb, 0xbf];

export async function validateStream(
  chunks: AsyncIterable<Uint8Array>,
  context: FileContext,
  options: ValidateOptions = {},
): Promise<ValidationResult> {
  const summary = emptySummary();
  const kept: Finding[] = [];
  const deliver = (batch: Finding[]): void => {
    if (batch.length === 0) return;
    for (const f of batch) countFinding(summary, f);
    if (options.onFindings) options.onFindings(batch);
    else for (const f of batch) kept.push(f);
  };

  let startsWithBom = false;
  async function* noteBom(): AsyncGenerator<Uint8Array> {
    let first = true;
    for await (const chunk of chunks) {
      if (first) {
        first = false;
        startsWithBom = chunk.length >= 3 && BOM.every((b, i) => chunk[i] === b);
      }
      yield chunk;
    }
  }

  let sawFirstBatch = false;
  for await (const batch of readLineBatches(noteBom(), { maxLineBytes: options.maxLineBytes, signal: options.signal })) {
    const found: Finding[] = [];
    if (!sawFirstBatch) {
      sawFirstBatch = true;
      if (startsWithBom) found.push(bomFinding(context.file));
    }
    for (const item of batch) {
      summary.lines++;
      if (item.kind === 'problem') {
        summary.rejected++;
        found.push(problemFinding(item, context.file));
        continue;
      }
      const result = validateLine(item.text, { ...context, line: item.line });
      if (result.isRecord) summary.records++;
      else summary.rejected++;
      found.push(...result.findings);
    }
    deliver(found);
  }
  if (!sawFirstBatch && startsWithBom) deliver([bomFinding(context.file)]);
  return { file: context.file, summary, findings: kept };
}

/** Validates one listed file of a source, expecting its records to match its folder names. */
export function validateFile(source: AuditSource, file: AuditFile, options: ValidateOptions = {}): Promise<ValidationResult> {
  return validateStream(
    source.openRead(file, options),
    { file: file.uri, expectedWorkspaceId: file.workspaceId, expectedDate: file.date },
    options,
  );
}

export function bomFinding(file: string): Finding {
  return {
    file,
    line: 1,
    column: 1,
    endColumn: 2,
    severity: 'information',
    code: 'bom',
    message: 'the file starts with a byte order mark (BOM): it is skipped, but some JSON readers reject it',
  };
}

function problemFinding(problem: LineProblem, file: string): Finding {
  if (problem.wholeFile) return { file, line: 1, column: 1, endColumn: 2, severity: 'error', code: 'not-text', message: problem.reason };
  if (/UTF-8/.test(problem.reason)) {
    const bad = problem.preview.indexOf('\uFFFD');
    const column = bad >= 0 ? bad + 1 : 1;
    return { file, line: problem.line, column, endColumn: column + 1, severity: 'error', code: 'invalid-utf8', message: 'the line is not valid UTF-8: it is rejected' };
  }
  return { file, line: problem.line, column: 1, endColumn: 2, severity: 'error', code: 'line-too-long', message: problem.reason };
}
