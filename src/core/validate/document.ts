/**
 * Validates a document held as text (an editor's buffer). Findings use the same 1-based positions
 * as everywhere: `line` and `column` from 1, `endColumn` exclusive, in UTF-16 code units; an editor
 * with 0-based positions subtracts 1 from each. Blank lines are skipped; LF, CRLF and a lone CR
 * each end a line, as in editors and in the streaming reader.
 */
import { validateLine } from './line';
import { bomFinding } from './stream';
import { countFinding, emptySummary, type FileContext, type Finding, type ValidationResult } from './types';

export function validateDocument(text: string, context: FileContext): ValidationResult {
  const run = validateDocumentInSlices(text, context);
  let step = run.next();
  while (!step.done) step = run.next();
  return step.value;
}

/**
 * Validates as `validateDocument` does, pausing after every `sliceLines` lines so a caller on a
 * busy thread can yield between slices, or stop; the generator returns the result.
 */
export function* validateDocumentInSlices(text: string, context: FileContext, sliceLines = Infinity): Generator<void, ValidationResult> {
  const summary = emptySummary();
  const findings: Finding[] = [];
  let start = 0;
  let lineNumber = 1;
  let sinceYield = 0;
  if (text.charCodeAt(0) === 0xfeff) {
    findings.push(bomFinding(context.file));
    start = 1;
  }
  const lineContext = { ...context, line: 1 };
  while (start <= text.length) {
    if (sinceYield >= sliceLines) {
      sinceYield = 0;
      yield;
    }
    sinceYield++;
    const end = lineBreakAt(text, start);
    const line = text.slice(start, end);
    if (line.trim() !== '') {
      summary.lines++;
      lineContext.line = lineNumber;
      // The BOM is not part of line 1's text: shift its columns back into the document's.
      const result = validateLine(line, lineContext);
      if (result.isRecord) summary.records++;
      else summary.rejected++;
      const shift = lineNumber === 1 && start === 1 ? 1 : 0;
      for (const f of result.findings) findings.push(shift ? { ...f, column: f.column + shift, endColumn: f.endColumn + shift } : f);
    }
    start = end + (text.charCodeAt(end) === 0x0d && text.charCodeAt(end + 1) === 0x0a ? 2 : 1);
    lineNumber++;
  }
  for (const f of findings) countFinding(summary, f);
  return { file: context.file, summary, findings };
}

/** Index of the line break (LF or CR) at or after `from`, or the text's length. */
function lineBreakAt(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || c === 0x0d) return i;
  }
  return text.length;
}
