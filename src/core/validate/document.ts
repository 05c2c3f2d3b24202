/**
 * Validates a document held as text (an editor's buffer). Findings use the same 1-based positions
 * as everywhere: `line` and `column` from 1, `endColumn` exclusive, in UTF-16 code units; an editor
 * with 0-based positions subtracts 1 from each. Blank lines are skipped, a trailing CR is ignored.
 */
import { validateLine } from './line';
import { bomFinding } from './stream';
import { countFinding, emptySummary, type FileContext, type Finding, type ValidationResult } from './types';

export function validateDocument(text: string, context: FileContext): ValidationResult {
  const summary = emptySummary();
  const findings: Finding[] = [];
  let start = 0;
  let lineNumber = 1;
  if (text.charCodeAt(0) === 0xfeff) {
    findings.push(bomFinding(context.file));
    start = 1;
  }
  const lineContext = { ...context, line: 1 };
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    let lineEnd = end;
    if (lineEnd > start && text.charCodeAt(lineEnd - 1) === 0x0d) lineEnd--;
    const line = text.slice(start, lineEnd);
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
    start = end + 1;
    lineNumber++;
  }
  for (const f of findings) countFinding(summary, f);
  return { file: context.file, summary, findings };
}
